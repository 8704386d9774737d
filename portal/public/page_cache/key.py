"""What a kept page is found by: the same for the front and the view."""

from ..area import area_in


def page_key(environ, snapshot, cookies):
    """Return the key of the page a request asks for.

    The content snapshot (an edited file makes a new one), the full address
    as sent (query included) and the remembered area: the only things a
    public page's body depends on, besides the minute, which the cache's
    expiry covers.
    """
    address = "".join((environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                       "?", environ.get("QUERY_STRING", "")))
    return (snapshot.fingerprint, address, area_in(cookies, snapshot.localities))
