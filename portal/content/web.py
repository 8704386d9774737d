"""Bind the content store to a Flask app; views ask for ``snapshot()``."""

from flask import current_app, g

from .store import ContentStore


def init_app(app):
    store = ContentStore(
        app.config["CONTENT_DIR"], poll_seconds=app.config["CONTENT_POLL_SECONDS"],
        parse_cache=app.config["CONTENT_PARSE_CACHE"],
    )
    app.extensions["content"] = store

    @app.before_request
    def take_snapshot():
        # One snapshot per request: a reload mid-request cannot mix versions.
        g.snapshot = store.refresh_if_due()


def store():
    return current_app.extensions["content"]


def snapshot():
    """Return this request's snapshot (or the store's, outside a request)."""
    return g.get("snapshot") or store().snapshot
