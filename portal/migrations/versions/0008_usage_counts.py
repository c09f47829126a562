"""anonymous usage counts per day, completion times, and the marks of drafts' first times

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_daily_counts",
        sa.Column("procedure_id", sa.String(64), primary_key=True),
        sa.Column("procedure_version", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("locale", sa.String(16), primary_key=True),
        sa.Column("identity", sa.String(16), primary_key=True),
        sa.Column("event", sa.String(32), primary_key=True),
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "usage_completion_minutes",
        sa.Column("procedure_id", sa.String(64), primary_key=True),
        sa.Column("procedure_version", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("locale", sa.String(16), primary_key=True),
        sa.Column("minutes", sa.Integer(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "usage_draft_marks",
        sa.Column(
            "draft_token",
            sa.String(43),
            sa.ForeignKey("drafts.token", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("mark", sa.String(80), primary_key=True),
    )


def downgrade() -> None:
    for table in ("usage_draft_marks", "usage_completion_minutes", "usage_daily_counts"):
        op.drop_table(table)
