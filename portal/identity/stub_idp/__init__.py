"""A local OpenID provider that behaves like デジタル認証アプリ, for development and tests only."""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("stub_idp", __name__, url_prefix="/stub-idp")


def init_app(app: Flask) -> None:
    """Serve the stub provider and the stub staff directory; only when STUB_IDP_ENABLED is set."""
    from portal.extensions import csrf
    from portal.identity.stub_idp import directory, signing_views, views

    app.register_blueprint(blueprint)
    app.register_blueprint(directory.blueprint)
    for endpoint in (views.token, views.userinfo, signing_views.open_sign_transaction):
        csrf.exempt(endpoint)
    for endpoint in (directory.token, directory.userinfo):
        csrf.exempt(endpoint)
