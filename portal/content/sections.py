"""The site's sections, said once: each one's folder and web address, page
kind, schema, name, introduction and search words, and what it offers
(sessions, a calendar feed, a place in the API as a service).

The loader, schema checks, public views, calendar feeds, search, the API
and the page-report form all read this registry.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import schema
from .pages import Course, Group, HealthPage, Hub, Page


@dataclass(frozen=True)
class Section:
    key: str  # the folder under content/<lang>/ and the web address
    page: type  # the Page class its files become
    schema: dict  # the front matter fields it allows (content/schema.py)
    name: object = None  # its name on pages; None: not a listed section
    intro: object = None  # the line under its heading
    search_words: str = ""  # English words that find any of its pages
    has_sessions: bool = False  # its pages meet on days and times (groups, courses)
    calendar: bool = False  # has an iCalendar feed per page
    service: bool = False  # an Open Referral UK service in the API

    @property
    def listed(self):
        return self.name is not None


SECTIONS = (
    Section("hubs", Hub, schema.HUB, _l("Family hubs"),
            _l("Family hubs and their satellites: places to drop in, meet other "
               "families and get help."),
            "family hub centre", calendar=True, service=True),
    Section("groups", Group, schema.ACTIVITY, _l("Groups"),
            _l("Free and low-cost groups for babies, young children and their "
               "parents and carers."),
            "group", has_sessions=True, calendar=True, service=True),
    Section("epec", Course, schema.ACTIVITY, _l("Parenting courses (EPEC)"),
            _l("Empowering Parents Empowering Communities: courses run by trained "
               "local parents."),
            "epec parenting course", has_sessions=True, calendar=True, service=True),
    Section("health-visiting", HealthPage, schema.COMMON, _l("Health visiting"),
            _l("Your health visiting team: the reviews every family is "
               "offered, feeding, sleep and who to call."),
            "health visiting"),
    Section("pages", Page, schema.COMMON),  # about, contact: reached by links only
)
BY_KEY = {section.key: section for section in SECTIONS}
LISTED = tuple(section.key for section in SECTIONS if section.listed)
WITH_SESSIONS = tuple(section.key for section in SECTIONS if section.has_sessions)
SERVICES = tuple(section.key for section in SECTIONS if section.service)
NAMES = {section.key: section.name for section in SECTIONS}


def url_rule(keys):
    """Return a Werkzeug ``any(...)`` converter for these section keys."""
    # A key with a hyphen must be quoted; the others are written plain.
    return "any(" + ", ".join(key if key.isidentifier() else f'"{key}"' for key in keys) + ")"
