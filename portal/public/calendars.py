"""Calendar feeds a parent can subscribe to on a phone."""

from flask import Response, abort, request

from ..content.pages import Activity, Hub
from ..content.sections import SECTIONS, url_rule
from ..content.web import snapshot
from ..i18n.locale import current_language as _lang
from ..site_url import external_url
from ..timetable.calendar_feed import CalendarEntry, build_feed
from . import bp
from .filters import WhatsOnFilters
from .views import matching_activities

CALENDAR = "text/calendar; charset=utf-8"


def _entry(content, activity):
    if activity.hub_id:
        hub = content.hub(activity.lang, activity.hub_id)
        location = ", ".join((hub.title, *hub.address, hub.postcode))
    else:
        place = activity.venue
        location = ", ".join((place.name, *place.address, *filter(None, [place.postcode])))
    return CalendarEntry(
        uid_base=f"{activity.section}/{activity.id}",
        title=activity.title,
        description=activity.summary,
        location=location,
        url=external_url("public.page", section=activity.section, page_id=activity.id),
        sessions=activity.sessions,
        cancelled=activity.cancelled,
        updated=activity.updated,
    )


def _feed(content, activities, name):
    body = build_feed((_entry(content, a) for a in activities),
                      name=name, domain=content.site.domain)
    return Response(body, mimetype="text/calendar", content_type=CALENDAR, headers={
        "Content-Disposition": "inline; filename=calendar.ics",
        "Cache-Control": "public, max-age=900",
    })


@bp.get(f"/<{url_rule(s.key for s in SECTIONS if s.calendar)}:section>/<slug:page_id>.ics")
def page_calendar(section, page_id):
    content = snapshot()
    page = content.page(_lang(), section, page_id)
    if isinstance(page, Hub):
        activities = content.meeting_at(_lang(), page.id)
    elif isinstance(page, Activity):
        activities = [page]
    else:
        abort(404)
    return _feed(content, activities, f"{page.title} ({content.site.name})")


@bp.get("/whats-on.ics")
def whats_on_calendar():
    content = snapshot()
    form = WhatsOnFilters(request.args, content.localities, content.section(_lang(), "hubs"))
    activities = matching_activities(
        content, _lang(), locality=form.chosen(form.locality),
        age=form.chosen(form.age), hub=form.chosen(form.hub),
    )
    return _feed(content, activities, content.site.name)
