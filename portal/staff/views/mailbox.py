"""The development mailbox: the emails the portal sent, readable in the browser."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template

from portal.notify.dev_mailbox import read_mailbox
from portal.staff import guard
from portal.staff.views.blueprint import blueprint


@blueprint.get("/dev-mailbox")
def dev_mailbox():
    guard.require_admin()  # residents' emails: administrators only, in every environment
    directory = current_app.config.get("DEV_MAILBOX_DIR")
    if not directory or current_app.config.get("ENV_NAME") == "production":
        abort(404)
    return render_template("staff/dev_mailbox.html", emails=read_mailbox(Path(directory)))
