"""The stub provider's rules: authorization requests, the card's PIN, codes, tokens, userinfo."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from portal.identity.models import StubAccessToken, StubCard, StubGrant
from portal.identity.stub_idp.config import StubConfig
from portal.identity.stub_idp.personas import Persona, StaffPersona
from portal.identity.stub_idp.tokens import id_token_claims, sign_id_token

PIN_TRIES = 3
CODE_LIFETIME = timedelta(minutes=2)
TOKEN_LIFETIME = timedelta(minutes=10)


class BadRequest(Exception):
    """An authorization request the stub must not redirect back for (unknown client/URI)."""


class TokenError(Exception):
    """A token request refused with an OAuth error code."""

    def __init__(self, error: str, status: int = 400):
        super().__init__(error)
        self.error = error
        self.status = status


@dataclass(frozen=True)
class AuthorizationRequest:
    """A checked authorization request, carried through the card page."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str | None
    code_challenge: str | None
    acr_values: str
    error: str | None = None

    def fields(self) -> dict[str, str]:
        """Return the request as hidden form fields."""
        return {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce or "",
            "code_challenge": self.code_challenge or "",
            "code_challenge_method": "S256",
            "acr_values": self.acr_values,
            "response_type": "code",
        }


def discovery(stub: StubConfig, url_for_endpoint: dict[str, str]) -> dict[str, Any]:
    """Return the discovery document."""
    document = {
        "issuer": stub.issuer,
        **url_for_endpoint,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"]
        + (["client_credentials"] if stub.client_credentials else []),
        "subject_types_supported": [stub.subject_type],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "scopes_supported": sorted(stub.scopes),
        "acr_values_supported": list(stub.acr_values),
        "claims_supported": [
            "sub",
            *dict.fromkeys(claim for claims in stub.scope_claims.values() for claim in claims),
            "acr",
            "auth_time",
        ],
        "code_challenge_methods_supported": ["S256"],
    }
    if stub.has("pkce_unsupported"):
        del document["code_challenge_methods_supported"]
    return document


def check_request(stub: StubConfig, args: dict[str, str]) -> AuthorizationRequest:
    """Return the checked request; raise BadRequest when it cannot even be redirected back."""
    client = stub.clients.get(args.get("client_id", ""))
    if client is None or args.get("redirect_uri") not in client.redirect_uris:
        raise BadRequest("unknown client or redirect_uri")
    challenge = args.get("code_challenge") or None
    scopes = set(args.get("scope", "").split())
    error = None
    if args.get("response_type") != "code":
        error = "unsupported_response_type"
    elif "openid" not in scopes or not scopes <= stub.scopes:
        error = "invalid_scope"
    elif (
        not stub.has("pkce_unsupported")
        and (not challenge or args.get("code_challenge_method") != "S256")
        or not args.get("nonce")
    ):
        error = "invalid_request"
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=args["redirect_uri"],
        scope=args.get("scope", ""),
        state=args.get("state", ""),
        nonce=args.get("nonce") or None,
        code_challenge=None if stub.has("pkce_unsupported") else challenge,
        acr_values=args.get("acr_values", ""),
        error=error,
    )


def card(session: Session, persona_id: str) -> StubCard:
    """Return the state of a persona's card, creating it on first use."""
    found = session.get(StubCard, persona_id, with_for_update=True)
    if found is None:
        found = StubCard(
            persona_id=persona_id,
            pin_failures=0,
            pin_locked=False,
            signature_failures=0,
            signature_locked=False,
        )
        session.add(found)
        session.flush()
    return found


SecretOutcome = tuple[Literal["ok", "wrong", "locked"], int]
PinOutcome = SecretOutcome


def check_secret(
    state, secret: Literal["pin", "signature"], given: str, expected: str, tries: int
) -> SecretOutcome:
    """Check one of the card's secrets; `tries` wrong ones in a row lock it, as on the card."""
    failures, locked = f"{secret}_failures", f"{secret}_locked"
    if getattr(state, locked):
        return "locked", 0
    if secrets.compare_digest(given.encode(), expected.encode()):
        setattr(state, failures, 0)
        return "ok", tries
    setattr(state, failures, getattr(state, failures) + 1)
    if getattr(state, failures) >= tries:
        setattr(state, locked, True)
        return "locked", 0
    return "wrong", tries - getattr(state, failures)


