"""A readable difference between two versions of a file, line by line."""

import difflib
from dataclasses import dataclass

CONTEXT = 3  # unchanged lines shown around each change


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added" or "removed"
    old: int | None  # its line number before, if it was there
    new: int | None  # its line number after, if it is there
    text: str


def between(before, after):
    """Return the changed parts as lists of Lines, with a little context each.

    ``before`` may be None (a file created): every line is then added.
    """
    old = (before or "").splitlines()
    new = (after or "").splitlines()
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT):
        lines = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", i + 1, j + 1, old[i]) for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            lines += [Line("removed", i + 1, None, old[i]) for i in range(i1, i2)]
            lines += [Line("added", None, j + 1, new[j]) for j in range(j1, j2)]
        parts.append(lines)
    return parts
