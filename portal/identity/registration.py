"""The portal's client registrations at OpenID providers, read from PORTAL_<PREFIX>_* settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.identity.keys import derived_ec_key, load_private_key, to_jwk, with_kid
from portal.identity.oidc import ENDPOINTS, OIDCSettings


@dataclass(frozen=True)
class Profile:
    """What one kind of provider is asked for, unless the settings say otherwise."""

    #: the settings' prefix: MYNUMBER reads MYNUMBER_ISSUER (PORTAL_MYNUMBER_ISSUER), …
    prefix: str
    #: where the local stub of this provider is served (with PORTAL_STUB_IDP=1)
    stub_path: str
    stub_client_id: str
    #: the label the stub's client key is derived under (development and tests only)
    stub_key_label: str
    redirect_path: str
    scopes: str
    acr_values: str = ""
    accepted_acr: str = ""

    def stub_issuer(self, config: Mapping[str, Any]) -> str:
        """Return the issuer of this provider's local stub."""
        return config["BASE_URL"].rstrip("/") + self.stub_path


#: デジタル認証アプリ: the My Number card, for residents.
MYNUMBER = Profile(
    prefix="MYNUMBER",
    stub_path="/stub-idp",
    stub_client_id="yokohama-portal",
    stub_key_label="stub-client",
    redirect_path="/identity/callback",
    scopes="openid name address birthdate gender",
    acr_values="aal3 crl",
    accepted_acr="aal3",
)
#: The city's staff directory, for the back office.
STAFF_DIRECTORY = Profile(
    prefix="STAFF_OIDC",
    stub_path="/stub-directory",
    stub_client_id="yokohama-portal-staff",
    stub_key_label="stub-directory-client",
    redirect_path="/staff/sign-in/directory/callback",
    scopes="openid",
)


def settings_from_config(config: Mapping[str, Any], profile: Profile) -> OIDCSettings | None:
    """Return the client registration the configuration describes, or None if there is none."""
    name = profile.prefix
    base = config["BASE_URL"].rstrip("/")
    stub = config.get("STUB_IDP_ENABLED", False)
    issuer = config.get(f"{name}_ISSUER") or (profile.stub_issuer(config) if stub else None)
    client_id = config.get(f"{name}_CLIENT_ID") or (profile.stub_client_id if stub else None)
    if not issuer or not client_id:
        return None
    if config.get(f"{name}_PRIVATE_KEY"):
        key = load_private_key(config[f"{name}_PRIVATE_KEY"])
    elif stub:
        key = to_jwk(derived_ec_key(config["SECRET_KEY"], profile.stub_key_label))
    else:
        raise RuntimeError(
            f"PORTAL_{name}_PRIVATE_KEY is not set (an ES256 key, PEM or JWK, or a file holding it)"
        )
    if config.get(f"{name}_CLIENT_KEY_ID"):
        key = with_kid(key, config[f"{name}_CLIENT_KEY_ID"])
    endpoints = {
        endpoint: config[f"{name}_{endpoint.upper()}"]
        for endpoint in ENDPOINTS
        if config.get(f"{name}_{endpoint.upper()}")
    }
    discovery = config.get(f"{name}_DISCOVERY_URL")
    if discovery is None and not endpoints:
        discovery = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    return OIDCSettings(
        issuer=issuer,
        client_id=client_id,
        private_key=key,
        redirect_uri=config.get(f"{name}_REDIRECT_URI") or base + profile.redirect_path,
        scopes=tuple((config.get(f"{name}_SCOPES") or profile.scopes).split()),
        discovery_url=discovery or None,
        endpoints=endpoints,
        acr_values=tuple((config.get(f"{name}_ACR_VALUES") or profile.acr_values).split()),
        accepted_acr=frozenset(
            (config.get(f"{name}_ACCEPTED_ACR") or profile.accepted_acr).split()
        ),
        algorithms=tuple((config.get(f"{name}_ALGORITHMS") or "ES256").split()),
    )