def read_card(session: Session, persona: Persona, pin: str) -> PinOutcome:
    """Check the PIN as the card does: three wrong tries lock it. Return (outcome, tries left)."""
    return check_secret(card(session, persona.id), "pin", pin, persona.pin, PIN_TRIES)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue_code(
    session: Session,
    request: AuthorizationRequest,
    persona: Persona | StaffPersona,
    now: datetime,
    kind: str = "login",
) -> str:
    """Store and return a one-time authorization code of `kind` (the stub's grant_kind)."""
    code = secrets.token_urlsafe(32)
    acr = "aal3" if "aal3" in request.acr_values.split() else "aal2"
    session.add(
        StubGrant(
            code_hash=_hash(code),
            kind=kind,
            client_id=request.client_id,
            redirect_uri=request.redirect_uri,
            persona_id=persona.id,
            scope=request.scope,
            nonce=request.nonce,
            code_challenge=request.code_challenge,
            acr=acr,
            auth_time=now,
            expires_at=now + CODE_LIFETIME,
            used=False,
        )
    )
    return code


def s256(verifier: str) -> str:
    """Return the PKCE S256 challenge for `verifier`."""
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def claim_grant(
    session: Session, kind: str, client_id: str, form: dict[str, str], now: datetime
) -> StubGrant:
    """Use up the unexpired `kind` code this client was given; raise TokenError otherwise."""
    if form.get("grant_type") != "authorization_code":
        raise TokenError("unsupported_grant_type")
    grant = session.get(StubGrant, _hash(form.get("code", "")), with_for_update=True)
    if (
        grant is None
        or grant.kind != kind
        or grant.used
        or grant.expires_at <= now
        or grant.client_id != client_id
        or grant.redirect_uri != form.get("redirect_uri")
    ):
        raise TokenError("invalid_grant")
    grant.used = True
    return grant


def redeem_code(
    session: Session, stub: StubConfig, client_id: str, form: dict[str, str], now: datetime
) -> dict[str, Any]:
    """Exchange an authorization code for tokens; raise TokenError when it cannot be."""
    grant = claim_grant(session, stub.grant_kind, client_id, form, now)
    if grant.code_challenge is not None:
        verifier = form.get("code_verifier", "")
        if not 43 <= len(verifier) <= 128 or not secrets.compare_digest(
            s256(verifier), grant.code_challenge
        ):
            raise TokenError("invalid_grant")
    access_token = secrets.token_urlsafe(32)
    session.add(
        StubAccessToken(
            token_hash=_hash(access_token),
            client_id=client_id,
            persona_id=grant.persona_id,
            scope=grant.scope,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    response: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
        "scope": grant.scope,
    }
    if not stub.has("missing_id_token"):
        claims = id_token_claims(
            stub,
            client_id=client_id,
            sub=stub.subject(client_id, grant.persona_id),
            nonce=grant.nonce,
            acr=grant.acr,
            auth_time=int(grant.auth_time.timestamp()),
            now=int(now.timestamp()),
        )
        response["id_token"] = sign_id_token(stub, claims)
    return response


def issue_client_token(session: Session, client_id: str, now: datetime) -> dict[str, Any]:
    """Issue a client's own access token (client credentials): it opens sign transactions and
    reads nobody's claims."""
    access_token = secrets.token_urlsafe(32)
    session.add(
        StubAccessToken(
            token_hash=_hash(access_token),
            client_id=client_id,
            persona_id="",
            scope="",
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
    }


def bearer_token(session: Session, bearer: str, now: datetime) -> StubAccessToken | None:
    """Return the unexpired access token `bearer`, or None."""
    token = session.get(StubAccessToken, _hash(bearer)) if bearer else None
    return token if token is not None and token.expires_at > now else None


def userinfo(
    session: Session, stub: StubConfig, bearer: str, now: datetime
) -> dict[str, Any] | None:
    """Return the claims an access token grants, or None when the token is not valid."""
    token = session.get(StubAccessToken, _hash(bearer))
    if (
        token is None
        or token.expires_at <= now
        or token.client_id not in stub.clients
        or token.persona_id not in stub.personas
    ):
        return None
    persona = stub.personas[token.persona_id]
    granted = {claim for scope in token.scope.split() for claim in stub.scope_claims.get(scope, ())}
    sub = stub.subject(token.client_id, persona.id)
    if stub.has("userinfo_sub_mismatch"):
        sub = stub.subject(token.client_id, "someone-else")
    return {"sub": sub, **{k: v for k, v in persona.claims().items() if k in granted}}
