"""Preview any procedure file, served or pasted, page by page; nothing is submitted."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import current_locale
from portal.procedure.answers import answer_rows
from portal.procedure.model import Procedure
from portal.resident.forms import page_form
from portal.staff import guard
from portal.staff.forms import PreviewForm
from portal.staff.models import PreviewDraft
from portal.staff.preview import annotated_lines, check_source, sample_answers, save_draft
from portal.staff.views._common import procedure_or_none, procedures
from portal.staff.views.blueprint import blueprint


def _refused_files() -> dict[str, list]:
    refused: dict[str, list] = {}
    for problem in current_app.extensions["portal.procedures"].problems:
        refused.setdefault(problem.file, []).append(problem)
    return refused


@blueprint.route("/preview", methods=["GET", "POST"])
def preview():
    form = PreviewForm()
    problems, lines = [], []
    if form.validate_on_submit():
        upload = form.upload.data
        filename = (upload.filename if upload else "") or "draft.yaml"
        source = upload.read().decode("utf-8", errors="replace") if upload else form.source.data
        procedure, problems = check_source(source, filename)
        if procedure is not None:
            with db.transaction() as tx:
                draft = save_draft(tx, guard.current_member(), filename, source, clock.now())
            return redirect(url_for(".preview_overview", kind="drafts", key=draft.token))
        lines = annotated_lines(source, problems)
    errors = form_errors(form, ["source"]) or [(f"line-{p.line}", str(p)) for p in problems]
    return render_template(
        "staff/preview.html",
        form=form,
        procedures=procedures(),
        refused=_refused_files(),
        problems=problems,
        lines=lines,
        errors=errors,
    )


def _procedure(kind: str, key: str) -> Procedure:
    if kind == "procedures":
        return procedure_or_none(key) or abort(404)
    draft = db.session.scalar(
        select(PreviewDraft).where(
            PreviewDraft.token == key, PreviewDraft.staff_id == guard.current_member().id
        )
    )
    if draft is None:
        abort(404)
    procedure, _problems = check_source(draft.source, draft.filename)
    return procedure or abort(404)


@blueprint.get("/preview/<any(procedures, drafts):kind>/<key>")
def preview_overview(kind: str, key: str):
    procedure = _procedure(kind, key)
    return render_template("staff/preview_overview.html", procedure=procedure, kind=kind, key=key)


@blueprint.get("/preview/<any(procedures, drafts):kind>/<key>/pages/<page_id>")
def preview_page(kind: str, key: str, page_id: str):
    procedure = _procedure(kind, key)
    page = procedure.page(page_id) or abort(404)
    index = procedure.pages.index(page)
    following = procedure.pages[index + 1] if index + 1 < len(procedure.pages) else None
    previous = procedure.pages[index - 1] if index > 0 else None
    return render_template(
        "staff/preview_page.html",
        procedure=procedure,
        page=page,
        kind=kind,
        key=key,
        form=page_form(page, list(page.fields), current_locale(), {}),
        step=index + 1,
        steps=len(procedure.pages),
        following=following,
        previous=previous,
    )


@blueprint.get("/preview/<any(procedures, drafts):kind>/<key>/check")
def preview_check(kind: str, key: str):
    procedure = _procedure(kind, key)
    rows = answer_rows(procedure, sample_answers(procedure), current_locale())
    return render_template(
        "staff/preview_check.html", procedure=procedure, kind=kind, key=key, rows=rows
    )
