"""「保存して後で続ける」: save a draft, email a resume link, continue it on any device.

Routes of their own blueprint; the rules live in portal.resume_links.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import EmailField

from portal import clock
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import current_locale
from portal.notify.outbox import enqueue
from portal.procedure.fields._validation import length, nfkc, pattern, required
from portal.procedure.fields.email import _SHAPE, _fold
from portal.resident.emails import resume_email
from portal.resident.forms import ActionForm, answers_from, page_form
from portal.resident.journey import Journey, journey_view, procedure_or_404, remember_draft
from portal.resume_links import Opened, issue, newest_link, open_link, revoke

blueprint = Blueprint("resume", __name__)
#: the page each procedure's draft was saved from, in this browser session
FROM_KEY = "resume_from"
#: this browser session's own id: a link opens again here and nowhere else
DEVICE_KEY = "resume_device"
CHECK = "check"
#: the heading of the page a link opens, by what opening it found
TITLES = {
    "resume": _l("Continue your application"),
    "expired": _l("This link has expired"),
    "replaced": _l("A newer link was sent"),
    "used": _l("This link was opened in another browser"),
    "revoked": _l("This link no longer works"),
    "submitted": _l("This application has been submitted"),
    "unknown": _l("This link no longer works"),
}


class SaveForLaterForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            required(_l("Enter the email address to send the link to")),
            length(_l("Email address"), None, 254),
            pattern(
                _SHAPE, _l("Enter the email address in the correct format, like name@example.com")
            ),
        ],
        filters=[nfkc, _fold],
    )


def link_signer() -> URLSafeSerializer:
    """Return the signer of the resume links sent by email."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="resume-draft")


def _device() -> str:
    if DEVICE_KEY not in session:
        session[DEVICE_KEY] = secrets.token_urlsafe(24)
    return session[DEVICE_KEY]


def _left_at(journey: Journey) -> str:
    return session.get(FROM_KEY, {}).get(journey.procedure.id, journey.procedure.pages[0].id)


def _page_url(journey: Journey, page_id: str) -> str:
    if page_id == CHECK or journey.procedure.page(page_id) is None:
        return journey.url(CHECK)
    return journey.url("question", page_id=page_id)


def _store_typed(journey: Journey, page_id: str) -> None:
    """Keep the valid answers typed on the page saved from; the rest wait for the resident."""
    page = journey.procedure.page(page_id) or abort(404)
    if not journey.flow.applies(page):
        return
    fields = journey.typed_fields(page)
    form = page_form(page, fields, current_locale(), journey.draft.answers)
    form.validate()
    valid = [f for f in fields if not form[f.id].errors]
    with db.transaction():
        journey.store(answers_from(form, valid))


def _suggested_email(journey: Journey) -> str:
    notify = journey.procedure.notify
    typed = journey.draft.answers.get(notify.email_field) if notify else None
    if isinstance(typed, str) and typed:
        return typed
    link = newest_link(db.session, journey.draft)
    return link.email if link else ""


