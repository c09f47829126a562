"""What the stub provider is configured with: its issuer, keys, clients and faults."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from joserfc.jwk import ECKey

from portal.identity.keys import derived_ec_key, to_jwk
from portal.identity.mynumber import settings_from_config

#: Faults tests can switch on with app.config["STUB_IDP_FAULTS"].
FAULTS = frozenset(
    {
        "bad_signature",
        "alg_none",
        "hmac",
        "wrong_iss",
        "wrong_aud",
        "missing_sub",
        "missing_iat",
        "expired",
        "wrong_nonce",
        "unknown_kid",
        "userinfo_sub_mismatch",
        "missing_id_token",
        "pkce_unsupported",
        "low_acr",
    }
)


@dataclass(frozen=True)
class Client:
    """A relying party registered at the stub."""

    client_id: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    public_key: ECKey


@dataclass(frozen=True)
class StubConfig:
    """The stub provider's settings for one request."""

    issuer: str
    signing_key: ECKey
    rogue_key: ECKey
    pairwise_secret: bytes
    clients: dict[str, Client]
    faults: frozenset[str]

    def has(self, fault: str) -> bool:
        """Tell whether `fault` is switched on."""
        return fault in self.faults

    def pairwise_sub(self, client_id: str, persona_id: str) -> str:
        """Return the subject identifier this client sees for this persona."""
        digest = hmac.new(self.pairwise_secret, f"{client_id}|{persona_id}".encode(), "sha256")
        return "sub-" + digest.hexdigest()[:32].translate(str.maketrans("0123456789", "ghijkmnpqr"))


def stub_config(config: Mapping[str, Any]) -> StubConfig:
    """Build the stub's settings from the app configuration."""
    secret = config["SECRET_KEY"]
    base = config["BASE_URL"].rstrip("/")
    generation = int(config.get("STUB_IDP_KEY_GENERATION", 1))
    faults = frozenset(config.get("STUB_IDP_FAULTS") or ())
    unknown = faults - FAULTS
    if unknown:
        raise ValueError(f"unknown stub faults: {sorted(unknown)}")
    clients: dict[str, Client] = {}
    portal = settings_from_config(config)
    if portal is not None:
        public = ECKey.import_key(portal.private_key.as_dict(private=False))
        clients[portal.client_id] = Client(
            client_id=portal.client_id,
            redirect_uris=(portal.redirect_uri,),
            post_logout_redirect_uris=(f"{base}/identity/signed-out",),
            public_key=public,
        )
    return StubConfig(
        issuer=f"{base}/stub-idp",
        signing_key=to_jwk(derived_ec_key(secret, f"stub-idp-signing-{generation}")),
        rogue_key=to_jwk(derived_ec_key(secret, "stub-idp-rogue")),
        pairwise_secret=hashlib.sha256(f"stub-idp-pairwise:{secret}".encode()).digest(),
        clients=clients,
        faults=faults,
    )
