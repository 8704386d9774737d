"""``/api/v1/``: the services as Open Referral UK JSON.

Read-only and public (it is the same information as the website), so any
site may fetch it (CORS ``*``); answers are cached for five minutes and
carry an ETag from the content, so a directory that polls gets 304s until
an editor changes something. Every answer is JSON, errors and unknown
addresses included.
"""

import logging

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .. import clock
from ..content.sections import SECTIONS
from ..content.web import snapshot
from ..extensions import csrf, limiter
from ..public.filters import AGE_LABELS
from ..search.service import search_service
from ..search.views import MAX_QUERY
from ..site_url import external_url
from . import filters, openreferral, taxonomy
from .paging import page_of

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The profile's openapi.json, which describes this API.
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
WRITES = ["POST", "PUT", "PATCH", "DELETE"]
# Nothing here accepts a write (each is a 405), so there is no form to protect,
# and a directory's POST gets a JSON answer rather than the site's form page.
csrf.exempt(bp)


@bp.after_request
def public_json(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=300"
        response.add_etag()
        response.make_conditional(request)
    return response


@bp.errorhandler(HTTPException)
def json_error(error):
    response = jsonify(error=error.description, status=error.code)
    # Keep what the error adds besides its HTML body, such as a 405's Allow.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, error.code


@bp.errorhandler(Exception)
def json_server_error(error):
    log.exception("unhandled error in the API")
    return jsonify(error="Sorry, there is a problem with the service", status=500), 500


@bp.get("/<path:address>")
def unknown(address):
    abort(404, f"there is nothing at /api/v1/{address}")


@bp.route("/", methods=WRITES)
@bp.route("/<path:address>", methods=WRITES)
def read_only(address=""):
    raise MethodNotAllowed(["GET", "HEAD"], "this API is read-only: use GET")


def _base_url():
    return current_app.config["BASE_URL"]


def _region():
    return current_app.config["STATE_PROVINCE"]


@bp.get("/")
def about():
    return jsonify(version=openreferral.VERSION, profile=openreferral.PROFILE,
                   openapi_url=OPENAPI_URL, services=external_url(".services"))


def _taxonomies(content):
    names = {section.key: str(section.name) for section in SECTIONS if section.listed}
    intros = {section.key: str(section.intro) for section in SECTIONS if section.intro}
    ages = {key: str(label) for key, label in AGE_LABELS.items()}
    return taxonomy.taxonomies(content, _base_url(), names, intros, ages)


def _terms(content):
    """Every term's document, by its (taxonomy, term) key."""
    return {(term.taxonomy, term.key): taxonomy.term_document(term, content.site)
            for found in _taxonomies(content) for term in found.terms}


def _searched(content, text):
    """The services the site's own search finds for ``text``, best first."""
    index = search_service().index()
    if index is None:
        abort(503, "search is not ready yet: the index is being built, try again in a minute")
    lang = content.default_language
    pages = {page.key: page for page in openreferral.services(content)}
    # Ask for every hit: the search also finds pages that are not services.
    results = index.search(text, lang, synonyms=content.synonyms, page=1, per_page=10_000)
    return [pages[hit.section, hit.page_id] for hit in results.hits
            if hit.lang == lang and (hit.section, hit.page_id) in pages]


def _found(content):
    """The services a listing's query asks for, in order."""
    wanted = filters.read(request.args, content.localities, MAX_QUERY)
    pages = _searched(content, wanted.search) if wanted.search else openreferral.services(content)
    return [page for page in pages if filters.matches(page, content.site, wanted)]


def _today():
    return clock.today()


def _full_service(page, content):
    terms = _terms(content)
    return openreferral.service(page, content, _base_url(), _today(), _region(),
                                [terms[key] for key in taxonomy.keys_of(page) if key in terms])


# A listing with ?search= runs the site's search: it counts with the search
# page's searches, per client.
searching = limiter.shared_limit(lambda: current_app.config["SEARCH_RATE_LIMIT"], scope="search",
                                 exempt_when=lambda: not request.args.get("search", "").strip())


@bp.get("/services")
@searching
def services():
    content = snapshot()
    return jsonify(page_of(request.args, _found(content),
                           lambda page: openreferral.summary(page, content.site, _base_url())))


@bp.get("/services/<service_id>")
def service(service_id):
    content = snapshot()
    for page in openreferral.services(content):
        if openreferral.identifier(content.site, page.section, page.id) == service_id:
            return jsonify(_full_service(page, content))
    abort(404, f"no service {service_id}")


def _links(content, pages):
    """(page, location) for each service that is offered at a known place."""
    located = ((page, openreferral.where(page, content, _region())) for page in pages)
    return [(page, location) for page, location in located if location]


@bp.get("/service_at_locations")
@searching
def service_at_locations():
    if request.args.get("proximity"):
        abort(400, "proximity is not supported: this site has no postcode centroids to "
                   "measure from; postcode alone gives the services for that area")
    content = snapshot()

    def listed(link):
        page, location = link
        # A listing has the one-to-one fields only: no arrays.
        brief = {key: value for key, value in location.items() if not isinstance(value, list)}
        return openreferral.at_location(page, content.site, brief,
                                        openreferral.summary(page, content.site, _base_url()))
    return jsonify(page_of(request.args, _links(content, _found(content)), listed))


@bp.get("/service_at_locations/<link_id>")
def service_at_location(link_id):
    content = snapshot()
    for page, location in _links(content, openreferral.services(content)):
        if openreferral.at_location(page, content.site, location)["id"] == link_id:
            nested = _full_service(page, content)
            link = openreferral.at_location(page, content.site, location, nested)
            # The profile gives this path the service schema, which needs these two.
            link.update(name=nested["name"], status=nested["status"])
            return jsonify(link)
    abort(404, f"no service at location {link_id}")


@bp.get("/taxonomies")
def taxonomies():
    content = snapshot()
    return jsonify(page_of(request.args, _taxonomies(content),
                           lambda found: taxonomy.taxonomy_document(found, content.site)))


@bp.get("/taxonomies/<taxonomy_id>")
def one_taxonomy(taxonomy_id):
    content = snapshot()
    for found in _taxonomies(content):
        if taxonomy.taxonomy_id(content.site, found.key) == taxonomy_id:
            return jsonify(taxonomy.taxonomy_document(found, content.site, with_terms=True))
    abort(404, f"no taxonomy {taxonomy_id}")


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    content = snapshot()
    return jsonify(page_of(request.args, list(_terms(content).values()), lambda term: term))


@bp.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id):
    content = snapshot()
    for term in _terms(content).values():
        if term["id"] == term_id:
            return jsonify(term)
    abort(404, f"no taxonomy term {term_id}")
