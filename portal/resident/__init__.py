"""The resident side: catalog, questions, check answers, submit, status, cancellation.

The blueprint and its routes are in portal.resident.views.
"""
