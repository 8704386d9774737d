"""The content files an editor may open, read and write, checked every time.

A path from a request is never used until ``editable`` has checked it: a
relative path of plain parts (no ``..``, no hidden folders), naming a page
file (``<language>/<section>/<id>.md``) or one of the three settings files,
that stays inside the content folder once symlinks are followed. Writes are
atomic: a reader sees the old file or the new one, never half of either.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..content.loader import PAGE_ID, SITE_FILES
from ..content.sections import BY_KEY as SECTIONS

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)?$")
MISSING = "new"  # the version of a file that does not exist yet


class NotEditable(ValueError):
    """A path an editor may not open: said in words, never echoed back."""


def editable(root, rel):
    """Return the file's Path if ``rel`` is a content file an editor may edit."""
    if not isinstance(rel, str) or not rel or len(rel) > 200 or "\\" in rel or "\x00" in rel:
        raise NotEditable("not a content file's name")
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise NotEditable("a content file's name is a plain path inside the content folder")
    if rel not in SITE_FILES:
        if len(parts) != 3 or not parts[2].endswith(".md"):
            raise NotEditable("only pages (<language>/<section>/<id>.md) and "
                              f"{', '.join(SITE_FILES)} can be edited")
        lang, section, name = parts
        if not LANGUAGE.match(lang) or section not in SECTIONS or not PAGE_ID.match(name[:-3]):
            raise NotEditable("not a page's file name")
    root = Path(root).resolve()
    path = root / rel
    # Follow every symlink on the way: the file must still be in the folder.
    if not path.resolve().is_relative_to(root) or (path.exists() and not path.is_file()):
        raise NotEditable("that file is outside the content folder")
    return path


def version(data):
    """A short fingerprint of a file's bytes, to notice it changed meanwhile."""
    return MISSING if data is None else hashlib.sha256(data).hexdigest()[:32]


def read(path):
    """Return (text, version); (None, MISSING) for a file not there yet."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, MISSING
    return data.decode("utf-8", errors="replace"), version(data)


def tidy(text):
    """What a browser sends, as a content file: LF line ends, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n"


def write_atomic(path, text):
    """Write ``text`` whole: a temporary file beside it, fsync, rename, fsync
    the folder. A reader (the content poller, another server's sync) sees the
    old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # keep the file's permissions (mkstemp's own are owner-only)
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
