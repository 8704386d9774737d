"""The site's own address: every absolute URL, and the hosts it answers to.

Absolute URLs (language alternates, canonical links, calendar
subscriptions, feeds, the sitemap, robots.txt, the API) are built from
``PORTAL_BASE_URL``, never from the request's Host or X-Forwarded-Host: a
page kept in the page cache must not carry a host someone else chose. A
request for any other host than the base URL's (and ``PORTAL_HOSTS``) is
refused with a plain 400 before the app sees it.
"""

import urllib.parse

from flask import current_app, request, url_for
from flask_wtf.csrf import same_origin
from werkzeug.exceptions import BadRequest
from werkzeug.wsgi import get_host


class BadBaseUrl(ValueError):
    """PORTAL_BASE_URL is not scheme://host[:port]."""


def parse(base_url):
    """Return (scheme, netloc) of a base URL; raise BadBaseUrl if it has a
    path, query or fragment, or is not http(s)://host."""
    parts = urllib.parse.urlsplit(base_url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname or \
            parts.path or parts.query or parts.fragment or parts.username:
        raise BadBaseUrl(
            f"PORTAL_BASE_URL={base_url!r} must be the site's address with no path, "
            "for example https://startwell.example.org")
    return parts.scheme, parts.netloc


def trusted_hosts(config):
    """The host names requests may name: the base URL's, then the extras."""
    hostname = urllib.parse.urlsplit(config["BASE_URL"]).hostname
    return [hostname, *(host for host in config["EXTRA_HOSTS"] if host != hostname)]


def absolute(path, scheme=None):
    """Return the site's absolute URL for a path ("/en/hubs/")."""
    base_scheme, netloc = parse(current_app.config["BASE_URL"])
    return f"{scheme or base_scheme}://{netloc}{path}"


def external_url(endpoint, _scheme=None, **values):
    """url_for, made absolute from PORTAL_BASE_URL (``_scheme="webcal"`` for
    a calendar subscription)."""
    return absolute(url_for(endpoint, **values), _scheme)


def is_this_site(url):
    """Whether ``url`` (an Origin or Referer a browser sent) is this site over
    HTTPS: the host this request was accepted for (a known one: others were
    refused), as Flask-WTF's strict check compared it."""
    return same_origin(url, f"https://{request.host}/")


def query_args(endpoint):
    """The request's query, to carry into a link to ``endpoint``: without an
    argument that names a part of its address (``?page_id=``, ``?lang=``) or
    one of url_for's own (``?_method=``, ``?_scheme=``)."""
    named = {arg for rule in current_app.url_map.iter_rules(endpoint) for arg in rule.arguments}
    return {key: value for key, value in request.args.items()
            if key not in named and not key.startswith("_")}


class RefuseUnknownHosts:
    """WSGI middleware: a 400 for a Host (or a trusted proxy's
    X-Forwarded-Host, already applied by ProxyFix outside) not in the list."""

    def __init__(self, wsgi_app, hosts):
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ, start_response):
        try:
            get_host(environ, self.hosts)
        except BadRequest:  # werkzeug's SecurityError
            return BadRequest("Unknown host.")(environ, start_response)
        return self.wsgi_app(environ, start_response)


def location_from_base_url(response):
    """Rebuild a redirect to this site from the base URL (Werkzeug's own,
    such as /staff to /staff/, names the request's host)."""
    location = response.headers.get("Location")
    if location:
        parts = urllib.parse.urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            response.headers["Location"] = absolute(urllib.parse.urlunsplit(
                ("", "", parts.path, parts.query, parts.fragment)))
    return response


def init_app(app):
    parse(app.config["BASE_URL"])  # a bad setting stops start-up, saying why
    hosts = trusted_hosts(app.config)
    app.config["TRUSTED_HOSTS"] = hosts
    app.wsgi_app = RefuseUnknownHosts(app.wsgi_app, hosts)
    app.after_request(location_from_base_url)
    app.jinja_env.globals.update(external_url=external_url, absolute_url=absolute,
                                 query_args=query_args)
