"""Back-office routes, one module per feature."""

from portal.staff.views import (  # noqa: F401  (routes register on import)
    accounts,
    audit_trail,
    auth,
    directory,
    mailbox,
    preview,
    submissions,
)
