"""The search page: /<lang>/search?q=..., a plain GET form."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField

from ..content.sections import NAMES as SECTION_NAMES
from ..content.web import snapshot
from ..extensions import limiter
from ..i18n.locale import current_language
from ..public.area import area_for, keeps_to_area, remembered_locality
from ..public.filters import ListingFilters
from . import place_query
from .service import search_service

bp = Blueprint("search", __name__, url_prefix="/<lang>")
MAX_QUERY = 200  # characters; a longer query is cut, never an error
POPULAR = [("health-visiting", "when-to-call-whom"), ("groups", "stay-and-play-brinnington"),
           ("health-visiting", "baby-clinics"), ("health-visiting", "feeding-your-baby"),
           ("epec", "being-a-parent-adswood")]


class SearchFilters(ListingFilters):
    q = SearchField(_l("Search"))
    section = SelectField(_l("Type of service"), default="")

    def __init__(self, args, localities, locality=None):
        super().__init__(args, localities, locality)
        self.section.choices = [("", _l("All types"))] + [
            (key, name) for key, name in SECTION_NAMES.items() if name
        ]


@bp.get("/search")
@limiter.shared_limit(lambda: current_app.config["SEARCH_RATE_LIMIT"], scope="search",
                      exempt_when=lambda: not request.args.get("q", "").strip())
@keeps_to_area
def search():
    content = snapshot()
    lang = current_language()
    form = SearchFilters(request.args, content.localities, remembered_locality())
    text = " ".join((form.q.data or "").split())[:MAX_QUERY]
    locality = form.chosen(form.locality)
    named = place_query.area_in_words(content.localities, text)
    if named.named:
        # "baby groups near SK5", "stay and play Heatons": the words beat the remembered area.
        text, locality = named.words, named.locality
    try:
        page_number = max(1, min(int(request.args.get("page", 1)), 1000))
    except ValueError:
        page_number = 1
    service = search_service()
    results, index = None, service.index()
    for _ in range(2):  # a generation that fails in use is dropped; the next one answers
        if not text or index is None:
            break
        try:
            results = index.search(
                text, lang, synonyms=content.synonyms, section=form.chosen(form.section),
                locality=locality, age=form.chosen(form.age), page=page_number,
                per_page=current_app.config["SEARCH_PAGE_SIZE"],
                texts=lambda lang, section, page_id: content.page(lang, section, page_id).body_text,
            )
            break
        except Exception as exc:  # noqa: BLE001 - damaged files: reported, never a 500
            service.failed(index.folder, exc)
            index = service.index()
    hits = [(content.page(hit.lang, hit.section, hit.page_id), hit) for hit in results.hits] if results else []
    popular = [content.page(lang, s, i) for s, i in POPULAR if content.page(lang, s, i)]
    return render_template(
        "search/search.html", form=form, query=text, results=results, hits=hits,
        page_number=page_number, per_page=current_app.config["SEARCH_PAGE_SIZE"],
        asked=named.postcode, area=area_for(locality), popular=popular,
        section_names=SECTION_NAMES, index_ready=index is not None,
    )
