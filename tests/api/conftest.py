"""API fixtures: the shipped content, searchable, and a client that checks
every answer against the profile's schema for its path."""

import pytest

from portal.search.builder import rebuild

from ..conftest import SHIPPED_CONTENT
from .schemas import problems, validator


@pytest.fixture(scope="session")
def search_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    rebuild(SHIPPED_CONTENT, folder)
    return folder


@pytest.fixture
def app(make_app, search_dir):
    return make_app(SEARCH_REBUILD="inline", SEARCH_DIR=search_dir)


class Api:
    """GET /api/v1 addresses; every 200 must be JSON valid for its profile path."""

    def __init__(self, client):
        self.client = client

    def get(self, path, address=None, **args):
        """The answer at ``address`` (default: ``path`` itself), checked against ``path``'s schema."""
        address = address or path
        response = self.client.get(f"/api/v1{address}", query_string=args)
        assert response.status_code == 200, (address, args, response.get_data(as_text=True))
        assert response.mimetype == "application/json", address
        errors = problems(validator(path), response.json)
        assert not errors, f"{address} {args} breaks the profile's schema for {path}:\n" + \
            "\n".join(errors)
        return response.json

    def every_page(self, path, **args):
        """Every item of a listing, fetched one a page, each page checked."""
        items, number = [], 1
        while True:
            page = self.get(path, per_page=1, page=number, **args)
            assert page["page_number"] == number and page["size"] == len(page["contents"])
            assert page["first_page"] is (number == 1)
            assert page["total_pages"] == max(1, page["total_items"])
            items += page["contents"]
            if page["last_page"]:
                break
            assert page["size"] == 1
            number += 1
        assert len(items) == page["total_items"]
        return items


@pytest.fixture
def api(client):
    return Api(client)
