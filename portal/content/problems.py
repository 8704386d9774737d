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

    @property
    def each(self):
        """Every error this stands for: itself, or the several gathered."""
        return (self,)

    def inside(self, *at):
        """The same errors, each found under the key path ``at``."""
        return gather([ContentError(e.message, e.line, at + e.at) for e in self.each])

    def problems(self, path):
        """Every error this stands for, as a Problem in the file ``path``."""
        return [Problem(path, e.line, e.message) for e in self.each]


class ContentErrors(ContentError):
    """Several errors found in one pass over a file, so an editor sees them all."""

    def __init__(self, errors):
        errors = tuple(e for error in errors for e in error.each)
        super().__init__(errors[0].message, errors[0].line, errors[0].at)
        self.errors = errors

    @property
    def each(self):
        return self.errors


def gather(errors):
    """Return the one error, or several as ContentErrors (``errors`` not empty)."""
    errors = [e for error in errors for e in error.each]
    return errors[0] if len(errors) == 1 else ContentErrors(errors)


class Gatherer:
    """Run several checks, keeping every ContentError; raise them together.

    ``with gatherer.check(): ...`` keeps an error and goes on;
    ``gatherer.done()`` raises all that were kept.
    """

    def __init__(self):
        self.errors = []

    def check(self, *at):
        return _Keep(self, at)

    def done(self):
        if self.errors:
            raise gather(self.errors)


class _Keep:
    def __init__(self, gatherer, at):
        self.gatherer, self.at = gatherer, at

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, ContentError):
            self.gatherer.errors.append(error.inside(*self.at) if self.at else error)
            return True
        return False
