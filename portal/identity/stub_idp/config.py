"""What a stub provider is configured with: its issuer, keys, clients, people and faults."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from joserfc.jwk import ECKey, Key, RSAKey

from portal.identity.keys import derived_ec_key, to_jwk
from portal.identity.oidc import OIDCSettings
from portal.identity.registration import MYNUMBER, STAFF_DIRECTORY, settings_from_config
from portal.identity.signature_client import CALLBACK_PATH, result_encryption_key
from portal.identity.stub_idp.personas import load_personas, load_staff_personas

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
        "no_kid",
    }
)


@dataclass(frozen=True)
class Client:
    """A relying party registered at the stub."""

    client_id: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    #: the client's registered public keys by key id: `use: sig` ones verify its assertions
    #: (an assertion names the one it used), the `use: enc` one receives signature results
    public_keys: Mapping[str, Key]

    def signing_key(self, kid: str) -> ECKey | None:
        """Return the registered signing key named `kid`, or None."""
        key = self.public_keys.get(kid)
        return key if isinstance(key, ECKey) and key.get("use", "sig") == "sig" else None

    def encryption_key(self) -> RSAKey | None:
        """Return the registered key to encrypt results to, or None if none is registered."""
        found = [key for key in self.public_keys.values() if key.get("use") == "enc"]
        return found[0] if len(found) == 1 and isinstance(found[0], RSAKey) else None


#: The My Number stub's scopes, each naming the one claim it grants; `sign` grants none: it
#: asks for the card's signature over a sign transaction.
CARD_SCOPE_CLAIMS = {
    **{scope: (scope,) for scope in ("name", "address", "birthdate", "gender")},
    "sign": (),
}


@dataclass(frozen=True)
class StubConfig:
    """One stub provider's settings for one request: an issuer, its keys, clients and people."""

    issuer: str
    signing_key: ECKey
    rogue_key: ECKey
    pairwise_secret: bytes
    clients: dict[str, Client]
    faults: frozenset[str]
    #: who can sign in here, by persona id; each has claims() for userinfo
    personas: Mapping[str, Any] = field(default_factory=dict)
    #: scope → the claims it grants (openid grants sub alone)
    scope_claims: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(CARD_SCOPE_CLAIMS)
    )
    #: the kind of the codes it issues, so a code never crosses from one stub to the other
    grant_kind: str = "login"
    #: "pairwise" (a subject per client, as デジタル認証アプリ) or "public" (the persona id)
    subject_type: str = "pairwise"
    acr_values: tuple[str, ...] = ("aal3", "crl")
    amr: tuple[str, ...] = ("hwk", "pin")
    #: whether clients may get a token of their own (client credentials), to open sign
    #: transactions
    client_credentials: bool = False

    @property
    def scopes(self) -> frozenset[str]:
        """Return the scopes this stub accepts."""
        return frozenset({"openid", *self.scope_claims})

    def has(self, fault: str) -> bool:
        """Tell whether `fault` is switched on."""
        return fault in self.faults

    def subject(self, client_id: str, persona_id: str) -> str:
        """Return the subject identifier this client sees for this persona."""
        if self.subject_type == "public":
            return persona_id
        return self.pairwise_sub(client_id, persona_id)

    def pairwise_sub(self, client_id: str, persona_id: str) -> str:
        """Return the pairwise subject identifier this client sees for this persona."""
        digest = hmac.new(self.pairwise_secret, f"{client_id}|{persona_id}".encode(), "sha256")
        return "sub-" + digest.hexdigest()[:32].translate(str.maketrans("0123456789", "ghijkmnpqr"))


def faults_of(config: Mapping[str, Any]) -> frozenset[str]:
    """Return the faults tests switched on (both stubs obey them)."""
    faults = frozenset(config.get("STUB_IDP_FAULTS") or ())
    unknown = faults - FAULTS
    if unknown:
        raise ValueError(f"unknown stub faults: {sorted(unknown)}")
    return faults


def registered_client(
    settings: OIDCSettings | None,
    logout_uri: str | None,
    extra_keys: tuple[ECKey, ...] = (),
    extra_redirect_uris: tuple[str, ...] = (),
    encryption_key: RSAKey | None = None,
) -> dict[str, Client]:
    """Return the portal's client registration as the stub knows it (public keys only)."""
    if settings is None:
        return {}
    public = ECKey.import_key(settings.private_key.as_dict(private=False))
    extra: dict[str, Key] = {key.kid: key for key in extra_keys}
    if encryption_key is not None:
        sealed = RSAKey.import_key(encryption_key.as_dict(private=False))
        extra[sealed.kid] = sealed
    return {
        settings.client_id: Client(
            client_id=settings.client_id,
            redirect_uris=(settings.redirect_uri, *extra_redirect_uris),
            post_logout_redirect_uris=(logout_uri,) if logout_uri else (),
            public_keys={**extra, public.kid: public},
        )
    }


def stub_config(config: Mapping[str, Any]) -> StubConfig:
    """Build the My Number stub's settings from the app configuration."""
    secret = config["SECRET_KEY"]
    base = config["BASE_URL"].rstrip("/")
    generation = int(config.get("STUB_IDP_KEY_GENERATION", 1))
    return StubConfig(
        issuer=MYNUMBER.stub_issuer(config),
        signing_key=to_jwk(
            derived_ec_key(secret, f"stub-idp-signing-{generation}"), config.get("STUB_IDP_KID")
        ),
        rogue_key=to_jwk(derived_ec_key(secret, "stub-idp-rogue")),
        pairwise_secret=hashlib.sha256(f"stub-idp-pairwise:{secret}".encode()).digest(),
        clients=registered_client(
            settings_from_config(config, MYNUMBER),
            f"{base}/identity/signed-out",
            tuple(config.get("STUB_IDP_CLIENT_KEYS") or ()),
            (base + CALLBACK_PATH,),
            result_encryption_key(config),
        ),
        faults=faults_of(config),
        personas=load_personas(),
        client_credentials=True,
    )


def directory_config(config: Mapping[str, Any]) -> StubConfig:
    """Build the stub staff directory's settings: its own issuer, keys, client and staff."""
    secret = config["SECRET_KEY"]
    generation = int(config.get("STUB_IDP_KEY_GENERATION", 1))
    return StubConfig(
        issuer=STAFF_DIRECTORY.stub_issuer(config),
        signing_key=to_jwk(
            derived_ec_key(secret, f"stub-directory-signing-{generation}"),
            config.get("STUB_IDP_KID"),
        ),
        rogue_key=to_jwk(derived_ec_key(secret, "stub-directory-rogue")),
        pairwise_secret=hashlib.sha256(f"stub-directory-pairwise:{secret}".encode()).digest(),
        clients=registered_client(settings_from_config(config, STAFF_DIRECTORY), None),
        faults=faults_of(config),
        personas=load_staff_personas(),
        scope_claims={"profile": ("name",), "email": ("email", "email_verified")},
        grant_kind="directory",
        subject_type="public",
        acr_values=(),
        amr=("pwd",),
    )
