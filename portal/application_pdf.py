"""The application as a PDF (申請書・控え): tagged PDF/UA, A4, made from HTML with WeasyPrint.

Residents download it from the completion page and the status lookup, staff from the
submission page, in the resident's language or their own. Nothing is fetched while it is
made: the HTML carries its own styles and the fonts are the system's (Debian's Noto).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, render_template
from flask_babel import format_date, format_time

from portal.i18n import use_locale
from portal.identity.signatures import SignatureSummary
from portal.locales import html_lang
from portal.models import Submission
from portal.procedure.answers import answer_rows
from portal.procedure.model import TOKYO, Procedure
from portal.wareki import to_wareki

#: the fonts that write each language, the first found for each character (fontconfig names)
FONTS = {
    "ja": "Noto Sans CJK JP",
    "ja_easy": "Noto Sans CJK JP",
    "zh_Hans": "Noto Sans CJK SC",
    "zh_Hant": "Noto Sans CJK TC",
    "ko": "Noto Sans CJK KR",
    "ne": "Noto Sans Devanagari",
}
#: WeasyPrint says each step of each PDF at INFO: not for the portal's log
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
FALLBACK_FONTS = ("Noto Sans", "Noto Sans CJK JP", "Noto Sans Devanagari", "Noto Sans CJK KR")


def font_stack(locale: str) -> str:
    """Return the CSS font-family for `locale`, with every script's font behind it."""
    families = [FONTS.get(locale, "Noto Sans"), *FALLBACK_FONTS]
    unique = list(dict.fromkeys(families))
    return ", ".join(f'"{family}"' for family in unique) + ", sans-serif"


def submitted_on(submission: Submission) -> dict[str, str]:
    """Return the submission's date and time in the current locale and as 和暦."""
    at = submission.submitted_at.astimezone(TOKYO)
    return {
        "western": f"{format_date(at, 'long')} {format_time(at, 'short')}",
        "wareki": to_wareki(at.date()),
    }


def application_html(
    procedure: Procedure | None,
    submission: Submission,
    locale: str,
    signature: SignatureSummary | None = None,
) -> str:
    """Return the HTML of the application in `locale` (every answer as on the check page)."""
    return applications_html(procedure, [(submission, signature)], locale)


def applications_html(
    procedure: Procedure | None,
    submissions: list[tuple[Submission, SignatureSummary | None]],
    locale: str,
) -> str:
    """Return the HTML of several applications of one procedure, each from a new page."""
    with use_locale(locale):
        applications = [
            {
                "submission": submission,
                "rows": answer_rows(procedure, submission.answers, locale),
                "submitted": submitted_on(submission),
                "signature": signature,
            }
            for submission, signature in submissions
        ]
        return render_template(
            "pdf/application.html",
            procedure=procedure,
            applications=applications,
            fonts=font_stack(locale),
            lang=html_lang(locale),
        )


def _refuse_fetching(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"the application PDF fetches nothing ({url[:40]})")


def to_pdf(html: str) -> bytes:
    """Return `html` as a tagged PDF/UA-1 document."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetching).write_pdf(pdf_variant="pdf/ua-1")


def application_pdf(
    procedure: Procedure | None,
    submission: Submission,
    locale: str,
    signature: SignatureSummary | None = None,
) -> bytes:
    """Return the application as a PDF in `locale`."""
    return to_pdf(application_html(procedure, submission, locale, signature))


def pdf_response(pdf: bytes, submission: Submission) -> Response:
    """Answer with `pdf` as a download named after the reference number, never cached."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{submission.reference_number}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
