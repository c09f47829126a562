"""The `mynumber` adapter: the OIDC relying party with the デジタル認証アプリ profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from portal.identity import registration
from portal.identity.adapter import IdentityFailure, IdentityResult
from portal.identity.card_claims import card_facts
from portal.identity.oidc import OIDCSettings, ProviderClient, timestamp_to_datetime


def settings_from_config(config: Mapping[str, Any]) -> OIDCSettings | None:
    """Return the client registration the configuration describes, or None if there is none."""
    return registration.settings_from_config(config, registration.MYNUMBER)


class MyNumberAdapter(ProviderClient):
    """Sign in with the My Number card through an OpenID provider (デジタル認証アプリ)."""

    id: ClassVar[str] = "mynumber"
    provides: ClassVar[frozenset[str]] = frozenset({"name", "address", "birthdate", "gender"})
    assurance: ClassVar[str] = "high"

    def handle_return(self, params: dict[str, str], pending: dict[str, Any]) -> IdentityResult:
        """Return the verified sign-in, or raise IdentityFailure."""
        login = self.relying_party.complete(params, pending)
        claims = login.id_claims
        facts = card_facts(login.userinfo)
        if not facts.keys() >= {"name", "address", "birthdate"}:
            raise IdentityFailure("card_facts_missing")
        return IdentityResult(
            adapter=self.id,
            issuer=self.issuer,
            subject=claims["sub"],
            assurance=self.assurance,
            acr=claims.get("acr"),
            authenticated_at=timestamp_to_datetime(claims.get("auth_time", claims["iat"])),
            claims=facts,
            id_token=login.id_token,
        )

    def logout_url(
        self, *, id_token: str | None, post_logout_redirect_uri: str, state: str
    ) -> str | None:
        """Return the provider's logout URL, or None if it has none."""
        return self.relying_party.logout_url(
            id_token=id_token, post_logout_redirect_uri=post_logout_redirect_uri, state=state
        )
