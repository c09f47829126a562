"""The relying party's side of the sign-transaction flow: ask for a signature, collect it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx2
from authlib.integrations.httpx_client import OAuth2Client
from cryptography import x509
from joserfc.jwk import ECKey

from portal.identity.mynumber import settings_from_config
from portal.identity.oidc import client_assertion
from portal.identity.signature_verification import load_trust_anchors

log = logging.getLogger(__name__)
CALLBACK_PATH = "/identity/signature-callback"
#: How long a resident may take at the provider before coming back, in seconds.
SIGNING_TIMEOUT = 600


class SigningFailure(Exception):
    """Signing did not complete; `reason` is logged, never shown."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignatureSettings:
    """Where to ask for signatures, as whom, and which CAs to trust for them."""

    endpoint: str
    token_endpoint: str
    #: the provider's issuer: its subject for the signer is compared with the signed-in one's
    issuer: str
    client_id: str
    private_key: ECKey
    redirect_uri: str
    anchors: tuple[x509.Certificate, ...]
    timeout: float = 10.0


def signature_settings(config: Mapping[str, Any]) -> SignatureSettings | None:
    """Return the signing settings the configuration describes, or None if signing is off."""
    client = settings_from_config(config)
    if client is None:
        return None
    stub = config.get("STUB_IDP_ENABLED") and not config.get("MYNUMBER_ISSUER")
    stub_base = config["BASE_URL"].rstrip("/") + "/stub-idp"
    endpoint = config.get("MYNUMBER_SIGNATURE_ENDPOINT") or (f"{stub_base}/sign" if stub else "")
    token = config.get("MYNUMBER_SIGNATURE_TOKEN_ENDPOINT") or (
        f"{stub_base}/sign/token" if stub else ""
    )
    if config.get("MYNUMBER_SIGNATURE_TRUST_ANCHOR"):
        anchors = load_trust_anchors(config["MYNUMBER_SIGNATURE_TRUST_ANCHOR"])
    elif stub:
        from portal.identity.stub_idp.signing import ca_certificate

        anchors = (ca_certificate(config["SECRET_KEY"]),)
    else:
        anchors = ()
    if not endpoint or not token or not anchors:
        return None
    return SignatureSettings(
        endpoint=endpoint,
        token_endpoint=token,
        issuer=client.issuer,
        client_id=client.client_id,
        private_key=client.private_key,
        redirect_uri=config["BASE_URL"].rstrip("/") + CALLBACK_PATH,
        anchors=anchors,
    )


def sign_request_url(settings: SignatureSettings, digest: str, state: str) -> str:
    """Return the provider URL where the resident signs `digest`."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.client_id,
            "redirect_uri": settings.redirect_uri,
            "state": state,
            "digest": digest,
            "digest_algorithm": "sha-256",
        }
    )
    separator = "&" if "?" in settings.endpoint else "?"
    return f"{settings.endpoint}{separator}{query}"


def collect_signature(
    settings: SignatureSettings,
    code: str,
    now: datetime,
    transport: httpx2.BaseTransport | None,
) -> dict[str, str]:
    """Exchange the returned code for {digest, signature, certificate, sub} (private_key_jwt);
    `sub` is the provider's subject for the resident whose card signed."""
    auth = client_assertion(settings.private_key, settings.token_endpoint, now.timestamp())
    client = OAuth2Client(
        client_id=settings.client_id,
        client_secret=settings.private_key,
        token_endpoint_auth_method=auth,
        redirect_uri=settings.redirect_uri,
        transport=transport,
        timeout=settings.timeout,
        follow_redirects=False,
    )
    try:
        with client:
            body = client.fetch_token(
                settings.token_endpoint, grant_type="authorization_code", code=code
            )
    except Exception as error:  # Authlib raises its own errors, httpx2 its own
        log.warning("signature collection refused: %s", type(error).__name__)
        raise SigningFailure("signature_request_failed") from None
    found = {name: body.get(name) for name in ("digest", "signature", "certificate", "sub")}
    if body.get("digest_algorithm") != "sha-256" or not all(
        isinstance(value, str) and value for value in found.values()
    ):
        raise SigningFailure("signature_response_incomplete")
    return found  # type: ignore[return-value]


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
