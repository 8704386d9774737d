"""Read the content folder into a Snapshot, reporting every problem.

Parsing (YAML and markdown) is cached per file by modification time and
size, so noticing one edited file among a thousand re-reads only that file;
so is reading a page's fields by its section's rules, which depends on the
file's own text alone.
"""

import contextlib
import gc
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .. import clock
from . import frontmatter, markdown_render, schema
from .pages import Activity
from .problems import ERROR, KEPT, REVIEW, STALE, WARNING, ContentError, Gatherer, Problem, gather
from .sections import BY_KEY as SECTIONS
from .site import read_localities, read_site, read_synonyms
from .snapshot import Snapshot

PAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CACHE_FORMAT = 2  # save_cache's layout; a file of another is ignored
SITE_FILES = ("site.yml", "localities.yml", "synonyms.yml")
KEPT_MESSAGE = ("the last good version of this page is still being served; "
                "readers will see the change once the error is fixed")


class ContentConfigError(RuntimeError):
    """site.yml or localities.yml is unusable: the site cannot start."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    """The costly part of reading one file, cached by its stamp."""

    meta: dict
    lines: dict
    html: str
    text: str
    has_h1: bool
    links: tuple
    body: str
    body_line: int
    # What the file's fields read as, by the rules read by (a section, or a
    # translation's): filled in on first use, see _kept.
    fields: dict = field(default_factory=dict, compare=False, repr=False)


@contextlib.contextmanager
def collector_paused():
    """Hold off Python's cyclic garbage collector while a large tree of new
    objects is made (nothing in it is garbage yet). Left on, the collector
    ran again and again as the objects arrived: at 10,000 pages it took two
    thirds of restoring the parse cache (about 0.95 s against 0.32 s) and
    half of a load from it (0.68 s against 0.35 s), measured back to back.
    The pause is process-wide, for those fractions of a second."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def signature(root):
    """Return a cheap fingerprint of every file: names, sizes, times."""
    found = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith((".md", ".yml")):
                stat = entry.stat()
                found.append((entry.path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


class ContentLoader:
    """Turn a content folder into snapshots, re-parsing only changed files."""

    def __init__(self, root):
        self.root = Path(root)
        self._cache = {}
        self.unsaved = 0  # files parsed (or dropped) since the cache was restored or saved
        self._site_files = None  # the last good (site, localities, synonyms)
        self._last_good = {}  # source path -> {key: page} last loaded from it

    def save_cache(self, path):
        """Keep the parsed files on disk, for the next process to start warm."""
        temporary = Path(f"{path}.{os.getpid()}.tmp")
        with open(temporary, "wb") as out:
            pickle.dump((CACHE_FORMAT, self._cache), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        self.unsaved = 0

    def restore_cache(self, path):
        """Start from parsed files saved by save_cache (our own file, trusted);
        an unreadable one is ignored and everything is parsed afresh."""
        try:
            with open(path, "rb") as source, collector_paused():
                saved = pickle.load(source)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == CACHE_FORMAT \
                and isinstance(saved[1], dict):
            self._cache = saved[1]
            self.unsaved = 0

    def load(self, stamps=None, today=None):
        """Read everything and return a new Snapshot."""
        with collector_paused():
            return self._load(stamps, today)

    def _load(self, stamps, today):
        stamps = stamps if stamps is not None else signature(self.root)
        today = today or clock.today()
        problems = []
        site, localities, synonyms = self._load_site_files(problems)
        parsed = {}
        for path, mtime, size in stamps:
            rel = self._relative(path).replace(os.sep, "/")
            if rel in SITE_FILES or rel == "README.md":
                continue
            result = self._parse(path, rel, (mtime, size), problems)
            if result is not None:
                parsed[rel] = result
        still = {k: v for k, v in self._cache.items() if k in parsed}
        self.unsaved += len(self._cache) - len(still)
        self._cache = still
        build = _Build(site, localities, today, problems)
        pages, drafts = build.pages(parsed)
        kept = self._keep_last_good(pages, stamps, problems)
        problems.sort()
        return Snapshot(
            site=site,
            localities=localities,
            synonyms=MappingProxyType(synonyms),
            pages=MappingProxyType(pages),
            drafts=MappingProxyType(drafts),
            problems=tuple(problems),
            files=len(stamps),
            fingerprint=hashlib.sha256(repr(
                [(self._relative(p), m, n) for p, m, n in stamps]
            ).encode()).hexdigest(),
            loaded_at=clock.utcnow(),
            kept=MappingProxyType(kept),
        )

    def _relative(self, path):
        """A path of signature()'s relative to the root (as os.path.relpath
        gives it, without its cost per file: they all start with the root)."""
        prefix = f"{self.root}{os.sep}"
        return path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, self.root)

    def last_good(self, path):
        """Return {(lang, section, id): page} last loaded without an error
        from ``path`` (relative to the content folder), or {}."""
        return dict(self._last_good.get(path, {}))

    def _keep_last_good(self, pages, stamps, problems):
        """Serve the last good version of each page whose file now has an
        error (saved half-written, invalid YAML, a bad field) instead of
        dropping it; a file deleted, or made a draft, goes as before. Adds a
        warning per file kept and returns {key: path} of the pages kept."""
        present = {self._relative(p).replace(os.sep, "/") for p, _, _ in stamps}
        broken = {p.path for p in problems if p.is_error}
        kept = {}
        for path, old_pages in self._last_good.items():
            if path not in present or path not in broken:
                continue
            missing = {key: page for key, page in old_pages.items() if key not in pages}
            if missing:
                pages.update(missing)
                kept.update(dict.fromkeys(missing, path))
                problems.append(Problem(path, 1, KEPT_MESSAGE, WARNING, KEPT))
        fresh = {}
        for key, page in pages.items():
            fresh.setdefault(page.source, {})[key] = page
        self._last_good = fresh
        return kept

    def _load_site_files(self, problems):
        readers = (read_site, read_localities, read_synonyms)
        loaded = []
        for name, reader in zip(SITE_FILES, readers):
            path = self.root / name
            try:
                loaded.append(reader(path, frontmatter.read(path)))
            except FileNotFoundError:
                if name == "synonyms.yml":
                    loaded.append({})
                    continue
                problems.append(Problem(name, 1, f"{name} is missing"))
                loaded.append(None)
            except ContentError as exc:
                problems.extend(exc.problems(name))
                loaded.append(None)
            except UnicodeDecodeError:
                problems.append(Problem(name, 1, "the file is not saved as UTF-8"))
                loaded.append(None)
        if None in loaded:
            if self._site_files is None:
                raise ContentConfigError(
                    "cannot start: " + "; ".join(str(p) for p in problems)
                )
            # Keep serving with the last good settings until they are fixed.
            loaded = [new if new is not None else old
                      for new, old in zip(loaded, self._site_files)]
        self._site_files = tuple(loaded)
        return loaded

    def _parse(self, path, rel, stamp, problems):
        cached = self._cache.get(rel)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            text = frontmatter.read(path)  # bounded in size
        except UnicodeDecodeError:
            problems.append(Problem(rel, 1, "the file is not saved as UTF-8"))
            return None
        except ContentError as exc:
            problems.extend(exc.problems(rel))
            return None
        except FileNotFoundError:  # deleted while we were reading
            return None
        result = _parse_text(rel, text, problems)
        if result is not None:
            self._cache[rel] = (stamp, result)
            self.unsaved += 1
        return result

    def trial(self, rel, text, today=None):
        """Check ``text`` as if it were the file ``rel``; write and keep nothing.

        Return (page or None, its problems): the page as families would get
        it (None for a settings file, or one with errors) and every problem
        in that file, the cross-file checks (venues, links, translations)
        made against the other files as last loaded.
        """
        today = today or clock.today()
        problems = []
        if rel in SITE_FILES:
            reader = dict(zip(SITE_FILES, (read_site, read_localities, read_synonyms)))[rel]
            try:
                reader(self.root / rel, text)
            except ContentError as exc:
                problems.extend(exc.problems(rel))
            return None, problems
        parsed = {name: entry[1] for name, entry in dict(self._cache).items() if name != rel}
        result = _parse_text(rel, text, problems)
        if result is not None:
            parsed[rel] = result
        site, localities, _ = self._site_files
        pages, drafts = _Build(site, localities, today, problems).pages(parsed)
        page = next((p for p in (*pages.values(), *drafts.values()) if p.source == rel), None)
        mine = sorted(p for p in problems if p.path == rel)
        return (None if any(p.is_error for p in mine) else page), mine


def _parse_text(rel, text, problems):
    """Parse one file's text (YAML and markdown), or report why not."""
    try:
        meta, lines, body, body_line = frontmatter.split(text)
    except ContentError as exc:
        problems.extend(exc.problems(rel))
        return None
    html, plain, has_h1, links = markdown_render.render(body)
    return _Parsed(meta, lines, html, plain, has_h1, links, body, body_line)


def _kept(item, key, read):
    """Return ``read()`` for this parsed file, worked out once and kept with
    it (in the parse cache too). Reading fields depends on the file's own
    text alone; at 10,000 pages, reading them again was two thirds of every
    reload."""
    kept = item.fields.get(key)
    if kept is None:
        kept = item.fields[key] = read()
    return kept


def _fields(section, item):
    """Read a page's fields by its section's rules: (values or None, the
    warnings as (line, message), the errors)."""
    warnings, found, values = [], Gatherer(), None
    with found.check():
        values = schema.read_fields(SECTIONS[section].schema, item.meta, item.lines,
                                    lambda line, message: warnings.append((line, message)))
    if values is not None and SECTIONS[section].has_sessions:
        with found.check():
            schema.check_activity(values, item.lines)
    return values, tuple(warnings), tuple(found.errors)


def _translation_fields(item, allowed, facts):
    """Read a translation's own fields (``facts`` left out): (values or None, the error)."""
    try:
        return schema.read_fields(allowed, {k: v for k, v in item.meta.items() if k not in facts},
                                  item.lines, lambda line, message: None), None
    except ContentError as exc:
        return None, exc


class _Build:
    """One pass from parsed files to pages, with the cross-file checks."""

    def __init__(self, site, localities, today, problems):
        self.site = site
        self.localities = localities
        self.today = today
        self.problems = problems

    def report(self, rel, line, message, severity=ERROR, kind=""):
        self.problems.append(Problem(rel, line, message, severity, kind))

    def report_all(self, rel, error):
        """Report every error a ContentError stands for, each at its line."""
        self.problems.extend(error.problems(rel))

    def pages(self, parsed):
        english, translations = {}, {}
        default = self.site.default_language
        for rel, item in sorted(parsed.items()):
            where = self._locate(rel)
            if where is None:
                continue
            lang, section, page_id = where
            if lang == default:
                page = self._page(rel, section, page_id, item)
                if page is not None:
                    english[(section, page_id)] = (page, item, rel)
            else:
                translations[(lang, section, page_id)] = (rel, item)
        self._check_venues(english)
        pages, drafts = {}, {}  # drafts are kept for editors' preview
        for (section, page_id), (page, item, rel) in english.items():
            self._check_links(rel, item, english)
            if page.review_by and page.review_by < self.today:
                self.report(rel, item.lines.get(("review_by",), 1),
                            f"review_by: the review date {page.review_by} has passed",
                            WARNING, REVIEW)
            (drafts if page.draft else pages)[(default, section, page_id)] = page
        for (lang, section, page_id), (rel, item) in translations.items():
            original = english.get((section, page_id))
            if original is None:
                self.report(rel, 1, f"there is no English page {default}/{section}/"
                            f"{page_id}.md for this translation")
                continue
            page = self._translation(rel, lang, item, original[0])
            if page is not None:
                self._check_links(rel, item, english)
                (drafts if page.draft else pages)[(lang, section, page_id)] = page
        return pages, drafts

    def _locate(self, rel):
        parts = rel.split("/")
        if len(parts) != 3 or not parts[2].endswith(".md"):
            self.report(rel, 1, "content files go in <language>/<section>/<id>.md; "
                        "this one is ignored", WARNING)
            return None
        lang, section, name = parts
        page_id = name[:-3]
        if lang not in self.site.languages:
            self.report(rel, 1, f"the language {lang!r} is not listed in site.yml; "
                        "this file is ignored", WARNING)
            return None
        if section not in SECTIONS:
            self.report(rel, 1, f"{section!r} is not a section (expected one of: "
                        f"{', '.join(SECTIONS)}); this file is ignored", WARNING)
            return None
        if not PAGE_ID.match(page_id):
            self.report(rel, 1, f"the file name {name!r} must be lowercase letters, "
                        "digits and hyphens (it becomes the web address)")
            return None
        return lang, section, page_id

    def _page(self, rel, section, page_id, item):
        values, warnings, errors = _kept(item, section, lambda: _fields(section, item))
        for line, message in warnings:
            self.report(rel, line, message, WARNING)
        found = Gatherer()  # every mistake in the file, in one pass
        found.errors.extend(errors)
        with found.check():
            self._check_localities(item.meta.get("localities"), item.lines)
        try:
            found.done()
        except ContentError as exc:
            self.report_all(rel, exc)
            return None
        if item.has_h1:
            self.report(rel, item.body_line, "use '## ' for headings in the body: the "
                        "title is the page's only top-level heading", WARNING)
        return SECTIONS[section].page(
            section=section, id=page_id, lang=self.site.default_language,
            source=rel, body_html=item.html, body_text=item.text, **values,
        )

    def _translation(self, rel, lang, item, original):
        activity = isinstance(original, Activity)
        allowed = schema.ACTIVITY_TRANSLATION if activity else schema.TRANSLATION
        facts = sorted(set(item.meta) - set(allowed) - {"draft"})
        for name in facts:
            self.report(rel, item.lines.get((name,), 1),
                        f"{name}: a translation carries only title, summary, translated"
                        f"{' and the cost and cancellation reasons' if activity else ''}; "
                        "this fact comes from the English file", WARNING)
        values, error = _kept(item, ("translation", activity),
                              lambda: _translation_fields(item, allowed, facts))
        if error is not None:
            self.report_all(rel, error)
            return None
        stale = values["translated"] < original.updated
        if stale:
            self.report(rel, item.lines.get(("translated",), 1),
                        f"translated: the English page was updated on "
                        f"{original.updated}, after this translation "
                        f"({values['translated']})", WARNING, STALE)
        words = self._translated_facts(rel, item, original, values) if activity else {}
        return replace(
            original, lang=lang, source=rel, title=values["title"],
            summary=values["summary"], translated=values["translated"],
            stale=stale, body_html=item.html or original.body_html,
            body_text=item.text or original.body_text, **words,
        )

    def _translated_facts(self, rel, item, original, values):
        """Return the cost and cancellation reasons a translation puts into words."""
        words = {}
        if values.get("cost") and original.cost:
            words.update(cost=values["cost"], cost_translated=True)
        reasons = {c.on: c.reason for c in values.get("cancelled", ())}
        unknown = sorted(set(reasons) - {c.on for c in original.cancelled})
        if unknown:
            self.report(rel, item.lines.get(("cancelled",), 1),
                        f"cancelled: {', '.join(map(str, unknown))} is not cancelled in the "
                        "English file; a translation gives reasons, the dates come from English",
                        WARNING)
        if reasons:
            words.update(
                cancelled=tuple(replace(c, reason=reasons.get(c.on, c.reason))
                                for c in original.cancelled),
                reasons_translated=frozenset(reasons) - set(unknown),
            )
        return words

    def _check_localities(self, ids, lines):
        """Check the raw list, so an unknown team is reported beside any
        other mistake in the file (the field's own parser reports bad text)."""
        known = self.localities.ids
        ids = ids if isinstance(ids, list) else [] if ids is None else [ids]
        errors = [
            ContentError(
                f"localities[{index + 1}]: {str(locality).strip().lower()!r} is not a team "
                f"in localities.yml (expected one of: {', '.join(known)})",
                schema.line_of(lines, ("localities", index)),
            )
            for index, locality in enumerate(ids)
            if isinstance(locality, str) and locality.strip()
            and locality.strip().lower() not in known
        ]
        if errors:
            raise gather(errors)

    def _check_venues(self, english):
        hubs = {page_id for (section, page_id) in english if section == "hubs"}
        for key, (page, item, rel) in list(english.items()):
            if isinstance(page, Activity) and page.hub_id and page.hub_id not in hubs:
                self.report(rel, item.lines.get(("venue",), 1),
                            f"venue: {page.hub_id!r} is not a hub (expected one of: "
                            f"{', '.join(sorted(hubs))}, or a name and address)")
                del english[key]

    def _check_links(self, rel, item, english):
        section = rel.split("/")[1]
        for href in item.links:
            target = _internal_target(href, section)
            if target and target not in english:
                line = _line_containing(item, href)
                self.report(rel, line, f"the link {href!r} goes to a page that does "
                            "not exist", WARNING)


def _internal_target(href, section):
    """Return (section, id) for a link to one of our pages, else None."""
    if href.startswith(("http:", "https:", "mailto:", "tel:", "#")) or not href:
        return None
    path = href.split("#")[0].split("?")[0]
    parts = [p for p in path.split("/") if p]
    if href.startswith("/"):
        parts = parts[1:]  # drop the language
    elif parts and parts[0] == "..":
        parts = parts[1:]
    else:
        parts = [section] + parts
    if len(parts) == 2 and parts[0] in SECTIONS:
        return parts[0], parts[1].removesuffix(".md")
    return None


def _line_containing(item, needle):
    for offset, line in enumerate(item.body.split("\n")):
        if needle in line:
            return item.body_line + offset
    return item.body_line
