"""The statuses a submission moves through, in words for residents."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "received": _l("Received"),
    "in_review": _l("Being reviewed"),
    "completed": _l("Completed"),
    "returned": _l("Returned for correction"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
