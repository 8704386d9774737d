"""An immutable view of all the content at one moment."""

import datetime
from dataclasses import dataclass, field
from types import MappingProxyType

from .pages import Activity, Hub
from .sections import WITH_SESSIONS


@dataclass(frozen=True)
class Snapshot:
    """Everything the site serves, parsed once; never changed after loading.

    Pages are keyed by (lang, section, id). Every page exists in the default
    language; other languages hold only the pages translated into them.
    """

    site: object
    localities: object
    synonyms: MappingProxyType
    pages: MappingProxyType
    problems: tuple
    files: int
    loaded_at: datetime.datetime
    fingerprint: str  # changes whenever any content file changes
    # Pages marked draft: true, keyed as pages are: only editors see them.
    drafts: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # {(lang, section, id): source path} of pages whose file now has an
    # error and whose last good version is served instead (loader.py).
    kept: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def default_language(self):
        return self.site.default_language

    def page(self, lang, section, page_id):
        """Return the page in ``lang``, or in the default language, or None."""
        return self.pages.get((lang, section, page_id)) or self.pages.get(
            (self.default_language, section, page_id)
        )

    def translations(self, section, page_id):
        """Return {lang: page} for every language this page is written in."""
        return {
            lang: self.pages[(lang, section, page_id)]
            for lang in self.site.languages
            if (lang, section, page_id) in self.pages
        }

    def _memo(self, key, compute):
        """Compute a derived list once per snapshot (snapshots never change)."""
        memo = self.__dict__.setdefault("_memos", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def section(self, lang, section, locality=None, age=None):
        """Return a section's pages in ``lang`` where translated, by title."""
        everything = self._memo(("section", lang, section), lambda: sorted(
            (self.page(lang, section, page_id)
             for (page_lang, page_section, page_id) in self.pages
             if page_lang == self.default_language and page_section == section),
            key=lambda page: page.title.casefold(),
        ))
        if locality is None and age is None:
            return list(everything)
        return [page for page in everything if page.serves(locality, age)]

    def hub(self, lang, hub_id):
        page = self.page(lang, "hubs", hub_id)
        return page if isinstance(page, Hub) else None

    def activities(self, lang):
        """Return every group and course, in ``lang`` where translated."""
        return [
            page
            for section in WITH_SESSIONS
            for page in self.section(lang, section)
            if isinstance(page, Activity)
        ]

    def meeting_at(self, lang, hub_id):
        """Return the groups and courses that meet at a hub."""
        return list(self._memo(("meeting_at", lang, hub_id), lambda: [
            page for page in self.activities(lang) if page.hub_id == hub_id]))

    def untranslated(self, lang):
        """Return the default-language pages with no translation into ``lang``."""
        return list(self._memo(("untranslated", lang), lambda: [
            page for (page_lang, section, page_id), page in sorted(self.pages.items())
            if page_lang == self.default_language and (lang, section, page_id) not in self.pages]))

    def coverage(self):
        """Return {lang: (translated, total)} for every other language offered."""
        total = sum(1 for (lang, _, _) in self.pages if lang == self.default_language)
        return {lang: (total - len(self.untranslated(lang)), total)
                for lang in self.site.languages if lang != self.default_language}

    def draft(self, lang, section, page_id):
        """Return the draft in ``lang``, or in the default language, or None."""
        return self.drafts.get((lang, section, page_id)) or self.drafts.get(
            (self.default_language, section, page_id)
        )

    def problems_for(self, path):
        """Return the problems found in one file (``en/groups/x.md``), by line.

        The editors' preview and edit form ask only this, so they show the
        same whether a broken file is left out or its last good version is
        kept live.
        """
        by_path = self._memo("problems_by_path", lambda: _by_path(self.problems))
        return by_path.get(path, ())

    @property
    def errors(self):
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self):
        return tuple(p for p in self.problems if not p.is_error)


def _by_path(problems):
    found = {}
    for problem in problems:
        found.setdefault(problem.path, []).append(problem)
    return {path: tuple(items) for path, items in found.items()}
