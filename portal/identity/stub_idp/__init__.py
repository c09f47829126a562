"""A local OpenID provider that behaves like デジタル認証アプリ, for development and tests only."""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("stub_idp", __name__, url_prefix="/stub-idp")


def init_app(app: Flask) -> None:
    """Serve the stub provider; only ever called when STUB_IDP_ENABLED is set."""
    from portal.extensions import csrf
    from portal.identity.stub_idp import signing_views, views  # noqa: F401  (routes register)

    app.register_blueprint(blueprint)
    csrf.exempt(views.token)
    csrf.exempt(views.userinfo)
    csrf.exempt(signing_views.sign_token)
