"""Fixtures for identity tests: an app serving the test procedures and the stub provider."""

from __future__ import annotations

from pathlib import Path

import pytest

PROCEDURES = Path(__file__).with_name("procedures")


@pytest.fixture
def make_identity_app(make_app):
    """Return a factory of apps with the identity test procedures and stub faults switched on."""

    def make(*faults: str, **overrides):
        return make_app(PROCEDURES_DIR=str(PROCEDURES), STUB_IDP_FAULTS=set(faults), **overrides)

    return make


@pytest.fixture
def app(make_identity_app):
    return make_identity_app()
