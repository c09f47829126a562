"""Hostile-input fixtures: the back-office ones (staff accounts, English browsers, cheap hashes)."""

from tests.staff.conftest import (  # noqa: F401 (fixtures used by name)
    cheap_password_hashing,
    english_browser,
    make_staff,
    make_submission,
)
