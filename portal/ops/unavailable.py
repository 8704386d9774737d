"""The page nginx shows when no app server answers (deploy/nginx/portal.conf).

nginx serves it with no app behind it, so it is rendered ahead of time from
the interface translations into ``static/unavailable.html``: every language
on one page, since the page cannot know the reader's. Run
``make unavailable-page`` after the translations change; a test says when
it is stale.
"""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..config import ROOT
from ..content.web import snapshot
from ..errors import MESSAGES
from ..i18n.locale import FORMAT_LOCALES, direction

PATH = ROOT / "static" / "unavailable.html"


def render(app):
    """Return the page's HTML, in every language the site offers."""
    with app.test_request_context():
        site = snapshot().site
        languages = []
        for lang in site.languages:
            with force_locale(FORMAT_LOCALES.get(lang, lang)):
                languages.append({
                    "lang": lang, "dir": direction(lang),
                    "title": str(MESSAGES[500][0]),
                    "retry": _("Please wait a minute and try again."),
                    "danger": _("If you or your child are in danger now, call 999."),
                    "urgent": _("For urgent health advice, call 111."),
                })
        return render_template("ops/unavailable.html", site=site, languages=languages)


if __name__ == "__main__":  # make unavailable-page, from the repository's root
    from wsgi import app  # the app as served (not portal's factory: no import cycle)
    PATH.write_text(render(app), encoding="utf-8")
    print(f"wrote {PATH.relative_to(ROOT)}")
