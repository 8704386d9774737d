"""Headers that tell browsers to load nothing from elsewhere and to keep
pages out of frames. No inline script or style exists, so none is allowed."""

import functools

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app):
    """Add the headers to every response, leaving any a view set itself.

    The list to add is worked out once for each set of our headers a
    response already carries (in practice: none, or the exit page's own
    Referrer-Policy), so a response costs one look through its headers.
    """
    ours = list(HEADERS.items())
    if app.config["HSTS"]:
        ours.append(("Strict-Transport-Security", HSTS))
    names = frozenset(name.lower() for name, _ in ours)

    @functools.cache
    def missing(present):
        return tuple((name, value) for name, value in ours if name.lower() not in present)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        present = frozenset(key.lower() for key in headers.keys()) & names
        headers.extend(missing(present))
        return response
