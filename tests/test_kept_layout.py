"""A page in a kept layout is exactly the page ``render_template`` gives, and
the kept layout holds nothing of the family it was first rendered for."""

from types import SimpleNamespace

import pytest
from flask import render_template
from jinja2 import ChoiceLoader, DictLoader, UndefinedError

from portal import kept_layout
from portal.content.web import snapshot

LANGUAGES = ["en", "pl", "ur", "ar", "bn", "zh"]


def family(number, ways=("phone", "email")):
    return SimpleNamespace(reference=f"SW-AB{number}C-DE{number}F", contact_ways=list(ways),
                           phone=f"0161 496 0{number:03d}", phone_e164=f"+44161496{number:04d}",
                           email=f"family{number}@example.org")


def done_page(render, lang, referral, outside=False):
    team = snapshot().localities.teams[0]
    return render("referrals/done.html", referral=referral, reference=referral.reference,
                  team=team, outside=outside)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_is_the_one_render_template_gives(app, lang):
    for number, outside, ways in [(1, False, ("phone", "email")), (2, True, ("text", "letter")),
                                  (3, False, ("email",))]:
        with app.test_request_context(f"/{lang}/refer/done", headers={"Accept-Language": lang}):
            app.preprocess_request()
            kept = done_page(kept_layout.render, lang, family(number, ways), outside)
            whole = done_page(render_template, lang, family(number, ways), outside)
        assert kept == whole  # the second and third in the layout kept for the first
        assert f'<html lang="{lang}"' in kept and family(number).reference in kept
        assert kept_layout.STAND_IN not in kept


def test_the_kept_layout_holds_nothing_of_the_first_family(app):
    first, second = family(1), family(2)
    pages = []
    for referral in (first, second):
        with app.test_request_context("/en/refer/done"):
            app.preprocess_request()
            pages.append(done_page(kept_layout.render, "en", referral))
    assert len(app.extensions["kept_layouts"].pages) == 1  # the second used the kept one
    (layout,) = app.extensions["kept_layouts"].pages.values()
    for detail in (first.reference, first.phone, first.email):
        assert detail in pages[0]
        assert detail not in pages[1] and detail not in layout
    assert second.reference in pages[1]


def test_a_layout_that_needs_the_views_variables_is_refused(app):
    """Strict templates (the tests') make the mistake fail at once, so a
    family's details can never be kept in a layout."""
    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "leaky.html": '{% extends "base.html" %}{% block title %}{{ reference }}{% endblock %}'
                      '{% block main %}<p>{{ reference }}</p>{% endblock %}',
        "imports.html": '{% extends "base.html" %}{% macro shout(text) %}{{ text }}!{% endmacro %}'
                        '{% block title %}T{% endblock %}{% block main %}{{ shout(reference) }}'
                        '{% endblock %}',
    }), app.jinja_env.loader])
    with app.test_request_context("/en/refer/done"):
        app.preprocess_request()
        with pytest.raises(UndefinedError):
            kept_layout.render("leaky.html", reference="SW-AAAA-BBBB")
        # A macro from the top of the template is not there for the main block alone.
        with pytest.raises(UndefinedError):
            kept_layout.render("imports.html", reference="SW-AAAA-BBBB")
