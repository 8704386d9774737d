"""Problems found in content files, reported as ``path:line: message``."""

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
# What kind of warning, so the editors' corner can group them.
STALE = "stale translation"
REVIEW = "review date passed"
KEPT = "last good version served"  # the file has an error; its page stays up


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with one content file."""

    path: str
    line: int
    message: str
    severity: str = ERROR
    kind: str = ""

    def __str__(self):
        prefix = "" if self.severity == ERROR else "warning: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self):
        return self.severity == ERROR


class ContentError(ValueError):
    """A file (or one field in it) that cannot be used, with where and why."""

    def __init__(self, message, line=1, at=()):
        super().__init__(message)
        self.message = message
        self.line = line
        # Path inside the front matter, e.g. ("sessions", 1, "time"), used to
        # find the line when the error is raised by a field parser.
        self.at = tuple(at)
