"""The back office under audit: an administrator account on the audit's own database."""

from __future__ import annotations

from flask import Flask

#: the administrator the walker signs in as (the audit's throwaway database only)
EMAIL = "accessibility-audit@city.example"
PASSWORD = "audit-only-password-0001"
#: the password sign-in form (the other form on the page goes to the staff directory)
SIGN_IN_BUTTON = "main form:not([action]) [type=submit]"


def add_auditor(app: Flask) -> None:
    """Create the administrator account the walker signs in with."""
    from portal import clock
    from portal.extensions import db
    from portal.staff.accounts import add_member

    with app.app_context(), db.transaction() as tx:
        add_member(
            tx,
            email=EMAIL,
            display_name="アクセシビリティ試験",
            password=PASSWORD,
            is_admin=True,
            now=clock.now(),
        )
