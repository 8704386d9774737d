"""What a signed-in editor sees at a page's address that families do not.

A draft is shown with a banner; a file left out because of mistakes shows
its problems instead of "Page not found"; a live page whose file (or its
translation) has problems shows them in a banner. Families get exactly what
they got before. This module decides; the public view only asks.

The seam with "keep the last good version live": everything here asks
``snapshot.problems_for(path)``, never whether the page is missing. If a
broken file's last good version stays live, the editor sees that page and a
banner listing the newer file's problems; if it is left out, the editor sees
the problems alone.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request
from flask_login import current_user

# Set when an editor signs in, dropped when they sign out. Only a request
# that carries it opens the cookie session to ask who is asking, so a
# family's public page never reads (nor sends back) the session. It grants
# nothing by itself: the signed-in account is still checked.
HINT = "editor"


def editing():
    """Whether the person asking is a signed-in editor or administrator."""
    if HINT not in request.cookies:
        return False
    return bool(current_user.is_authenticated and getattr(current_user, "sees_content", False))


def mark(response, user):
    """Let later public pages look for ``user``'s editing links (editors only)."""
    if getattr(user, "sees_content", False):
        response.set_cookie(HINT, "1", httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def unmark(response):
    response.delete_cookie(HINT)
    return response


@dataclass(frozen=True)
class Review:
    """What the editor is told about one address."""

    page: object  # the page to show (live or draft), or None
    draft: bool  # the page shown is a draft families cannot see
    live: bool  # families see a page at this address
    files: tuple  # the files behind the address: (path, exists) pairs
    problems: tuple  # every problem in those files, by file and line

    @property
    def errors(self):
        return tuple(p for p in self.problems if p.is_error)

    @property
    def source(self):
        """The file an editor would open to change what is shown here."""
        if self.page is not None:
            return self.page.source
        return next((path for path, exists in self.files if exists), self.files[0][0])


def source_paths(snapshot, lang, section, page_id):
    """The files behind an address: the language's own file, then English's."""
    paths = [f"{lang}/{section}/{page_id}.md"]
    english = f"{snapshot.default_language}/{section}/{page_id}.md"
    if english not in paths:
        paths.append(english)
    return paths


def review(snapshot, lang, section, page_id, root):
    """Return what an editor sees at this address, or None when there is
    nothing at all (no live page, no draft, no file): the 404 stands."""
    live = snapshot.page(lang, section, page_id)
    draft = snapshot.drafts.get((lang, section, page_id))  # a draft translation
    if draft is None and live is None:
        draft = snapshot.draft(lang, section, page_id)
    files = tuple((path, (Path(root) / path).is_file())
                  for path in source_paths(snapshot, lang, section, page_id))
    problems = tuple(problem for path, _ in files for problem in snapshot.problems_for(path))
    if live is None and draft is None and not any(exists for _, exists in files):
        return None
    return Review(page=draft or live, draft=draft is not None, live=live is not None,
                  files=files, problems=problems)
