"""Back-office routes, one module per feature, on the blueprint in .blueprint.

Importing this package registers them all, and the guard's hooks, on that blueprint.
"""

from portal.staff import guard  # noqa: F401  (sign-in checks before every route)
from portal.staff.views import (  # noqa: F401  (routes register on import)
    accounts,
    audit_trail,
    auth,
    directory,
    mailbox,
    preview,
    submissions,
    usage,
)
from portal.staff.views.blueprint import blueprint

__all__ = ["blueprint"]
