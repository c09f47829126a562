"""The relying party's side of the sign-transaction flow, as デジタル認証アプリ documents it.

1. A token of the portal's own: client credentials at the token endpoint (private_key_jwt).
2. `POST <sign transactions endpoint>` with that token and the SHA-256 digest in base64 (or its
   DigestInfo, when the signature goes to J-LIS): the provider answers a `sign_transaction_id`.
3. The resident authorizes at the authorization endpoint with `scope=openid sign` and the
   `sign_transaction_id` (code flow with PKCE, state and nonce, as sign-in); their card signs.
4. The code is exchanged (the ID token checked as at sign-in: its `sub` names who signed), and
   `GET <sign transactions endpoint>/<id>/result` with that access token gives the signature
   and the certificate, as a JWE encrypted to the portal's encryption key (signature_result.py).

What the published documentation confirms and what is assumed is in README.md; request and
response field names are assumed here, in this one module.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import httpx2
from cryptography import x509
from joserfc.jwk import RSAKey

from portal.identity.adapter import IdentityFailure
from portal.identity.keys import (
    derived_rsa_key,
    load_encryption_key,
    subject_hash,
    to_encryption_jwk,
)
from portal.identity.mynumber import settings_from_config
from portal.identity.oidc import OIDCRelyingParty, OIDCSettings, TransportFactory
from portal.identity.revocation import RevocationLists
from portal.identity.signature_result import UnreadableResult, decrypt_result
from portal.identity.signature_verification import (
    DIGEST_INFO_SHA256,
    MalformedSignature,
    Verification,
    load_trust_anchors,
    verify,
)

log = logging.getLogger(__name__)
CALLBACK_PATH = "/identity/signature-callback"
#: What the resident authorizes when signing: the signature alone, no card facts.
SIGNING_SCOPES = ("openid", "sign")
#: the label the stub's client encryption key is derived under (development and tests only)
STUB_ENCRYPTION_KEY_LABEL = "stub-client-encryption"


class SigningFailure(Exception):
    """Signing did not complete; `reason` is logged, never shown."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignatureSettings:
    """Where to open sign transactions, as which client, and which CAs to trust."""

    #: `POST` opens a transaction; `GET <this>/<id>/result` collects its signature
    sign_transactions_endpoint: str
    #: the sign-in registration, with the signature callback and the `sign` scope
    client: OIDCSettings
    anchors: tuple[x509.Certificate, ...]
    #: the private key results are encrypted to (its public half is registered, `use: enc`)
    encryption_key: RSAKey
    #: send the SHA-256 digest wrapped in DigestInfo (RFC 8017), as J-LIS submissions need
    digest_info: bool = False
    timeout: float = 10.0

    @property
    def issuer(self) -> str:
        """Return the provider's issuer (its subject for the signer is bound to the sign-in's)."""
        return self.client.issuer


@dataclass(frozen=True)
class ReturnedSignature:
    """What the provider returned for a transaction: the signature, certificate and signer."""

    signature: str  # base64
    certificate: str  # base64 DER
    subject: str  # the provider's `sub` for the resident whose card signed


def result_encryption_key(config: Mapping[str, Any]) -> RSAKey | None:
    """Return the key the provider encrypts signature results to, or None if none is set."""
    if config.get("MYNUMBER_ENCRYPTION_KEY"):
        return _configured_encryption_key(config["MYNUMBER_ENCRYPTION_KEY"])
    if config.get("STUB_IDP_ENABLED"):
        return _stub_encryption_key(config["SECRET_KEY"])
    return None


# Reading an RSA key checks it (tens of milliseconds): each is read once per process.
@lru_cache(maxsize=8)
def _configured_encryption_key(text: str) -> RSAKey:
    return load_encryption_key(text)


@lru_cache(maxsize=8)
def _stub_encryption_key(secret: str) -> RSAKey:
    return to_encryption_jwk(derived_rsa_key(secret, STUB_ENCRYPTION_KEY_LABEL))


def signature_settings(config: Mapping[str, Any]) -> SignatureSettings | None:
    """Return the signing settings the configuration describes, or None if signing is off."""
    client = settings_from_config(config)
    if client is None:
        return None
    stub = config.get("STUB_IDP_ENABLED") and not config.get("MYNUMBER_ISSUER")
    stub_base = config["BASE_URL"].rstrip("/") + "/stub-idp"
    endpoint = config.get("MYNUMBER_SIGN_TRANSACTIONS_ENDPOINT") or (
        f"{stub_base}/api/sign-transactions" if stub else ""
    )
    if config.get("MYNUMBER_SIGNATURE_TRUST_ANCHOR"):
        anchors = load_trust_anchors(config["MYNUMBER_SIGNATURE_TRUST_ANCHOR"])
    elif stub:
        from portal.identity.stub_idp.signing import ca_certificate

        anchors = (ca_certificate(config["SECRET_KEY"]),)
    else:
        anchors = ()
    if not endpoint or not anchors:
        return None
    encryption_key = result_encryption_key(config)
    if encryption_key is None:
        raise RuntimeError(
            "PORTAL_MYNUMBER_ENCRYPTION_KEY is not set (an RSA private key, PEM or JWK, or a "
            "file holding it: signature results are encrypted to it)"
        )
    digest_info = (config.get("MYNUMBER_SIGNATURE_DIGEST_INFO") or "0").strip()
    if digest_info not in ("0", "1"):
        raise RuntimeError("PORTAL_MYNUMBER_SIGNATURE_DIGEST_INFO must be 0 or 1")
    return SignatureSettings(
        sign_transactions_endpoint=endpoint.rstrip("/"),
        client=replace(
            client,
            redirect_uri=config["BASE_URL"].rstrip("/") + CALLBACK_PATH,
            scopes=SIGNING_SCOPES,
        ),
        anchors=anchors,
        encryption_key=encryption_key,
        digest_info=digest_info == "1",
    )


