"""The stub city staff directory: a second issuer on the stub's machinery, for staff sign-in.

TEST ONLY, served with the stub provider (PORTAL_STUB_IDP=1) under /stub-directory/. Discovery,
JWKS, token and userinfo are the stub provider's own (views.py, provider.py, client_auth.py) with
the directory's settings (config.directory_config): its own signing key, its own client, its own
people (staff_personas.yaml), public subjects (the persona id) and codes of their own kind. Only
the sign-in page differs: pick a fictional member of staff, no password.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from portal import clock
from portal.extensions import db
from portal.identity.stub_idp.config import StubConfig, directory_config
from portal.identity.stub_idp.forms import DirectoryForm
from portal.identity.stub_idp.provider import BadRequest, check_request, issue_code
from portal.identity.stub_idp.views import (
    back_to_client,
    discovery_response,
    endpoint_url,
    jwks_response,
    token_response,
    userinfo_response,
)

blueprint = Blueprint("stub_directory", __name__, url_prefix="/stub-directory")


def directory() -> StubConfig:
    """Return the stub directory's settings for this request."""
    return directory_config(current_app.config)


@blueprint.get("/.well-known/openid-configuration")
def openid_configuration():
    return discovery_response(directory(), blueprint)


@blueprint.get("/jwks")
def jwks():
    return jwks_response(directory())


@blueprint.route("/authorize", methods=["GET", "POST"])
def authorize():
    settings = directory()
    source = request.args if request.method == "GET" else request.form
    try:
        auth_request = check_request(settings, source.to_dict())
    except BadRequest:
        return render_template("stub_directory/error.html"), 400
    if auth_request.error:
        return back_to_client(auth_request, settings, error=auth_request.error)
    if request.method == "POST" and request.form.get("action") == "cancel":
        return back_to_client(auth_request, settings, error="access_denied")
    staff = settings.personas
    form = DirectoryForm()
    form.persona.choices = [SelectChoice(p.id, p.name) for p in staff.values()]
    if request.method == "POST" and form.validate_on_submit():
        persona = staff.get(form.persona.data)
        if persona is None:
            form.persona.errors = [form.persona.validators[0].message]
        else:
            with db.transaction() as tx:
                code = issue_code(tx, auth_request, persona, clock.now(), settings.grant_kind)
            return back_to_client(auth_request, settings, code=code)
    errors = [("persona", str(form.persona.errors[0]))] if form.persona.errors else []
    return render_template(
        "stub_directory/authorize.html",
        form=form,
        staff=staff,
        hidden=auth_request.fields(),
        action=url_for(".authorize"),
        errors=errors,
    )


@blueprint.post("/token")
def token():
    return token_response(directory(), endpoint_url(directory(), blueprint, ".token"))


@blueprint.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    return userinfo_response(directory())
