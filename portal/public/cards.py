"""What a card says about a page, so a parent need not open it: when and
where a group meets, for whom, what it costs and whether to book; a
course's dates and whether it can still be joined; whether a hub is open."""

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import clock
from ..content.fields import AGES
from ..content.pages import Activity, Course, Hub
from ..content.web import snapshot
from ..i18n.locale import current_language
from ..timetable.occurrences import next_occurrence
from ..timetable.summary import course_runs, regular
from . import bp
from .filters import AGE_LABELS

# Each age band's first and last birthday: "1-2" is from 1 to 2 years.
BOUNDS = {"pregnancy": (None, 0), "0-1": (0, 1), "1-2": (1, 2), "2-3": (2, 3), "3-5": (3, 5)}


@dataclass(frozen=True)
class ActivityCard:
    kind: str  # "group" or "course"
    activity: Activity
    regular: object | None  # the weekly run to name ("Every Tuesday, ..."), or None
    next: object | None  # the next occurrence that goes ahead, or None
    venue: str  # the hub's title or the place's name
    venue_is_english: bool  # a place's name, or a hub's not translated: English words
    runs: tuple  # a course's runs not yet finished (CourseRun), at most two


@dataclass(frozen=True)
class HubCard:
    kind: str  # "hub"
    is_open: bool
    change: object | None  # when it next opens or closes


@bp.app_template_filter("ages")
def age_span(ages):
    """Say who a page is for, from its first to its last age band ('Birth to age 2')."""
    if not ages or set(ages) == set(AGES):
        return str(AGE_LABELS["any"])
    order = sorted(AGES.index(age) for age in ages)
    first, last = AGES[order[0]], AGES[order[-1]]
    if first == last:
        return str(AGE_LABELS[first])
    low, high = BOUNDS[first][0], BOUNDS[last][1]
    # "to age 5", not "5 years": no plural forms to get wrong in six languages.
    if low is None:
        return _("Pregnancy to age %(high)d", high=high)
    if low == 0:
        return _("Birth to age %(high)d", high=high)
    return _("Ages %(low)d to %(high)d", low=low, high=high)


@bp.app_template_global()
def card_facts(page):
    """Return the facts a card shows for a page, or None for a page of words."""
    now = clock.now()
    if isinstance(page, Hub):
        return HubCard("hub", page.opening_hours.is_open(now), page.opening_hours.next_change(now))
    if not isinstance(page, Activity):
        return None
    if page.hub_id:
        lang = current_language()
        hub = snapshot().hub(lang, page.hub_id)
        venue, english = (hub.title, hub.lang != lang) if hub else (page.hub_id, True)
    else:
        venue, english = page.venue.name, True
    course = isinstance(page, Course)
    return ActivityCard(
        kind="course" if course else "group", activity=page,
        regular=regular(page.sessions, now.date()),
        next=next_occurrence(page.sessions, page.cancelled, now),
        venue=venue, venue_is_english=english,
        runs=tuple(course_runs(page.sessions, now.date())[:2]) if course else (),
    )
