"""The public site: home, sections, pages, what's on and calendar feeds."""

from flask import Blueprint
from werkzeug.routing import BaseConverter

bp = Blueprint("public", __name__, url_prefix="/<lang>")


class SlugConverter(BaseConverter):
    """A page id: lowercase letters, digits and hyphens (never a dot)."""

    regex = r"[a-z0-9][a-z0-9-]*"


# Recorded before the routes, so the converter exists when they are added.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("slug", SlugConverter))

from . import calendars, cards, links, views  # noqa: E402,F401  (routes and globals register on bp)
