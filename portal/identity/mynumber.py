"""The `mynumber` adapter: the OIDC relying party with the デジタル認証アプリ profile."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from portal.identity.adapter import IdentityFailure, IdentityResult, LoginStart
from portal.identity.keys import derived_ec_key, load_private_key, to_jwk
from portal.identity.oidc import (
    ENDPOINTS,
    OIDCRelyingParty,
    OIDCSettings,
    TransportFactory,
    timestamp_to_datetime,
)

SCOPES = "openid name address birthdate gender"
ACR_VALUES = "aal3 crl"
ACCEPTED_ACR = "aal3"


def settings_from_config(config: Mapping[str, Any]) -> OIDCSettings | None:
    """Return the client registration the configuration describes, or None if there is none."""
    base = config["BASE_URL"].rstrip("/")
    stub = config.get("STUB_IDP_ENABLED", False)
    issuer = config.get("MYNUMBER_ISSUER") or (f"{base}/stub-idp" if stub else None)
    client_id = config.get("MYNUMBER_CLIENT_ID") or ("yokohama-portal" if stub else None)
    if not issuer or not client_id:
        return None
    if config.get("MYNUMBER_PRIVATE_KEY"):
        key = load_private_key(config["MYNUMBER_PRIVATE_KEY"])
    elif stub:
        key = to_jwk(derived_ec_key(config["SECRET_KEY"], "stub-client"))
    else:
        raise RuntimeError("PORTAL_MYNUMBER_PRIVATE_KEY is not set (an ES256 key, PEM or JWK)")
    endpoints = {
        name: config[f"MYNUMBER_{name.upper()}"]
        for name in ENDPOINTS
        if config.get(f"MYNUMBER_{name.upper()}")
    }
    discovery = config.get("MYNUMBER_DISCOVERY_URL")
    if discovery is None and not endpoints:
        discovery = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    return OIDCSettings(
        issuer=issuer,
        client_id=client_id,
        private_key=key,
        redirect_uri=config.get("MYNUMBER_REDIRECT_URI") or f"{base}/identity/callback",
        scopes=tuple((config.get("MYNUMBER_SCOPES") or SCOPES).split()),
        discovery_url=discovery or None,
        endpoints=endpoints,
        acr_values=tuple((config.get("MYNUMBER_ACR_VALUES") or ACR_VALUES).split()),
        accepted_acr=frozenset((config.get("MYNUMBER_ACCEPTED_ACR") or ACCEPTED_ACR).split()),
        algorithms=tuple((config.get("MYNUMBER_ALGORITHMS") or "ES256").split()),
    )


def card_facts(userinfo: dict[str, Any]) -> dict[str, str]:
    """Return the four basic facts of the card (基本4情報) that the provider gave."""
    facts: dict[str, str] = {}
    for name in ("name", "birthdate", "gender"):
        if isinstance(userinfo.get(name), str) and userinfo[name].strip():
            facts[name] = userinfo[name].strip()
    address = userinfo.get("address")
    if isinstance(address, dict):
        address = address.get("formatted")
    if isinstance(address, str) and address.strip():
        facts["address"] = address.strip()
    return facts


class MyNumberAdapter:
    """Sign in with the My Number card through an OpenID provider (デジタル認証アプリ)."""

    id: ClassVar[str] = "mynumber"
    provides: ClassVar[frozenset[str]] = frozenset({"name", "address", "birthdate", "gender"})
    assurance: ClassVar[str] = "high"

    def __init__(
        self,
        settings: OIDCSettings,
        *,
        now: Callable[[], datetime],
        transport: TransportFactory = lambda: None,
    ):
        self.relying_party = OIDCRelyingParty(settings, now=now, transport=transport)

    @property
    def issuer(self) -> str:
        """Return the provider's issuer identifier."""
        return self.relying_party.settings.issuer

    def start_login(self) -> LoginStart:
        """Return the provider URL to send the resident to, with the state to keep."""
        url, pending = self.relying_party.authorization_request()
        return LoginStart(url=url, pending=pending)

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
