"""What an editor needs to put right, from the content the site is serving."""

from dataclasses import dataclass

from babel import Locale

from ..content.problems import REVIEW, STALE

ENGLISH = Locale("en")  # the staff area's language, for language names


@dataclass(frozen=True)
class Language:
    code: str
    translated: int
    total: int
    missing: list  # the English pages not yet translated

    @property
    def english_name(self):
        return ENGLISH.languages.get(self.code, self.code)

    @property
    def percent(self):
        return self.translated * 100 // max(self.total, 1)


@dataclass(frozen=True)
class ContentHealth:
    errors: list  # files left out of the site
    stale: list  # translations older than their English page
    review: list  # pages whose review date has passed
    other: list  # every other warning (broken links, misplaced files, ...)
    languages: list
    drafts: list  # pages marked draft: true, which only editors see


def content_health(snapshot):
    """Sort the snapshot's problems into what an editor acts on, plus coverage."""
    warnings = snapshot.warnings
    return ContentHealth(
        errors=list(snapshot.errors),
        stale=[p for p in warnings if p.kind == STALE],
        review=[p for p in warnings if p.kind == REVIEW],
        other=[p for p in warnings if p.kind not in (STALE, REVIEW)],
        languages=[Language(lang, done, total, snapshot.untranslated(lang))
                   for lang, (done, total) in snapshot.coverage().items()],
        drafts=[page for _, page in sorted(snapshot.drafts.items())],
    )
