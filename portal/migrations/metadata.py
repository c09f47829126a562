"""Every table of the portal, for Alembic: each feature's models register on Base.metadata."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

FEATURE_MODELS = (
    "portal.models",
    "portal.events.models",
    "portal.staff.models",
    "portal.identity.models",
    "portal.indicators.models",
)


def target_metadata() -> MetaData:
    """Import every model module and return the shared metadata."""
    for module in FEATURE_MODELS:
        importlib.import_module(module)
    from portal.models import Base

    return Base.metadata
