"""Search fixtures: the shipped content indexed once per session."""

import pytest

from portal.search.builder import rebuild
from portal.search.engine import Index
from portal.search.generations import Generations

from ..conftest import SHIPPED_CONTENT


@pytest.fixture(scope="session")
def search_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    rebuild(SHIPPED_CONTENT, folder)
    return folder


@pytest.fixture(scope="session")
def shipped(shipped_snapshot):
    return shipped_snapshot


@pytest.fixture(scope="session")
def index(search_dir):
    opened = Index(Generations(search_dir).current())
    yield opened
    opened.close()


@pytest.fixture
def app(make_app, search_dir):
    """The app with search on, sharing the session's index."""
    return make_app(SEARCH_REBUILD="inline", SEARCH_DIR=search_dir)
