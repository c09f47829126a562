"""staff sessions in the database: signing out and account changes end them at once

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIME = portal.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey("staff_members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_index("ix_staff_sessions_created_at", "staff_sessions", ["created_at"])


def downgrade() -> None:
    op.drop_table("staff_sessions")
