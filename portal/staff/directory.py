"""Staff sign-in through the city's staff directory: the identity relying party, for staff.

The same strict OpenID Connect code as residents' My Number sign-in (portal.identity.oidc: PKCE,
state, nonce, private_key_jwt, every ID-token check), with its own client registration
(PORTAL_STAFF_OIDC_*), its own session keys and its own callback. A member is found by the
directory's issuer and subject together, never by an email address the directory sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from portal.identity.oidc import ProviderClient
from portal.identity.registration import STAFF_DIRECTORY, settings_from_config


@dataclass(frozen=True)
class DirectoryLogin:
    """Who the directory says signed in."""

    issuer: str
    subject: str


class StaffDirectory(ProviderClient):
    """Sign staff in at the city's staff directory (an OpenID provider)."""

    def finish(self, params: dict[str, str], pending: dict[str, Any]) -> DirectoryLogin:
        """Return who signed in, after every check; raise IdentityFailure otherwise."""
        login = self.relying_party.complete(params, pending)
        return DirectoryLogin(issuer=self.issuer, subject=login.id_claims["sub"])


def init_app(app: Flask) -> None:
    """Set up directory sign-in when it is configured; refuse to start when half-configured."""
    from portal import clock

    settings = settings_from_config(app.config, STAFF_DIRECTORY)
    app.extensions["portal.staff_directory"] = (
        StaffDirectory(
            settings,
            now=clock.now,
            transport=lambda: app.config.get("IDENTITY_HTTP_TRANSPORT"),
        )
        if settings is not None
        else None
    )


def staff_directory() -> StaffDirectory | None:
    """Return the app's staff directory, or None when sign-in through it is not configured."""
    return current_app.extensions.get("portal.staff_directory")
