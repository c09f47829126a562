"""the stub provider's sign transactions (POST /api/sign-transactions, as デジタル認証アプリ)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_TIME = portal.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stub_idp_sign_transactions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("digest_info", sa.Boolean(), nullable=False),
        sa.Column("persona_id", sa.String(32), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stub_idp_sign_transactions")
