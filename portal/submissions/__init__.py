"""Submitting a procedure: reference numbers and the one-transaction submit."""
