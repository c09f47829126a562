"""Identity tables: sign-ins, what a submission records, and the stub provider's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base


class IdentitySession(Base):
    """A resident's sign-in, held on the server; the browser keeps only its token."""

    __tablename__ = "identity_sessions"

    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    adapter: Mapped[str] = mapped_column(String(32))
    subject_hash: Mapped[str] = mapped_column(String(64))
    assurance: Mapped[str] = mapped_column(String(16))
    acr: Mapped[str | None] = mapped_column(String(64))
    authenticated_at: Mapped[datetime]
    claims: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Kept only to ask the provider to end its session too (RP-initiated logout).
    id_token: Mapped[str | None] = mapped_column(Text)
    prefill_consent: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)


class DraftIdentity(Base):
    """Who a strict-identity draft belongs to, so nobody else continues it."""

    __tablename__ = "draft_identities"

    draft_token: Mapped[str] = mapped_column(
        ForeignKey("drafts.token", ondelete="CASCADE"), primary_key=True
    )
    adapter: Mapped[str] = mapped_column(String(32))
    subject_hash: Mapped[str] = mapped_column(String(64))


class DraftSignature(Base):
    """A signature over a draft's answers, waiting for the draft to be submitted."""

    __tablename__ = "draft_signatures"

    draft_token: Mapped[str] = mapped_column(
        ForeignKey("drafts.token", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)
    certificate: Mapped[str] = mapped_column(Text)
    certificate_fingerprint: Mapped[str] = mapped_column(String(64))
    valid: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]


class SubmissionIdentity(Base):
    """How the resident proved who they are for a submission (never the individual number)."""

    __tablename__ = "submission_identities"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    adapter: Mapped[str] = mapped_column(String(32))
    subject_hash: Mapped[str] = mapped_column(String(64))
    assurance: Mapped[str] = mapped_column(String(16))
    acr: Mapped[str | None] = mapped_column(String(64))
    authenticated_at: Mapped[datetime]


class SubmissionSignature(Base):
    """The electronic signature over exactly what was submitted, and whether it verified."""

    __tablename__ = "submission_signatures"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)
    certificate: Mapped[str] = mapped_column(Text)
    certificate_fingerprint: Mapped[str] = mapped_column(String(64))
    valid: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime]


class StubCard(Base):
    """A test persona's card in the stub provider: wrong PIN counts and locks."""

    __tablename__ = "stub_idp_cards"

    persona_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pin_failures: Mapped[int] = mapped_column(default=0)
    pin_locked: Mapped[bool] = mapped_column(default=False)
    signature_failures: Mapped[int] = mapped_column(default=0)
    signature_locked: Mapped[bool] = mapped_column(default=False)


class StubGrant(Base):
    """A one-time code the stub provider issued: a sign-in (also the authorization of a
    signing) or a staff directory sign-in."""

    __tablename__ = "stub_idp_grants"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # "login" or "directory"; digest and signature are no longer written (sign transactions
    # have their own table since the sign-transaction flow)
    kind: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str] = mapped_column(String(128))
    redirect_uri: Mapped[str] = mapped_column(Text)
    persona_id: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(255), default="")
    nonce: Mapped[str | None] = mapped_column(String(255))
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    acr: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(Text)
    auth_time: Mapped[datetime]
    expires_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(default=False)


class StubSignTransaction(Base):
    """A sign transaction the stub provider opened for a client: what to sign, and by whom."""

    __tablename__ = "stub_idp_sign_transactions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(128))
    #: what the card signs, base64: a SHA-256 digest, or its DigestInfo (RFC 8017) when asked
    digest: Mapped[str] = mapped_column(Text)
    digest_info: Mapped[bool] = mapped_column(default=False)
    #: who signed, and the signature (base64), once the card has signed
    persona_id: Mapped[str | None] = mapped_column(String(32))
    signature: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class StubAccessToken(Base):
    """An access token the stub provider issued, by its hash."""

    __tablename__ = "stub_idp_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(128))
    persona_id: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime]


class StubAssertion(Base):
    """A client assertion already used at the stub's token endpoint (no replays)."""

    __tablename__ = "stub_idp_assertions"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime]
