"""The error summary of a form: one home for residents' and staff's forms alike."""

from __future__ import annotations

from flask_wtf import FlaskForm


def form_errors(form: FlaskForm, names: list[str]) -> list[tuple[str, str]]:
    """Return (anchor id, first message) for each invalid field, in page order.

    Templates show these in the error summary; the page title says 「エラー：」 when there
    are any (templates/base.html derives that from `errors`, so no view passes it).
    """
    return [(name, str(form[name].errors[0])) for name in names if form[name].errors]