@blueprint.post("/procedures/<procedure_id>/save-from/<page_id>")
@journey_view
def save_from(journey: Journey, page_id: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    if page_id != CHECK:
        _store_typed(journey, page_id)
    session[FROM_KEY] = {**session.get(FROM_KEY, {}), journey.procedure.id: page_id}
    return redirect(_url(journey, "resume.save_for_later"))


@blueprint.route("/procedures/<procedure_id>/save-for-later", methods=["GET", "POST"])
@journey_view
def save_for_later(journey: Journey):
    form = SaveForLaterForm(data={"email": _suggested_email(journey)})
    if form.validate_on_submit():
        _send_link(journey, form.email.data)
        return redirect(_url(journey, "resume.sent"))
    return render_template(
        "resident/save_for_later.html",
        procedure=journey.procedure,
        form=form,
        errors=form_errors(form, ["email"]),
        back=_page_url(journey, _left_at(journey)),
        days=journey.procedure.resume_days,
    )


def _url(journey: Journey, endpoint: str) -> str:
    return url_for(endpoint, procedure_id=journey.procedure.id)


def _send_link(journey: Journey, email: str) -> None:
    """Replace any older link with a new one and put its email in the outbox, in one go."""
    now, locale, procedure = clock.now(), current_locale(), journey.procedure
    with db.transaction() as tx:
        link, secret = issue(
            tx,
            journey.draft,
            email=email,
            locale=locale,
            page_id=_left_at(journey),
            now=now,
            days=procedure.resume_days,
        )
        token = link_signer().dumps([secret, int(link.expires_at.timestamp())])
        subject, body = resume_email(procedure, link, token, locale)
        enqueue(tx, recipient=email, subject=subject, body=body, now=now)


@blueprint.get("/procedures/<procedure_id>/save-for-later/sent")
@journey_view
def sent(journey: Journey):
    link = newest_link(db.session, journey.draft)
    if link is None:
        return redirect(_url(journey, "resume.save_for_later"))
    return render_template(
        "resident/save_sent.html",
        procedure=journey.procedure,
        link=link,
        form=ActionForm(),
        days=journey.procedure.resume_days,
        continue_url=_page_url(journey, link.page_id),
    )


@blueprint.post("/procedures/<procedure_id>/save-for-later/revoke")
@journey_view
def revoke_link(journey: Journey):
    if not ActionForm().validate_on_submit():
        abort(400)
    with db.transaction() as tx:
        revoke(tx, journey.draft, clock.now())
    return redirect(_url(journey, "resume.sent"))


def _secret(token: str) -> tuple[str, int]:
    try:
        secret, expires = link_signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    if not isinstance(secret, str) or not isinstance(expires, int):
        abort(404)
    return secret, expires


@blueprint.route("/resume", methods=["GET", "POST"])
def resume():
    secret, expires = _secret(request.args.get("link", ""))
    form = ActionForm()
    posted = request.method == "POST" and form.validate_on_submit()
    if request.method == "POST" and not posted:
        abort(400)
    action = request.form.get("action", "continue") if posted else "look"
    with db.transaction() as tx:
        opened = open_link(tx, secret, _device(), clock.now(), claim=action == "continue")
        if opened.outcome == "resume" and action == "revoke":
            revoke(tx, opened.draft, clock.now())
            opened = Opened("revoked", opened.link, opened.draft)
    if opened.outcome == "resume" and action == "continue":
        return _continue(opened)
    return _resume_page(opened, form, expires)


def _continue(opened: Opened):
    """Tie the draft to this browser and go to the page the resident left."""
    procedure = procedure_or_404(opened.draft.procedure_id)
    remember_draft(procedure, opened.draft.token)
    session[FROM_KEY] = {**session.get(FROM_KEY, {}), procedure.id: opened.link.page_id}
    journey = Journey(procedure, opened.draft)
    return redirect(_page_url(journey, opened.link.page_id))


def _resume_page(opened: Opened, form: ActionForm, expires: int):
    """Show what the link can do: continue, or why it no longer works."""
    expired_at = opened.link.expires_at if opened.link else datetime.fromtimestamp(expires, UTC)
    if opened.outcome == "unknown" and clock.now() >= expired_at:
        opened = Opened("expired")  # purged after it expired: say so, not "unknown"
    procedure = None
    if opened.draft is not None:
        procedure = current_app.extensions["portal.procedures"].get(opened.draft.procedure_id)
    status = 200 if opened.outcome == "resume" else 410
    return render_template(
        "resident/resume.html",
        outcome=opened.outcome,
        title=TITLES[opened.outcome],
        procedure=procedure,
        form=form,
        expired_at=expired_at,
        newest=newest_link(db.session, opened.draft) if opened.outcome == "replaced" else None,
    ), status
