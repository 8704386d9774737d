"""The shipped demo content, parsed once per test run and shared.

Snapshots are immutable, so every test may read the same one; an app made
for a test starts from the parsed files (``CONTENT_PARSE_CACHE``) and only
re-parses a file the test has changed.
"""

import functools
from pathlib import Path

from portal.content.loader import ContentLoader

SHIPPED_CONTENT = Path(__file__).resolve().parents[2] / "content"


@functools.cache
def _loader():
    loader = ContentLoader(SHIPPED_CONTENT)
    loader.snapshot = loader.load()
    return loader


def shipped():
    """Return the snapshot of the shipped content (one per run)."""
    return _loader().snapshot


def save_parsed(path):
    """Write the shipped content's parsed files to ``path`` (for CONTENT_PARSE_CACHE)."""
    _loader().save_cache(path)
    return path
