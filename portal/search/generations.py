"""Index generations on disk: build aside, then move one pointer.

    <instance>/search/
        gen-<time>-<pid>/   one complete index each
        current -> gen-...  a symlink, replaced by an atomic rename
        build.lock          held by the one process building

Readers follow ``current``; a rebuild never touches the generation they
read. Old generations are removed after a grace period, long enough for
every worker to have moved to the new one.
"""

import fcntl
import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

GRACE_SECONDS = 600
FINGERPRINT = "fingerprint"
CHECKSUMS = "checksums.json"  # each file's size and sha256, written at publish


class Generations:
    """The search folder of one server."""

    def __init__(self, root):
        self.root = Path(root)
        self.pointer = self.root / "current"

    def current(self):
        """Return the current generation's folder, or None before the first build."""
        try:
            target = os.readlink(self.pointer)
        except (FileNotFoundError, OSError):
            return None
        return self.root / target

    def fingerprint(self):
        """Return the content fingerprint the current generation was built from."""
        current = self.current()
        try:
            return (current / FINGERPRINT).read_text() if current else None
        except FileNotFoundError:
            return None

    def new(self):
        """Make an empty folder for a generation being built."""
        self.root.mkdir(parents=True, exist_ok=True)
        folder = self.root / f"gen-{time.time_ns()}-{os.getpid()}"
        folder.mkdir()
        return folder

    def publish(self, folder, fingerprint):
        """Seal a finished generation and point ``current`` at it, atomically."""
        (folder / FINGERPRINT).write_text(fingerprint)
        (folder / CHECKSUMS).write_text(json.dumps(_checksums(folder)))
        previous = self.current()
        link = self.root / f".current-{os.getpid()}"
        if link.is_symlink():
            link.unlink()
        os.symlink(folder.name, link)
        os.replace(link, self.pointer)  # rename(2): readers see old or new, never none
        if previous and previous.exists():
            os.utime(previous)  # its grace period starts now

    def others(self):
        """Every other generation still on disk, newest first (fallbacks)."""
        current = self.current()
        return sorted((folder for folder in self.root.glob("gen-*")
                       if not (current and folder.name == current.name)),
                      key=lambda folder: folder.name, reverse=True)

    def discard_old(self, grace=GRACE_SECONDS, now=None):
        """Remove generations replaced more than ``grace`` seconds ago."""
        now = now or time.time()
        current = self.current()
        for folder in self.root.glob("gen-*"):
            if current and folder.name == current.name:
                continue
            if now - folder.stat().st_mtime > grace:
                shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def lock(self, wait=True):
        """Hold the build lock; yield False at once if not waiting and it is taken."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "build.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _checksums(folder):
    return {item.name: [item.stat().st_size, hashlib.sha256(item.read_bytes()).hexdigest()]
            for item in sorted(folder.iterdir())
            if item.is_file() and item.name not in (FINGERPRINT, CHECKSUMS)}


def damage(folder, quick=False):
    """Return what is wrong with a generation's files (missing, truncated or
    changed since it was published), or None when they are whole. Checked
    before a generation is opened: Whoosh maps its files into memory, and
    reading past the end of a truncated one kills the process (SIGBUS).
    ``quick`` compares sizes only (a few stat calls, for every search)."""
    try:
        sealed = json.loads((folder / CHECKSUMS).read_text())
    except FileNotFoundError:
        return f"{folder.name}: not sealed (no {CHECKSUMS}), or deleted"
    except ValueError:
        return f"{folder.name}: {CHECKSUMS} is unreadable"
    for name, (size, digest) in sealed.items():
        item = folder / name
        try:
            if item.stat().st_size != size:
                return f"{folder.name}: {name} is {item.stat().st_size} bytes, not {size}"
            if not quick and hashlib.sha256(item.read_bytes()).hexdigest() != digest:
                return f"{folder.name}: {name} has changed since it was built"
        except FileNotFoundError:
            return f"{folder.name}: {name} is missing"
    return None
