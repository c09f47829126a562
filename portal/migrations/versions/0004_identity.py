"""identity: sign-ins, submission identities and signatures, stub provider state

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0004"
down_revision = "0001"
branch_labels = ("identity",)
depends_on = None

TIME = portal.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "identity_sessions",
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("assurance", sa.String(length=16), nullable=False),
        sa.Column("acr", sa.String(length=64), nullable=True),
        sa.Column("authenticated_at", TIME, nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("id_token", sa.Text(), nullable=True),
        sa.Column("prefill_consent", sa.JSON(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index("ix_identity_sessions_last_seen_at", "identity_sessions", ["last_seen_at"])
    op.create_table(
        "draft_identities",
        sa.Column("draft_token", sa.String(length=43), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["draft_token"], ["drafts.token"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("draft_token"),
    )
    op.create_table(
        "draft_signatures",
        sa.Column("draft_token", sa.String(length=43), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("certificate_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("signed_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["draft_token"], ["drafts.token"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("draft_token"),
    )
    op.create_table(
        "submission_identities",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("assurance", sa.String(length=16), nullable=False),
        sa.Column("acr", sa.String(length=64), nullable=True),
        sa.Column("authenticated_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id"),
    )
    op.create_table(
        "submission_signatures",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("certificate_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("verified_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id"),
    )
    op.create_table(
        "stub_idp_cards",
        sa.Column("persona_id", sa.String(length=32), nullable=False),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("pin_locked", sa.Boolean(), nullable=False),
        sa.Column("signature_failures", sa.Integer(), nullable=False),
        sa.Column("signature_locked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("persona_id"),
    )
    op.create_table(
        "stub_idp_grants",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("persona_id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("nonce", sa.String(length=255), nullable=True),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("acr", sa.String(length=64), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("auth_time", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_table(
        "stub_idp_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("persona_id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "stub_idp_assertions",
        sa.Column("jti", sa.String(length=255), nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("jti"),
    )


def downgrade() -> None:
    for table in (
        "stub_idp_assertions",
        "stub_idp_tokens",
        "stub_idp_grants",
        "stub_idp_cards",
        "submission_signatures",
        "submission_identities",
        "draft_signatures",
        "draft_identities",
    ):
        op.drop_table(table)
    op.drop_index("ix_identity_sessions_last_seen_at", table_name="identity_sessions")
    op.drop_table("identity_sessions")
