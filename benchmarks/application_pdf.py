"""The application PDF: how long WeasyPrint takes for a 20-page application (goal: under 2 s).

Builds a submission of the bulky-waste sample whose answers fill 20 A4 pages (long Japanese
answers, as a resident may type in a free-text question), makes its PDF three times, and prints
the pages and the seconds of each run and their median.
Run: .venv/bin/python benchmarks/application_pdf.py [--pages 20] [--locale ja]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANSWER = "粗大ごみの出し方について、玄関の前に置くか、集積所に出すかを確認したいです。" * 6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--locale", default="ja")
    args = parser.parse_args()

    import pypdf

    from portal import create_app
    from portal.application_pdf import application_pdf
    from portal.models import Submission

    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark", "DATABASE_URL": "sqlite://"})
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    now = datetime.now(UTC)

    def submission(rows: int) -> Submission:
        answers = {f"note_{i:03d}": f"{i}. {ANSWER}" for i in range(rows)}
        return Submission(
            reference_number="YKH-BNCH-MARK",
            draft_token="benchmark",
            procedure_id=procedure.id,
            procedure_version=procedure.version,
            answers=answers,
            email="hanako@example.jp",
            locale=args.locale,
            status="received",
            submitted_at=now,
            delete_after=now + timedelta(days=1),
        )

    with app.test_request_context():
        rows, pages, pdf = 10, 0, b""
        while pages < args.pages:  # find how many answers fill the pages asked for
            rows = rows * 2 if pages == 0 else int(rows * args.pages / pages) + 1
            pdf = application_pdf(procedure, submission(rows), args.locale)
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        made = submission(rows)
        seconds = []
        for _ in range(3):
            started = time.perf_counter()
            pdf = application_pdf(procedure, made, args.locale)
            seconds.append(time.perf_counter() - started)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    runs = " ".join(f"{s:.2f}" for s in seconds)
    print(f"application PDF: {pages} pages, {rows} answers, {len(pdf)} bytes, {args.locale}")
    print(f"seconds per PDF: {runs}; median {statistics.median(seconds):.2f} s")


if __name__ == "__main__":
    main()