def transaction_digest(digest_hex: str, digest_info: bool) -> str:
    """Return what the card signs, in base64: the SHA-256 digest, or its DigestInfo."""
    raw = bytes.fromhex(digest_hex)
    return base64.b64encode(DIGEST_INFO_SHA256 + raw if digest_info else raw).decode()


class SigningClient:
    """Ask the provider for the resident's signature over a digest, and collect it."""

    def __init__(
        self,
        settings: SignatureSettings,
        *,
        now: Callable[[], datetime],
        transport: TransportFactory = lambda: None,
    ):
        self.settings = settings
        self.relying_party = OIDCRelyingParty(settings.client, now=now, transport=transport)
        self._transport = transport

    def form_origins(self) -> list[str]:
        """Return the origins the sign page's form leads to (the page's CSP allows them)."""
        return self.relying_party.provider_origins()

    def start(self, digest_hex: str) -> tuple[str, dict[str, Any]]:
        """Open a sign transaction for `digest_hex`; return where the resident authorizes it
        and what to keep until they return. Raise SigningFailure when the provider refuses."""
        try:
            token = self.relying_party.client_token()
        except IdentityFailure as failure:
            raise SigningFailure(failure.reason) from None
        sent = transaction_digest(digest_hex, self.settings.digest_info)
        body = self._call(
            "POST",
            self.settings.sign_transactions_endpoint,
            token,
            "sign_transaction_refused",
            json={"digest": sent, "digest_info": self.settings.digest_info},
        )
        transaction_id = body.get("sign_transaction_id")
        if not isinstance(transaction_id, str) or not 0 < len(transaction_id) <= 255:
            raise SigningFailure("sign_transaction_refused")
        try:
            url, pending = self.relying_party.authorization_request(
                {"sign_transaction_id": transaction_id}
            )
        except IdentityFailure as failure:
            raise SigningFailure(failure.reason) from None
        return url, {**pending, "sign_transaction_id": transaction_id, "sent_digest": sent}

    def finish(self, params: dict[str, str], pending: dict[str, Any]) -> ReturnedSignature:
        """Check the provider's return, collect the signature; raise SigningFailure if not."""
        try:
            login = self.relying_party.complete(params, pending)
        except IdentityFailure as failure:
            raise SigningFailure(failure.reason) from None
        if not login.access_token:
            raise SigningFailure("missing_access_token")
        url = (
            f"{self.settings.sign_transactions_endpoint}/"
            f"{quote(str(pending['sign_transaction_id']), safe='')}/result"
        )
        response = self._request("GET", url, login.access_token, "signature_result_failed")
        try:
            body = decrypt_result(response.text, self.settings.encryption_key)
        except UnreadableResult as unreadable:
            raise SigningFailure(unreadable.reason) from None
        found = {name: body.get(name) for name in ("signature", "certificate")}
        if not all(isinstance(value, str) and value for value in found.values()):
            raise SigningFailure("signature_response_incomplete")
        if "digest" in body and body["digest"] != pending["sent_digest"]:
            raise SigningFailure("digest_mismatch")
        return ReturnedSignature(
            signature=found["signature"],
            certificate=found["certificate"],
            subject=login.id_claims["sub"],
        )

    def collect(
        self,
        params: dict[str, str],
        pending: dict[str, Any],
        revocation: RevocationLists,
        now: datetime,
    ) -> tuple[Verification, str]:
        """Collect and verify the signature over `pending["digest"]`; return the verification
        and the hash of the signer's subject (to bind to the signed-in resident's)."""
        returned = self.finish(params, pending)
        try:
            verification = verify(
                str(pending["digest"]),
                returned.signature,
                returned.certificate,
                self.settings.anchors,
                revocation,
                now,
            )
        except MalformedSignature:
            raise SigningFailure("signature_malformed") from None
        return verification, subject_hash(self.settings.issuer, returned.subject)

    def _call(self, method: str, url: str, token: str, reason: str, **kwargs: Any) -> dict:
        response = self._request(method, url, token, reason, **kwargs)
        try:
            body = response.json()
        except ValueError:
            raise SigningFailure(reason) from None
        if not isinstance(body, dict):
            raise SigningFailure(reason)
        return body

    def _request(
        self, method: str, url: str, token: str, reason: str, **kwargs: Any
    ) -> httpx2.Response:
        """Send an API request; raise SigningFailure unless the provider answered with success."""
        try:
            with httpx2.Client(
                transport=self._transport(), timeout=self.settings.timeout, follow_redirects=False
            ) as client:
                response = client.request(
                    method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs
                )
                response.read()
        except httpx2.HTTPError:
            raise SigningFailure(reason) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            error = str(body.get("error", "")) if isinstance(body, dict) else ""
            if error == "sign_transaction_expired":
                raise SigningFailure("sign_transaction_expired")
            log.warning("sign transaction API refused: status=%s", response.status_code)
            raise SigningFailure(reason)
        return response


def fetch_crl(transport: httpx2.BaseTransport | None, timeout: float = 10.0):
    """Return a function that downloads a CRL (raising OSError when it cannot)."""

    def fetch(url: str) -> bytes:
        try:
            with httpx2.Client(
                transport=transport, timeout=timeout, follow_redirects=False
            ) as client:
                response = client.get(url)
            response.raise_for_status()
        except httpx2.HTTPError as error:
            raise OSError(f"CRL download failed: {type(error).__name__}") from None
        return response.content

    return fetch
