"""Submissions made before the portal counted are counted by the migration, purged ones too."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, select, text

from portal.cli import alembic_config
from portal.indicators.figures import Period, totals
from portal.indicators.models import UsageCount
from portal.indicators.plan import FiscalYear, YearUse


def test_the_migration_counts_kept_and_purged_submissions_as_submitted_before_counting(tmp_path):
    url = f"sqlite:///{tmp_path / 'earlier.db'}"
    command.upgrade(alembic_config(url), "0007")
    engine = create_engine(url)
    with engine.begin() as connection:
        for number, (at, locale) in enumerate(
            [
                (datetime(2026, 3, 31, 16, 0, tzinfo=UTC), "ja"),  # 1 April in Tokyo
                (datetime(2026, 3, 31, 16, 30, tzinfo=UTC), "en"),
                (datetime(2025, 6, 1, 3, 0, tzinfo=UTC), "ja"),
            ]
        ):
            connection.execute(
                text(
                    "INSERT INTO submissions (reference_number, draft_token, procedure_id,"
                    " procedure_version, answers, email, locale, status, submitted_at,"
                    " delete_after) VALUES (:ref, :token, 'survey', 2, '{}', NULL, :locale,"
                    " 'received', :at, :at)"
                ),
                {"ref": f"YKH-0000-000{number}", "token": f"t{number}", "locale": locale, "at": at},
            )
        connection.execute(
            text(
                "INSERT INTO submission_daily_counts (procedure_id, day, status, count)"
                " VALUES ('survey', '2025-07-01', 'completed', 4), ('survey', '2025-07-01', 'withdrawn', 1)"
            )
        )
    command.upgrade(alembic_config(url), "heads")
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        rows = session.scalars(select(UsageCount)).all()
        this_year = totals(
            session, ["survey"], Period(FiscalYear(2026).start, FiscalYear(2026).end)
        )
        last_year = totals(
            session, ["survey"], Period(FiscalYear(2025).start, FiscalYear(2025).end)
        )
    engine.dispose()
    assert {row.subject for row in rows} == {"before-counting"}
    assert sorted((str(r.day), r.locale, r.count) for r in rows) == [
        ("2025-06-01", "ja", 1),
        ("2025-07-01", "", 5),
        ("2026-04-01", "en", 1),
        ("2026-04-01", "ja", 1),
    ]
    assert (this_year["survey"].submitted, last_year["survey"].submitted) == (2, 6)
    # nothing was counted as it was made: no completion rate, no share without errors
    assert this_year["survey"].completion_rate is None
    assert YearUse(FiscalYear(2026), this_year["survey"]).share_without_errors is None
