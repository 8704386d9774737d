"""Check at start-up that the services the settings name can be used, and
say at /healthz whether the shared rate-limit storage answers."""

import logging
from urllib.parse import urlsplit

from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

log = logging.getLogger(__name__)

# What to install for a storage or database a setting names.
HINT = "install the client setup.cfg names (pip install -e .)"


class MissingBackend(SystemExit):
    """Stop start-up with one line (SystemExit prints it, with no traceback)."""

    def __init__(self, setting, scheme, why):
        super().__init__(f"{setting} names {scheme}:// but {why}; {HINT}")


def require_clients(config):
    """Stop start-up if a backend named by the settings has no client library.

    Only the scheme is ever printed: the URLs may carry passwords.
    """
    uri = config["RATELIMIT_STORAGE_URI"]
    scheme = urlsplit(uri).scheme
    try:
        storage_from_string(uri, **config.get("RATELIMIT_STORAGE_OPTIONS", {}))
    except ConfigurationError as exc:
        why = _first_sentence(exc).replace(uri, f"{scheme}://")
        raise MissingBackend("RATELIMIT_STORAGE_URI", scheme, why) from None
    url = config["DATABASE_URL"]
    try:
        make_url(url).get_dialect().import_dbapi()
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise MissingBackend("DATABASE_URL", url.partition(":")[0],
                             _first_sentence(exc)) from None


def _first_sentence(exc):
    return str(exc).split(". ")[0].rstrip(".") or type(exc).__name__


def rate_limit_storage(limiter, uri):
    """Where the rate limits are counted and whether they are shared now."""
    scheme = urlsplit(uri).scheme
    if scheme == "memory":
        return {"storage": scheme, "shared": False}
    try:
        shared = bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any failure means "not shared now"
        shared = False
    if not shared:
        log.warning("rate limit storage (%s) does not answer: limits are per process", scheme)
    return {"storage": scheme, "shared": shared}
