"""Identity: adapters by id (My Number card over OpenID Connect), the journey gate, signatures."""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("identity", __name__)


def init_app(app: Flask) -> None:
    """Register the configured adapters, the identity routes and, if enabled, the stub provider."""
    from portal import clock, extensions
    from portal.identity import card_claims, journey, redaction, signature_views, views  # noqa: F401  (routes)
    from portal.identity.mynumber import MyNumberAdapter, settings_from_config
    from portal.identity.registry import AdapterRegistry
    from portal.identity.revocation import RevocationLists
    from portal.identity.signature_client import SigningClient, fetch_crl, signature_settings
    from portal.identity.signatures import signature_summary

    redaction.install()
    adapters = AdapterRegistry()
    settings = settings_from_config(app.config)
    if settings is not None:
        adapters.register(
            MyNumberAdapter(
                settings, now=clock.now, transport=lambda: app.config.get("IDENTITY_HTTP_TRANSPORT")
            )
        )
    app.extensions["portal.identity"] = adapters
    signing = signature_settings(app.config)
    app.extensions["portal.signing"] = signing and SigningClient(
        signing, now=clock.now, transport=lambda: app.config.get("IDENTITY_HTTP_TRANSPORT")
    )
    # CRLs kept until their nextUpdate, fetched through the transport tests may set later.
    app.extensions["portal.revocation"] = RevocationLists(
        lambda url: fetch_crl(app.config.get("IDENTITY_HTTP_TRANSPORT"))(url)
    )
    app.register_blueprint(blueprint)
    app.jinja_env.globals["identity_status"] = journey.status
    app.jinja_env.globals["gender_label"] = card_claims.gender_label
    app.jinja_env.globals["signature_summary"] = lambda submission_id: signature_summary(
        extensions.db.session, submission_id
    )
    if app.config.get("STUB_IDP_ENABLED"):
        from portal.identity import stub_idp

        stub_idp.init_app(app)
