"""Build a new index generation from the content folder, one process at a time.

Run by `flask search rebuild`, and by a web worker as a separate process
(`python -m portal.search.builder CONTENT_DIR SEARCH_DIR`) when content
changes: web workers themselves never write to the index.

When only a few pages changed, the current generation is copied and just
those pages are replaced in the copy, so an edit is searchable in about a
second even with thousands of pages; the live generation is never written.
"""

import hashlib
import json
import logging
import shutil
import subprocess
import sys

from ..content.loader import ContentLoader
from .generations import FINGERPRINT, Generations

log = logging.getLogger(__name__)
MANIFEST = "documents.json"  # key -> hash of each document, and the languages
INCREMENTAL_SHARE = 0.2  # above this share of changed pages, build afresh
PARSE_CACHE = "parsed-content.pickle"
# Saving the parse cache takes about a second at 10,000 pages: a builder
# that parsed only a few files afresh leaves it, and the next builder
# parses those few again (milliseconds each).
RESAVE_AFTER = 50


def _digest(doc):
    return hashlib.sha256(repr(doc).encode()).hexdigest()[:16]


def _manifest(folder):
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (FileNotFoundError, ValueError, TypeError):
        return None


def rebuild(content_dir, search_dir, snapshot=None, force=False):
    """Build a generation unless the current one already matches the content.

    Returns the new generation's folder, or None when nothing was needed.
    """
    generations = Generations(search_dir)
    with generations.lock():
        if snapshot is None:
            # A builder process starts cold: reuse the files parsed last time,
            # so one edited page among thousands is parsed alone.
            loader = ContentLoader(content_dir)
            loader.restore_cache(generations.root / PARSE_CACHE)
            snapshot = loader.load()
            if loader.unsaved > RESAVE_AFTER:
                loader.save_cache(generations.root / PARSE_CACHE)
        if not force and generations.fingerprint() == snapshot.fingerprint:
            return None
        # Here, not at the top: a web worker imports this module only to
        # start the builder process, and needs no numpy or Whoosh for that.
        from . import engine
        from .documents import documents
        docs = {doc.key: doc for doc in documents(snapshot)}
        digests = {key: _digest(doc) for key, doc in docs.items()}
        languages = list(snapshot.site.languages)
        previous = generations.current()
        old = _manifest(previous) if previous and not force else None
        folder = generations.new()
        few = None
        if old and old["languages"] == languages:
            changed = [docs[k] for k, d in digests.items() if old["documents"].get(k) != d]
            removed = [k for k in old["documents"] if k not in digests]
            if len(changed) + len(removed) <= INCREMENTAL_SHARE * max(len(docs), 1):
                few = changed, removed
        if few:
            changed, removed = few
            for item in previous.iterdir():
                if item.is_file() and item.name not in (FINGERPRINT, MANIFEST):
                    shutil.copy2(item, folder / item.name)
            engine.update(folder, changed, removed)
            how = f"updated {len(changed)} and removed {len(removed)} of {len(docs)} pages"
        else:
            engine.build(folder, docs.values(), languages)
            how = f"built {len(docs)} pages"
        (folder / MANIFEST).write_text(json.dumps({"languages": languages, "documents": digests}))
        generations.publish(folder, snapshot.fingerprint)
        generations.discard_old()
        log.info("search index %s", how)
        return folder


def rebuild_in_background(content_dir, search_dir, force=False):
    """Start a builder process and return at once (it waits for the lock itself).
    ``force`` builds afresh even if the current generation matches the content
    (it is damaged)."""
    return subprocess.Popen(
        [sys.executable, "-m", "portal.search.builder", str(content_dir), str(search_dir)]
        + ["--force"] * force,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    rebuild(sys.argv[1], sys.argv[2], force="--force" in sys.argv[3:])
