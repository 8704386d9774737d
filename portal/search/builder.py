"""Build a new index generation from the content folder, one process at a time.

Run by `flask search rebuild`, and by a web worker as a separate process
(`python -m portal.search.builder CONTENT_DIR SEARCH_DIR`) when content changes:
web workers themselves never write to the index.
"""

import logging
import subprocess
import sys
from ..content.loader import ContentLoader
from . import engine
from .documents import documents
from .generations import Generations

log = logging.getLogger(__name__)


def rebuild(content_dir, search_dir, snapshot=None, force=False):
    """Build a generation unless the current one already matches the content.

    Returns the new generation's folder, or None when nothing was needed.
    """
    generations = Generations(search_dir)
    with generations.lock():
        snapshot = snapshot or ContentLoader(content_dir).load()
        if not force and generations.fingerprint() == snapshot.fingerprint:
            return None
        folder = generations.new()
        engine.build(folder, documents(snapshot), snapshot.site.languages)
        generations.publish(folder, snapshot.fingerprint)
        generations.discard_old()
        log.info("search index built: %d pages", len(snapshot.pages))
        return folder


def rebuild_in_background(content_dir, search_dir):
    """Start a builder process and return at once (it waits for the lock itself)."""
    return subprocess.Popen(
        [sys.executable, "-m", "portal.search.builder", str(content_dir), str(search_dir)],
        stdin=subprocess.DEVNULL, start_new_session=True,
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    rebuild(sys.argv[1], sys.argv[2])
