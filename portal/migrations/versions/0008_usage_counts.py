"""anonymous usage counts per day, completion times, and the marks of drafts' first times

Revision ID: 0008
Revises: 0007
"""

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

TOKYO = ZoneInfo("Asia/Tokyo")
#: the subject of the submissions made before the portal counted (portal.indicators.counting)
EARLIER = "before-counting"

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = ("0004",)  # it reads submission_identities


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
    _count_earlier_submissions()


def _day(value) -> date:
    if isinstance(value, str):  # SQLite hands the stored text back
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TOKYO).date()


def _count_earlier_submissions() -> None:
    """Count the submissions made before counting began: those kept, and those already purged
    (submission_daily_counts), as `submitted` with the subject before-counting."""
    connection = op.get_bind()
    strict = {
        row[0]
        for row in connection.execute(sa.text("SELECT submission_id FROM submission_identities"))
    }
    tally: Counter = Counter()
    kept = connection.execute(
        sa.text("SELECT id, procedure_id, procedure_version, locale, submitted_at FROM submissions")
    )
    for submission_id, procedure_id, version, locale, submitted_at in kept:
        identity = "mynumber" if submission_id in strict else "none"
        tally[(procedure_id, version, _day(submitted_at), locale, identity)] += 1
    purged = connection.execute(
        sa.text(
            "SELECT procedure_id, day, SUM(count) FROM submission_daily_counts GROUP BY procedure_id, day"
        )
    )
    for procedure_id, day, count in purged:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        tally[(procedure_id, 0, day, "", "")] += int(count)  # version, language, level unknown
    counts = sa.table(
        "usage_daily_counts",
        *(
            sa.column(name)
            for name in (
                "procedure_id",
                "procedure_version",
                "day",
                "locale",
                "identity",
                "event",
                "subject",
                "count",
            )
        ),
    )
    rows = [
        {
            "procedure_id": procedure_id,
            "procedure_version": version,
            "day": day,
            "locale": locale,
            "identity": identity,
            "event": "submitted",
            "subject": EARLIER,
            "count": count,
        }
        for (procedure_id, version, day, locale, identity), count in sorted(tally.items())
    ]
    if rows:
        op.bulk_insert(counts, rows)


def downgrade() -> None:
    for table in ("usage_draft_marks", "usage_completion_minutes", "usage_daily_counts"):
        op.drop_table(table)
