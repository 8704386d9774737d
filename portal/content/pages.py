"""The kinds of page editors write, as immutable records."""

import datetime
from dataclasses import dataclass, field

from ..timetable.opening_hours import OpeningHours
from ..timetable.sessions import Cancellation, Session


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """Any page: the fields every content file has."""

    section: str
    id: str
    lang: str
    source: str  # the file, relative to the content folder, for messages
    title: str
    summary: str
    body_html: str
    body_text: str
    localities: tuple[str, ...] = ()  # empty: every locality
    ages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    updated: datetime.date
    review_by: datetime.date | None = None
    draft: bool = False
    # Set on translations only: when it was translated, and whether the
    # English original changed since.
    translated: datetime.date | None = None
    stale: bool = False

    @property
    def key(self):
        return (self.section, self.id)

    def serves(self, locality=None, age=None):
        """Say whether the page is for this locality and age (None: any)."""
        if locality and self.localities and locality not in self.localities:
            return False
        if age and self.ages and age not in self.ages:
            return False
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class Hub(Page):
    """A family hub or a satellite: a building families visit."""

    hub_type: str = "family-hub"
    address: tuple[str, ...]
    postcode: str
    location: tuple[float, float] | None = None
    opening_hours: OpeningHours
    phone: str | None = None
    email: str | None = None
    facilities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """A venue that is not one of our hubs (a church hall, a library)."""

    name: str
    address: tuple[str, ...]
    postcode: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity(Page):
    """Something that meets at times: a group or a course."""

    venue: str | Place  # a hub id, or a place of its own
    booking: str = "drop-in"
    booking_phone: str | None = None
    booking_url: str | None = None
    cost: str | None = None
    sessions: tuple[Session, ...] = ()
    cancelled: tuple[Cancellation, ...] = field(default=())
    # Set on translations: the cost is in the page's language, and the
    # cancellations (by date) whose reason is.
    cost_translated: bool = False
    reasons_translated: frozenset = frozenset()

    @property
    def hub_id(self):
        return self.venue if isinstance(self.venue, str) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Group(Activity):
    """A regular group: stay and play, baby massage, a weigh-in clinic."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Course(Activity):
    """An EPEC parenting course with term dates."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthPage(Page):
    """Health-visiting information."""

