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
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

GRACE_SECONDS = 600
FINGERPRINT = "fingerprint"


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
        """Point ``current`` at a finished generation, atomically."""
        (folder / FINGERPRINT).write_text(fingerprint)
        previous = self.current()
        link = self.root / f".current-{os.getpid()}"
        if link.is_symlink():
            link.unlink()
        os.symlink(folder.name, link)
        os.replace(link, self.pointer)  # rename(2): readers see old or new, never none
        if previous and previous.exists():
            os.utime(previous)  # its grace period starts now

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
