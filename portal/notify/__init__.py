"""Emails to residents: written to the outbox in the action's transaction, sent later."""
