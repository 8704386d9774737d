"""Query arguments that name a URL's own parts (issue 11, L2).

``?lang=``, ``?_method=`` and ``?section=`` gave a 500 on any page (they
collided with url_for's own arguments when the language links were built),
and ``?page_id=`` rewrote the language links to another page.
"""

import pytest
from bs4 import BeautifulSoup

PAGES = ["/en/", "/en/groups/stay-and-play-brinnington", "/en/hubs/", "/en/whats-on",
         "/en/search?q=baby", "/en/refer", "/en/refer/status", "/en/pages/contact"]
ARGUMENTS = ["lang=pl", "_method=POST", "section=hubs", "page_id=contact", "_external=1",
             "_anchor=x", "_scheme=javascript", "lang=", "section=&page_id="]


def language_links(body):
    page = BeautifulSoup(body, "html.parser")
    return [a["href"] for a in page.select("a[hreflang]")]


@pytest.mark.parametrize("argument", ARGUMENTS)
@pytest.mark.parametrize("path", PAGES)
def test_no_query_argument_breaks_a_page_or_its_language_links(client, path, argument):
    plain = client.get(path)
    joined = f"{path}{'&' if '?' in path else '?'}{argument}"
    response = client.get(joined)
    assert response.status_code == plain.status_code == 200, joined
    for link in language_links(response.get_data(as_text=True)):
        # The same page in another language: only the language part differs.
        assert link.partition("?")[0].split("/")[2:] == path.partition("?")[0].split("/")[2:], link
        assert "javascript" not in link and "#x" not in link


def test_search_keeps_its_query_in_the_language_links(client):
    body = client.get("/en/search?q=baby&section=groups").get_data(as_text=True)
    assert "/pl/search?q=baby&section=groups" in [link.replace("&amp;", "&") for link in language_links(body)]
