"""A strict OpenID Connect relying party: code flow, PKCE S256, private_key_jwt, on Authlib."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx2
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc.jwk import ECKey

from portal.identity.adapter import IdentityFailure, LoginStart
from portal.identity.id_token import ASYMMETRIC_ALGORITHMS, Expected, verify_id_token
from portal.identity.jwks import FetchedKeys, ProviderKeys

log = logging.getLogger(__name__)

#: What a provider's `error` may be to be logged as it is (RFC 6749 codes are snake_case).
_ERROR_CODE = re.compile(r"[a-z0-9_]{1,40}")
#: How long a resident may take at the provider before coming back, in seconds.
LOGIN_TIMEOUT = 600
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "userinfo_endpoint",
    "end_session_endpoint",
)


@dataclass(frozen=True)
class OIDCSettings:
    """One client registration at one OpenID provider."""

    issuer: str
    client_id: str
    private_key: ECKey
    redirect_uri: str
    scopes: tuple[str, ...] = ("openid",)
    discovery_url: str | None = None
    #: endpoints configured one by one; they win over discovery
    endpoints: dict[str, str] = field(default_factory=dict)
    acr_values: tuple[str, ...] = ()
    accepted_acr: frozenset[str] = frozenset()
    algorithms: tuple[str, ...] = ("ES256",)
    timeout: float = 10.0

    def __post_init__(self) -> None:
        unsafe = [alg for alg in self.algorithms if alg not in ASYMMETRIC_ALGORITHMS]
        if unsafe or not self.algorithms:
            raise ValueError(f"ID token algorithms must be asymmetric, not {unsafe}")
        if "openid" not in self.scopes:
            raise ValueError("the scopes must include openid")


@dataclass(frozen=True)
class VerifiedLogin:
    """What the provider said, after every check passed."""

    id_token: str
    id_claims: dict[str, Any]
    userinfo: dict[str, Any]
    #: for what the provider serves the resident's grant beyond userinfo (a signature)
    access_token: str | None = None


TransportFactory = Callable[[], httpx2.BaseTransport | None]


class OIDCRelyingParty:
    """Sign residents in at one provider; every answer it gives is checked."""

    def __init__(
        self,
        settings: OIDCSettings,
        *,
        now: Callable[[], datetime],
        transport: TransportFactory = lambda: None,
    ):
        self.settings = settings
        self._now = now
        self._transport = transport
        self._metadata: dict[str, Any] | None = None
        self.keys = ProviderKeys(self._fetch_keys, lambda: self._now().timestamp())

    # -- talking to the provider ------------------------------------------------------------

    def _client(self, **kwargs: Any) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.settings.client_id,
            transport=self._transport(),
            timeout=self.settings.timeout,
            follow_redirects=False,
            **kwargs,
        )

    def _get(self, url: str, reason: str, **kwargs: Any) -> httpx2.Response:
        try:
            with httpx2.Client(
                transport=self._transport(), timeout=self.settings.timeout, follow_redirects=False
            ) as client:
                response = client.get(url, **kwargs)
            response.raise_for_status()
        except httpx2.HTTPError:
            raise IdentityFailure(reason) from None
        return response

    @staticmethod
    def _json(response: httpx2.Response, reason: str) -> dict[str, Any]:
        try:
            value = response.json()
        except ValueError:
            raise IdentityFailure(reason) from None
        if not isinstance(value, dict):
            raise IdentityFailure(reason)
        return value

    def _get_json(self, url: str, reason: str, **kwargs: Any) -> dict[str, Any]:
        return self._json(self._get(url, reason, **kwargs), reason)

    def metadata(self) -> dict[str, Any]:
        """Return the provider's endpoints: discovered, then overridden one by one."""
        if self._metadata is None:
            found: dict[str, Any] = {}
            if self.settings.discovery_url:
                found = self._get_json(self.settings.discovery_url, "discovery_failed")
                if found.get("issuer") != self.settings.issuer:
                    raise IdentityFailure("discovery_wrong_issuer")
                methods = found.get("code_challenge_methods_supported") or []
                if "S256" not in methods:
                    raise IdentityFailure("provider_without_pkce_s256")
            found.update(self.settings.endpoints)
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not found.get(name):
                    raise IdentityFailure(f"no_{name}")
            self._metadata = found
        return self._metadata

    def _fetch_keys(self) -> FetchedKeys:
        response = self._get(self.metadata()["jwks_uri"], "jwks_failed")
        return FetchedKeys(
            self._json(response, "jwks_failed"), response.headers.get("cache-control")
        )

    def provider_origins(self) -> list[str]:
        """Return the origins a sign-in form's redirect leads to (for the page's CSP)."""
        from portal.web import origins_of

        return origins_of(
            self.settings.issuer, self.settings.endpoints.get("authorization_endpoint")
        )

    # -- the flow ------------------------------------------------------------------------------

    def authorization_request(
        self, extra_params: dict[str, str] | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Return the URL to send the resident to and the state to keep until they return;
        `extra_params` go into the request as they are (`sign_transaction_id`)."""
        pending = {
            "state": generate_token(43),
            "nonce": generate_token(43),
            "code_verifier": generate_token(64),
            "started_at": self._now().timestamp(),
        }
        extra = (
            {"acr_values": " ".join(self.settings.acr_values)} if self.settings.acr_values else {}
        ) | (extra_params or {})
        client = self._client(
            scope=" ".join(self.settings.scopes),
            redirect_uri=self.settings.redirect_uri,
            code_challenge_method="S256",
        )
        with client:
            url, _state = client.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                state=pending["state"],
                code_verifier=pending["code_verifier"],
                nonce=pending["nonce"],
                **extra,
            )
        return url, pending

    def complete(self, params: dict[str, str], pending: dict[str, Any]) -> VerifiedLogin:
        """Exchange the returned code and check everything; raise IdentityFailure otherwise."""
        now = self._now().timestamp()
        if not pending or now - float(pending.get("started_at", 0)) > LOGIN_TIMEOUT:
            raise IdentityFailure("login_expired")
        if not secrets.compare_digest(str(params.get("state", "")), str(pending["state"])):
            raise IdentityFailure("state_mismatch")
        if "error" in params:
            # The reason is logged: only an error code of the safe alphabet is kept in it.
            error = params["error"] if _ERROR_CODE.fullmatch(params["error"]) else "unknown"
            raise IdentityFailure(f"provider_error_{error}")
        if "iss" in params and params["iss"] != self.settings.issuer:
            raise IdentityFailure("response_wrong_iss")
        if not params.get("code"):
            raise IdentityFailure("no_code")
        token = self._token(params["code"], pending["code_verifier"], now)
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise IdentityFailure("missing_id_token")
        expected = Expected(
            issuer=self.settings.issuer,
            client_id=self.settings.client_id,
            nonce=pending["nonce"],
            algorithms=self.settings.algorithms,
            accepted_acr=self.settings.accepted_acr,
            now=now,
        )
        claims = verify_id_token(id_token, expected, self.keys)
        userinfo = self._userinfo(token, claims["sub"])
        return VerifiedLogin(
            id_token=id_token,
            id_claims=claims,
            userinfo=userinfo,
            access_token=token.get("access_token"),
        )

    def client_token(self) -> str:
        """Return an access token of the client's own (client credentials, private_key_jwt)."""
        endpoint = self.metadata()["token_endpoint"]
        auth = client_assertion(self.settings.private_key, endpoint, self._now().timestamp())
        client = self._client(
            client_secret=self.settings.private_key, token_endpoint_auth_method=auth
        )
        try:
            with client:
                token = client.fetch_token(endpoint, grant_type="client_credentials")
        except Exception as error:  # Authlib raises its own errors, httpx2 its own
            log.warning("client credentials refused: %s", type(error).__name__)
            raise IdentityFailure("client_credentials_failed") from None
        if str(token.get("token_type", "")).lower() != "bearer" or not token.get("access_token"):
            raise IdentityFailure("client_credentials_failed")
        return str(token["access_token"])

    def _token(self, code: str, code_verifier: str, now: float) -> dict[str, Any]:
        endpoint = self.metadata()["token_endpoint"]
        auth = client_assertion(self.settings.private_key, endpoint, now)
        client = self._client(
            client_secret=self.settings.private_key,
            token_endpoint_auth_method=auth,
            redirect_uri=self.settings.redirect_uri,
        )
        try:
            with client:
                token = client.fetch_token(
                    endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
        except Exception as error:  # Authlib raises its own errors, httpx2 its own
            log.warning("token request refused: %s", type(error).__name__)
            raise IdentityFailure("token_request_failed") from None
        if str(token.get("token_type", "")).lower() != "bearer":
            raise IdentityFailure("token_type_not_bearer")
        return dict(token)

    def _userinfo(self, token: dict[str, Any], sub: str) -> dict[str, Any]:
        endpoint = self.metadata().get("userinfo_endpoint")
        if not endpoint:
            return {}
        if not token.get("access_token"):
            raise IdentityFailure("missing_access_token")
        info = self._get_json(
            endpoint,
            "userinfo_failed",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        if not isinstance(info.get("sub"), str) or not secrets.compare_digest(info["sub"], sub):
            raise IdentityFailure("userinfo_sub_mismatch")
        return info

    def logout_url(
        self, *, id_token: str | None, post_logout_redirect_uri: str, state: str
    ) -> str | None:
        """Return the provider's end-session URL, or None if it offers none."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except IdentityFailure:
            return None
        if not endpoint:
            return None
        query = {
            "client_id": self.settings.client_id,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "state": state,
        }
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


def client_assertion(private_key: ECKey, endpoint: str, now: float) -> PrivateKeyJWT:
    """Return private_key_jwt client authentication at `endpoint`: ES256, `kid` in the header,
    valid for a minute (a provider holding several keys of ours picks the one by `kid`)."""
    return PrivateKeyJWT(
        endpoint,
        alg="ES256",
        claims={"iat": int(now), "exp": int(now) + 60},
        headers={"kid": private_key.kid},
    )


def timestamp_to_datetime(value: float) -> datetime:
    """Turn a JWT time into an aware datetime."""
    return datetime.fromtimestamp(value, UTC)


class ProviderClient:
    """The portal's registration at one OpenID provider, as a sign-in flow uses it: where to
    send the person, and which origins the sign-in form may lead to. Sign-in flows (the My
    Number adapter, the staff directory) add what they make of the verified answer."""

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
        """Return the provider URL to send the person to, with the state to keep."""
        url, pending = self.relying_party.authorization_request()
        return LoginStart(url=url, pending=pending)

    def form_origins(self) -> list[str]:
        """Return the origins the sign-in form's redirect leads to (the page's CSP allows them)."""
        return self.relying_party.provider_origins()
