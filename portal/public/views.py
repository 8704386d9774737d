"""Thin views: each asks the content snapshot and renders a template."""

import datetime
from itertools import groupby

from flask import abort, current_app, render_template, request

from .. import clock
from ..content import sections
from ..content.pages import Activity, Hub
from ..content.sections import url_rule
from ..content.web import snapshot
from ..editors import preview
from ..i18n.locale import current_language as _lang
from ..timetable.occurrences import expand, next_occurrence
from ..timetable.summary import last_date, week_of
from . import bp
from .area import area_for, keeps_to_area, remembered_locality
from .filters import ListingFilters, WhatsOnFilters
from .page_cache import cached

LISTED = url_rule(sections.LISTED)
PAGE = url_rule(sections.BY_KEY)


@bp.get("/")
@keeps_to_area
@cached
def home():
    content = snapshot()
    locality = remembered_locality()
    return render_template("public/home.html", area=area_for(locality),
                           hubs=content.section(_lang(), "hubs", locality=locality),
                           updated=newest(content.section(_lang(), section)
                                          for section in sections.LISTED))


@bp.get(f"/<{LISTED}:section>/")
@keeps_to_area
@cached
def section(section):
    content = snapshot()
    form = ListingFilters(request.args, content.localities, remembered_locality())
    locality = form.chosen(form.locality)
    pages = content.section(_lang(), section, locality=locality, age=form.chosen(form.age))
    return render_template(
        "public/section.html", section=section, name=sections.NAMES[section],
        intro=sections.BY_KEY[section].intro, pages=pages, form=form,
        area=area_for(locality), total=len(content.section(_lang(), section)),
        updated=newest([pages]),
    )


@bp.get(f"/<{PAGE}:section>/<slug:page_id>")
@cached
def page(section, page_id):
    content = snapshot()
    found = content.page(_lang(), section, page_id)
    # An editor also sees drafts, and the problems in the page's files.
    review = preview.review(content, _lang(), section, page_id,
                            current_app.config["CONTENT_DIR"]) if preview.editing() else None
    if review is not None:
        found = review.page
        if found is None:
            return render_template("editors/broken_page.html", review=review, section=section,
                                   page_id=page_id)
    if found is None:
        abort(404)
    context = {"page": found, "section": section, "section_name": sections.NAMES[section],
               "translations": content.translations(section, page_id), "now": clock.now(),
               "updated": found.updated, "review": review}
    if isinstance(found, Hub):
        context["meeting_here"] = [
            (activity, next_occurrence(activity.sessions, activity.cancelled, context["now"]))
            for activity in content.meeting_at(_lang(), found.id)
        ]
        return render_template("public/hub.html", **context)
    if isinstance(found, Activity):
        today = context["now"].date()
        context["venue"] = content.hub(_lang(), found.hub_id) if found.hub_id else found.venue
        context["coming"] = expand(found.sessions, found.cancelled, today,
                                   today + datetime.timedelta(days=current_app.config["WHATS_ON_DAYS"]))
        return render_template("public/activity.html", **context)
    return render_template("public/page.html", **context)


@bp.get("/whats-on")
@keeps_to_area
@cached
def whats_on():
    content = snapshot()
    hubs = content.section(_lang(), "hubs")
    form = WhatsOnFilters(request.args, content.localities, hubs, remembered_locality())
    today = clock.today()
    week, weeks = chosen_week(content, _lang(), request.args.get("week"), today)
    filters = dict(locality=form.chosen(form.locality), age=form.chosen(form.age),
                   hub=form.chosen(form.hub), weekday=form.chosen(form.day))
    entries = whats_on_entries(
        content, _lang(), max(week, today), week + datetime.timedelta(days=6), **filters)
    by_day = [(day, list(items)) for day, items in
              groupby(entries, key=lambda entry: entry[0].starts.date())]
    return render_template("public/whats_on.html", form=form, by_day=by_day,
                           area=area_for(form.chosen(form.locality)),
                           hubs={h.id: h for h in hubs}, week=week, today=today,
                           filtered=any(filters.values()),
                           previous_week=week - ONE_WEEK if week > weeks[0] else None,
                           next_week=week + ONE_WEEK if week < weeks[1] else None,
                           updated=newest([[activity for _, activity in entries]]))


ONE_WEEK = datetime.timedelta(days=7)


def chosen_week(content, lang, asked, today):
    """Return the Monday of the week asked for (?week=2026-12-07, any day of it),
    kept between this week and the last week in the timetable, and those two.

    Anything unreadable is this week: a stale link still shows something useful.
    """
    first = week_of(today)
    end = max((last_date(a.sessions) for a in content.activities(lang) if a.sessions),
              default=None)
    last = max(first, week_of(end)) if end else first
    try:
        week = week_of(datetime.date.fromisoformat(asked or ""))
    except ValueError:
        week = first
    return min(max(week, first), last), (first, last)


def newest(groups):
    """Return the latest 'updated' date among groups of pages, or None."""
    return max((page.updated for pages in groups for page in pages), default=None)


def matching_activities(content, lang, locality=None, age=None, hub=None):
    """Return the groups and courses for a locality, age and hub (None: any)."""
    return [
        activity for activity in content.activities(lang)
        if activity.serves(locality, age) and (not hub or activity.hub_id == hub)
    ]


def whats_on_entries(content, lang, start, end, weekday=None, **filters):
    """Return (occurrence, activity) pairs from start to end, soonest first."""
    entries = []
    for activity in matching_activities(content, lang, **filters):
        for occurrence in expand(activity.sessions, activity.cancelled, start, end):
            if weekday is None or occurrence.starts.weekday() == int(weekday):
                entries.append((occurrence, activity))
    entries.sort(key=lambda entry: (entry[0].starts, entry[1].title))
    return entries
