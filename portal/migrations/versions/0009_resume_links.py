"""resume links: a saved draft continued on another device from an emailed link

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_TIME = portal.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "resume_links",
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        sa.Column(
            "draft_token",
            sa.String(43),
            sa.ForeignKey("drafts.token", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("page_id", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("opened_by", sa.String(43), nullable=True),
        sa.Column("replaced_at", UTC_TIME, nullable=True),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
    )
    op.create_index("ix_resume_links_draft_token", "resume_links", ["draft_token"])
    op.create_index("ix_resume_links_expires_at", "resume_links", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_resume_links_expires_at", "resume_links")
    op.drop_index("ix_resume_links_draft_token", "resume_links")
    op.drop_table("resume_links")
