"""Search benchmark: build time, memory and query latency, beside SQLite FTS5.

    .venv/bin/python benchmarks/search_bench.py [--sizes 1000 3000 10000 30000] [--runs 3]
                                                [--queries 200] [--engine-build] [--profile]
                                                [--per-query] [--keep]

For each size N it writes, once, a synthetic content folder of N English
pages into a temporary folder (the real site.yml, localities.yml,
synonyms.yml and every real English page, then synthetic groups, EPEC
courses and health-visiting pages made of the real pages' sentences,
headings and topics, about 300 words each, with front matter copied from a
real page of the same kind). A size no larger than the number of real
English pages (``--sizes 0``) generates nothing: the demo content's
English pages alone. Then, ``--runs`` times with the sizes
interleaved, it checks that the loader reports no errors and measures:

- full build: ``rebuild(content, search, force=True)`` (loads the content and
  builds a generation), and with --engine-build ``engine.build`` alone from a
  loaded snapshot; the index size on disk;
- worker memory: a fresh process loads the content, then opens the index
  and runs the query mix; its RSS before and after;
- query latency: a fixed mix of one-word, two-word, quoted-phrase, typo and
  filtered queries (with snippets, as the search page asks), from one reused
  Index after a warm-up: p50, p95 and max, and the warm-up's times (the
  first search of each query on a newly opened generation);
- the reference floor: the same documents in an in-memory SQLite FTS5 table
  (porter tokenizer), the equivalent queries (AND of the words, a quoted
  phrase as an FTS5 phrase, typos as typed, filters as WHERE on unindexed
  columns, a count per section and the top page with snippet()), measured in
  the same run. FTS5 forgives no typos and knows no synonyms, so its hit
  counts are printed beside ours;
- one changed page: a page's title and body are edited, then
  ``rebuild(content, search)`` in this process, and the builder process the
  web workers start (``python -m portal.search.builder``), are timed until
  the new generation is published, and the new words are searched for; the
  "save -> searchable" figure is Config.CONTENT_POLL_SECONDS plus that time.

The summary gives each figure's median over the runs with its range.
Speed is judged only against the issues' goals and the FTS5 floor measured
in the same run; nothing here is a pass/fail test.
"""

import argparse
import contextlib
import cProfile
import gc
import io
import json
import math
import os
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from synthetic import AGES, PLACES, SITE_FILES, venue

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL_CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))

from portal.config import Config  # noqa: E402
from portal.content.frontmatter import split  # noqa: E402
from portal.content.loader import ContentLoader  # noqa: E402
from portal.search import analysis, engine, snippets  # noqa: E402
from portal.search.builder import rebuild  # noqa: E402
from portal.search.documents import documents  # noqa: E402
from portal.search.engine import Index  # noqa: E402
from portal.search.generations import Generations  # noqa: E402

# The goals from the issues.
GOAL_P95_MS = 15.0            # query p95 at 10,000 pages, with snippets
GOAL_P50_MS = 3.0             # query p50 at 10,000 pages
GOAL_P95_AT = 10_000
GOAL_FTS5_RATIO = 2.0         # our p95 / FTS5's p95, at every size
GOAL_SEARCHABLE_SECONDS = 5.0  # a saved page is searchable within this
GOAL_FULL_BUILD_SECONDS = 5.0  # full rebuild of 1,000 pages
GOAL_FULL_BUILD_AT = 1_000
TODAY_FULL_BUILD_SECONDS = 43.6  # full rebuild of 10,000 pages before issue 17: no slower
TODAY_FULL_BUILD_AT = 10_000

SHARE = {"groups": 0.6, "epec": 0.15, "health-visiting": 0.25}
TARGET_WORDS = 300
PAGE_SIZE = Config.SEARCH_PAGE_SIZE


# --------------------------------------------------------------------------
# Synthetic content
# --------------------------------------------------------------------------

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
# Each synthetic page is about one thing and takes most of its words from the
# real pages about that thing (matched by file name), the rest from the real
# pages' topic-free sentences (booking, getting there, what to bring), so a
# word like "massage" is as rare across 10,000 pages as it would be on a site.
# Group kinds: (title, topics, real files).
GROUP_KINDS = [
    ("Stay and Play", ["stay and play", "play", "drop-in", "free"], r"^stay-and-play"),
    ("Baby Massage", ["baby massage", "bonding", "course", "free"], r"^baby-massage"),
    ("Messy Play", ["messy play", "play", "drop-in", "sensory"], r"^messy-play"),
    ("Baby Clinic", ["weigh-in", "baby clinic", "health visitor", "drop-in"], r"^baby-clinic"),
    ("Baby Sensory", ["baby sensory", "play", "babies", "bonding"], r"^baby-sensory"),
    ("Toddler Music", ["music", "songs", "play", "speech and language"], r"^toddler-music"),
    ("Talk Time", ["speech and language", "talking", "communication"], r"^talk-time"),
    ("Chatter Matters", ["speech and language", "talking", "school readiness"],
     r"^chatter-matters"),
    ("Bumps and Babies", ["pregnancy", "new baby", "drop-in", "wellbeing"], r"^bumps-and"),
    ("Feeding Friends", ["breastfeeding", "infant feeding", "bottle feeding"], r"^feeding-friends"),
    ("Ready for Nursery", ["school readiness", "nursery", "potty training"], r"^ready-for"),
    ("Dads' Stay and Play", ["stay and play", "dads", "play", "weekend"], r"^dads-"),
    ("Portage Play", ["portage", "additional needs", "send", "play"], r"^portage"),
    ("Rhyme Time", ["songs", "stories", "speech and language", "free"],
     r"^(toddler-music|talk-time)"),
    ("Outdoor Play", ["play", "outdoors", "drop-in", "free"], r"^(stay-and-play|messy-play)"),
]
COURSES = [
    ("Being a Parent", r"^being-a-parent-(adswood|brinnington|marple)"),
    ("Being a Parent (evenings)", r"^being-a-parent-marple"),
    ("Being a Parent of a child with additional needs", r"^being-a-parent-additional"),
    ("Baby and Us", r"^baby-and-us"),
    ("Baby and Us (first-time parents)", r"^baby-and-us"),
]
HV_TOPICS = [
    ("Sleep", r"^sleep"), ("Safer sleep", r"^sleep"), ("Weaning", r"^feeding"),
    ("Breastfeeding", r"^feeding"), ("Bottle feeding", r"^feeding"),
    ("Healthy eating for toddlers", r"^(feeding|9-12)"), ("Vitamins", r"^vitamins"),
    ("Immunisations", r"^vitamins"), ("Teething and teeth", r"^(9-12|vitamins)"),
    ("Crying and colic", r"^(when-to-call|new-birth)"), ("Reflux", r"^(when-to-call|feeding)"),
    ("Minor illnesses", r"^when-to-call"), ("Nappy rash", r"^(when-to-call|new-birth)"),
    ("Your mental health", r"^perinatal"), ("Bonding", r"^(new-birth|perinatal)"),
    ("Talking and first words", r"^2-year"), ("Potty training", r"^2-year"),
    ("Tantrums and behaviour", r"^2-year"), ("Your 2 year review", r"^2-year"),
    ("Your baby's 6 to 8 week check", r"^6-8"), ("Playing and learning", r"^9-12"),
    ("Home safety", r"^9-12"), ("Before your baby is born", r"^antenatal"),
    ("Baby clinics", r"^baby-clinics"), ("Your health visiting team", r"^your-health"),
]
HV_ASPECTS = ["what is normal", "questions parents ask", "when to get help",
              "a guide for new parents", "tips from health visitors", "for toddlers",
              "in the first year", "for dads and partners", "myths and facts",
              "what your health visitor can do"]
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Blocks that mention a topic are not "topic-free".
TOPICAL = re.compile(
    r"massag|sleep|wean|breast|tantrum|nurser|vitamin|toddler|immunis|crawl|cr[eè]che|"
    r"music|song|speech|talk|potty|bedtime|messy|clinic|weigh|feed|parenting|epec|"
    r"sensory|portage|solids|teeth|formula|vaccin|routine|pregnan|review|mental|bump|dads|"
    # and the real pages' places: a synthetic page names its own
    r"adswood|belmont|brinnington|reddish|marple|hazel|bredbury|offerton|romiley|"
    r"edgeley|heaton|town centre|greenfold|valley road",
    re.IGNORECASE)
TOPIC_SHARE = 0.6  # of a page's blocks, from the pages about its topic
# The real pages' own places, replaced by the synthetic page's place.
REAL_PLACES = re.compile(r"\b(Stockport Town Centre|Hazel Grove|Adswood|Belmont|Brinnington|"
                         r"Reddish|Marple|Bredbury|Offerton|Romiley|Ridgeway|Valley Road)\b")


class Pool:
    """Sentences, bullet points, headings and summaries to write pages from."""

    def __init__(self):
        self.sentences, self.bullets, self.headings = [], [], []
        self.summaries, self.topics = [], []

    def extend(self, other, keep=lambda text: True):
        for name in ("sentences", "bullets", "headings", "summaries", "topics"):
            getattr(self, name).extend(x for x in getattr(other, name)
                                       if keep(x) and x not in getattr(self, name))
        return self


class Corpus:
    """What the real English pages are made of: templates and, per file, words."""

    def __init__(self, content=REAL_CONTENT):
        self.templates = {"groups": [], "epec": [], "health-visiting": []}
        self.files = {}  # (section, stem) -> Pool
        self.hubs = {}  # hub id -> (locality, title)
        for path in sorted((content / "en").glob("*/*.md")):
            section = path.parent.name
            meta, _, body, _ = split(path.read_text(encoding="utf-8"))
            if section in self.templates:
                # A template's own draft flag and review date are not copied:
                # every synthetic page is published and in date.
                self.templates[section].append(
                    {k: v for k, v in meta.items() if k not in ("draft", "review_by")})
            if section == "hubs":
                self.hubs[path.stem] = ((meta.get("localities") or ["central"])[0],
                                        meta["title"])
            pool = self.files[(section, path.stem)] = Pool()
            pool.summaries.append(meta["summary"])
            pool.topics.extend(meta.get("topics") or ())
            _harvest(LINK.sub(r"\1", body), pool)
        self.generic = Pool()
        for pool in self.files.values():
            self.generic.extend(pool, keep=lambda text: not TOPICAL.search(text))
        self._pools = {}

    def pool(self, section, pattern):
        """Everything written in the real pages of ``section`` whose names match."""
        if (section, pattern) not in self._pools:
            pool = Pool()
            for (where, stem), one in self.files.items():
                if where == section and re.search(pattern, stem):
                    pool.extend(one)
            assert pool.sentences, f"no real {section} page matches {pattern}"
            self._pools[(section, pattern)] = pool
        return self._pools[(section, pattern)]


def _harvest(body, pool):
    for block in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines or not lines[0]:
            continue
        if lines[0].startswith("#"):
            pool.headings.append(lines[0].lstrip("#").strip())
            lines = lines[1:]
            if not lines:
                continue
        if lines[0].startswith("- "):
            item = []
            for line in lines + ["- "]:
                if line.startswith("- ") and item:
                    pool.bullets.append(" ".join(item))
                    item = []
                item.append(line[2:] if line.startswith("- ") else line)
        else:
            for sentence in SENTENCE_END.split(" ".join(lines)):
                if len(sentence.split()) >= 3:
                    pool.sentences.append(sentence)


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _some(rng, items, low, high):
    return rng.sample(items, min(rng.randint(low, high), len(items)))


def _body(rng, topic, generic, opening, place):
    """About TARGET_WORDS words of markdown: mostly the topic's, some topic-free."""
    parts = [" ".join(_some(rng, topic.sentences, 2, 2))]
    words = sum(len(p.split()) for p in parts)
    target = rng.randint(int(TARGET_WORDS * 0.85), int(TARGET_WORDS * 1.15))
    used = set()
    while words < target:
        pool = topic if rng.random() < TOPIC_SHARE else generic
        headings = [h for h in pool.headings if h not in used] or generic.headings
        heading = rng.choice(headings)
        used.add(heading)
        if pool.bullets and rng.random() < 0.35:
            block = "\n".join(f"- {b}" for b in _some(rng, pool.bullets, 3, 5))
        else:
            block = " ".join(_some(rng, pool.sentences, 2, 4))
        parts.append(f"## {heading}\n\n{block}")
        words += len(heading.split()) + len(block.split())
    return opening + " " + REAL_PLACES.sub(place, "\n\n".join(parts)) + "\n"


def _write(path, meta, body):
    front = yaml.dump(meta, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                      sort_keys=False, allow_unicode=True, width=1000,
                      default_flow_style=None)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def _ages(rng):
    start = rng.randrange(len(AGES))
    return AGES[start:start + rng.randint(1, 3)]


def _activity(rng, corpus, section, n):
    meta = dict(rng.choice(corpus.templates[section]))
    meta.pop("cancelled", None)  # its dates belong to the template's sessions
    locality = rng.choice(list(PLACES))
    place = rng.choice(PLACES[locality])
    day = next((str(run["weekly"]).title() for run in meta["sessions"] if "weekly" in run),
               rng.choice(WEEKDAYS))  # the day the template's sessions meet
    if rng.random() < 0.3:
        hub = rng.choice(sorted(corpus.hubs))
        locality, where = corpus.hubs[hub]
        meta["venue"] = hub
        place = re.split(r" Family Hub| satellite", where)[0]
    else:
        meta["venue"] = venue(rng, locality, place)
        where = meta["venue"]["name"]
    if section == "groups":
        kind, topics, files = rng.choice(GROUP_KINDS)
        title = f"{kind} at {place} ({day})"
        summary = f"{kind} on {day}s at {where} for families in {place}."
    else:
        kind, files = rng.choice(COURSES)
        topics = ["epec", "parenting course"]
        title = f"{kind} ({place}, {day}s)"
        summary = f"A free EPEC course on {day}s at {where}."
    pool = corpus.pool(section, files)
    meta.update(
        title=title,
        summary=f"{summary} {REAL_PLACES.sub(place, rng.choice(pool.summaries))}"[:250],
        localities=[locality], ages=_ages(rng),
        topics=sorted(set(topics) | set(_some(rng, pool.topics, 1, 2))),
    )
    if "booking_phone" in meta:
        meta["booking_phone"] = f"0161 496 {rng.randint(1000, 9999)}"
    opening = f"{kind} meets at {where} in {place} on {day}s."
    return f"{_slug(title)}-{n}", meta, _body(rng, pool, corpus.generic, opening, place)


def _health_page(rng, corpus, n):
    meta = dict(rng.choice(corpus.templates["health-visiting"]))
    (topic, files), aspect = rng.choice(HV_TOPICS), rng.choice(HV_ASPECTS)
    pool = corpus.pool("health-visiting", files)
    place = rng.choice([p for places in PLACES.values() for p in places])
    title = f"{topic}: {aspect}"
    meta.update(
        title=title,
        summary=f"{topic}, {aspect}. {REAL_PLACES.sub(place, rng.choice(pool.summaries))}"[:250],
        ages=_ages(rng),
        topics=sorted({topic.lower(), *_some(rng, pool.topics, 2, 3)}),
    )
    if rng.random() < 0.3:
        meta["localities"] = [rng.choice(list(PLACES))]
    opening = f"This page is about {topic.lower()}, {aspect}."
    return f"{_slug(title)}-{n}", meta, _body(rng, pool, corpus.generic, opening, place)


def generate(folder, pages, corpus, seed=1):
    """Write a content folder of ``pages`` English pages; return the synthetic files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for name in SITE_FILES:
        shutil.copy(REAL_CONTENT / name, folder / name)
    real = sorted((REAL_CONTENT / "en").glob("*/*.md"))
    for path in real:
        (folder / "en" / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / "en" / path.parent.name / path.name)
    made = []
    sections = list(SHARE)
    weights = [SHARE[s] for s in sections]
    for n in range(max(pages - len(real), 0)):
        section = rng.choices(sections, weights)[0]
        if section == "health-visiting":
            page_id, meta, body = _health_page(rng, corpus, n)
        else:
            page_id, meta, body = _activity(rng, corpus, section, n)
        path = folder / "en" / section / f"{page_id}.md"
        _write(path, meta, body)
        made.append(path)
    return made


def edit_page(path, word):
    """Put ``word`` into a page's title and body, as an editor saving it would."""
    meta, _, body, _ = split(path.read_text(encoding="utf-8"))
    meta["title"] = f"{meta['title']} {word.title()}"
    _write(path, meta, body + f"\nNew this term: {word} sessions for families.\n")


# --------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------

# (kind, text as typed, filters). Quotes are typed by the reader: Whoosh
# side drops them (our engine has no phrase syntax), FTS5 makes a phrase.
QUERIES = [
    *[("one-word", q, ()) for q in (
        "massage", "sleep", "weaning", "breastfeeding", "tantrums", "nursery",
        "vitamins", "toddler", "immunisations", "crawling", "creche", "Reddish")],
    *[("two-word", q, ()) for q in (
        "baby massage", "messy play", "sleep routine", "health visitor",
        "speech delay", "potty training", "bedtime routine", "free parking",
        "baby weighed", "toddler music")],
    *[("phrase", q, ()) for q in (
        '"safer sleep"', '"stay and play"', '"baby massage"', '"health visitor"',
        '"free creche"', '"step-free access"')],
    *[("typo", q, ()) for q in (
        "helth visiter", "massge", "breastfeedin", "wening", "imunisations",
        "todler music", "nursry", "sleap routine", "tantrms", "vitamns")],
    ("filtered", "stay and play", (("section", "groups"),)),
    ("filtered", "baby massage", (("locality", "north"),)),
    ("filtered", "sleep", (("age", "0-1"),)),
    ("filtered", "parenting", (("section", "epec"), ("locality", "central"))),
    ("filtered", "baby clinic", (("locality", "east"), ("age", "0-1"))),
    ("filtered", "feeding", (("section", "health-visiting"),)),
    ("filtered", "messy play", (("locality", "south"), ("age", "1-2"))),
    ("filtered", "helth visiter", (("section", "health-visiting"), ("age", "0-1"))),
]
KINDS = ["one-word", "two-word", "phrase", "typo", "filtered"]


def query_mix(count, seed=2):
    """``count`` queries, the kinds in equal shares, in a fixed shuffled order."""
    by_kind = {kind: [q for q in QUERIES if q[0] == kind] for kind in KINDS}
    mix = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        mix.append(by_kind[kind][(i // len(KINDS)) % len(by_kind[kind])])
    random.Random(seed).shuffle(mix)
    return mix


class Ours:
    """The project's engine, as the search page calls it."""

    def __init__(self, folder, snapshot):
        self.index = Index(folder)
        self.snapshot = snapshot

    def texts(self, lang, section, page_id):
        return self.snapshot.page(lang, section, page_id).body_text

    def run(self, query):
        _, text, filters = query[0], query[1], dict(query[2])
        results = self.index.search(
            text, "en", synonyms=self.snapshot.synonyms, section=filters.get("section"),
            locality=filters.get("locality"), age=filters.get("age"),
            page=1, per_page=PAGE_SIZE, texts=self.texts)
        return results.total

    def close(self):
        self.index.close()


class Fts5:
    """The reference floor: the same documents in SQLite FTS5, in memory."""

    def __init__(self, snapshot):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, about, body, lang UNINDEXED, "
            "section UNINDEXED, page_id UNINDEXED, localities UNINDEXED, ages UNINDEXED, "
            "tokenize='porter unicode61')")
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((d.title, d.about, d.body, d.lang, d.section, d.page_id,
              f" {' '.join(d.localities) or engine.ALL} ", f" {' '.join(d.ages) or engine.ALL} ")
             for d in documents(snapshot)))
        self.db.commit()

    @staticmethod
    def match(text):
        words = re.findall(r"\w+", text.lower())
        if text.strip().startswith('"') and text.strip().endswith('"'):
            return '"' + " ".join(words) + '"'
        return " ".join(f'"{w}"' for w in words)  # implicit AND

    def run(self, query):
        _, text, filters = query[0], query[1], dict(query[2])
        where, args = ["docs MATCH ?", "lang = 'en'"], [self.match(text)]
        for column, value in (("localities", filters.get("locality")),
                              ("ages", filters.get("age"))):
            if value:
                where.append(f"(instr({column}, ?) > 0 OR {column} = ' all ')")
                args.append(f" {value} ")
        clause = " AND ".join(where)
        sections = dict(self.db.execute(
            f"SELECT section, count(*) FROM docs WHERE {clause} GROUP BY section", args))
        if filters.get("section"):
            clause, args = f"{clause} AND section = ?", [*args, filters["section"]]
        self.db.execute(
            f"SELECT section, page_id, snippet(docs, 2, '<mark>', '</mark>', ' … ', 16) "
            f"FROM docs WHERE {clause} ORDER BY bm25(docs, 4.0, 2.0, 1.0) LIMIT ?",
            [*args, PAGE_SIZE]).fetchall()
        return (sections.get(filters["section"], 0) if filters.get("section")
                else sum(sections.values()))


def measure(engine_, mix, before_each=None):
    """Run the mix once as a warm-up, then timed: {kind: [ms]}, {text: total}, [cold ms].

    The warm-up's times are kept: the first search of each query on a
    freshly opened generation (what a worker sees just after a rebuild).
    ``before_each`` runs, untimed, before each timed query.
    """
    cold = []
    for query in dict.fromkeys(mix):
        start = time.perf_counter()
        engine_.run(query)
        cold.append((time.perf_counter() - start) * 1000)
    times, totals = {kind: [] for kind in KINDS}, {}
    for query in mix:
        if before_each:
            before_each()
        start = time.perf_counter()
        totals[query] = engine_.run(query)
        times[query[0]].append((time.perf_counter() - start) * 1000)
    return times, totals, cold


def pct(values, p):
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


# --------------------------------------------------------------------------
# One size
# --------------------------------------------------------------------------

@contextlib.contextmanager
def like_a_fresh_process():
    """Time a build as the builder process would run it, not as this one is.

    The builder process starts with an empty stem cache, and its garbage
    collector does not walk this benchmark's snapshot, loader cache and
    FTS5 rows (millions of objects that make a full collection slow), so
    the cache is emptied and everything alive now is frozen out of the GC.
    """
    cache = getattr(analysis, "_stems", None)
    if isinstance(cache, dict):
        cache.clear()
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def folder_mb(folder):
    return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file()) / 1e6


def found(index, word, page_id, snapshot):
    results = index.search(word, "en", synonyms=snapshot.synonyms, per_page=5)
    return any(hit.page_id == page_id for hit in results.hits)


def run_size(pages, workdir, made, query_count, profile, engine_build, heavy, kept):
    """Measure one size on content already generated in ``workdir``: a row of figures.

    ``heavy`` runs also time the full rebuild, worker memory and one changed
    page; ``kept`` holds what later runs of this size reuse (the worker's
    loader, the FTS5 table).
    """
    content, search = workdir / f"content-{pages}", workdir / f"search-{pages}"
    row = {"pages": pages, "heavy": heavy}
    log = lambda message: print(f"  [{pages}] {message}", file=sys.stderr, flush=True)  # noqa: E731

    # Stands for a web worker's loader (it caches: later runs reload in a moment).
    worker = kept.setdefault("worker", ContentLoader(content))
    start = time.perf_counter()
    snapshot = worker.load()
    row["load_s"] = time.perf_counter() - start
    errors = snapshot.errors
    row["pages_loaded"] = len(snapshot.pages)
    row["words"] = statistics.mean(len(p.body_text.split()) for p in snapshot.pages.values())
    if errors:
        print(f"the synthetic content has {len(errors)} errors, for example:", file=sys.stderr)
        for problem in errors[:5]:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(1)
    row["errors"], row["warnings"] = len(errors), len(snapshot.warnings)

    if heavy:
        # Full build, loading included, as `flask search rebuild` does it.
        with like_a_fresh_process():
            start = time.perf_counter()
            current = rebuild(content, search, force=True)
            row["rebuild_full_s"] = time.perf_counter() - start
        row["index_mb"] = folder_mb(current)
        log(f"full rebuild {row['rebuild_full_s']:.1f} s")
    current = Generations(search).current()

    if engine_build and heavy:  # engine.build alone, from the snapshot already loaded
        aside = workdir / f"aside-{pages}"
        aside.mkdir()
        with like_a_fresh_process():
            start = time.perf_counter()
            engine.build(aside, documents(snapshot), snapshot.site.languages)
            row["engine_build_s"] = time.perf_counter() - start
        shutil.rmtree(aside)
        log(f"engine.build {row['engine_build_s']:.1f} s")

    if heavy:
        row["memory"] = worker_memory(content, search, query_count)
        log(f"worker memory {row['memory']['after_mb']:.0f} MB")

    # Query latency, ours and FTS5, on the same corpus and queries.
    mix = query_mix(query_count)
    ours = Ours(current, snapshot)  # opened afresh: the warm-up reads postings again
    # The mix repeats its queries, and a worker keeps the snippets it cut: the
    # goal's figures forget them before each query, so every snippet is cut
    # afresh (from texts already analysed, as a worker that has served other
    # queries has them); the figures with them kept are printed beside.
    row["ours_times"], row["ours_totals"], row["ours_cold"] = measure(
        ours, mix, before_each=snippets.forget)
    row["ours_kept_times"] = measure(ours, mix)[0]
    if "fts" not in kept:
        start = time.perf_counter()
        kept["fts"] = Fts5(snapshot)
        row["fts_build_s"] = time.perf_counter() - start
    row["fts_times"], row["fts_totals"], _ = measure(kept["fts"], mix)
    log("queries measured")
    if profile:
        row["profile"] = profile_kinds(ours, mix, row["ours_times"])
    ours.close()
    if not heavy:
        return row

    # One changed page: in this process, then as the web workers do it.
    # A generated group; with nothing generated, the copy of a real one.
    target = next((p for p in made if p.parent.name == "groups"), None) or \
        min((content / "en" / "groups").glob("*.md"))
    edit_page(target, "quokkaberry")
    with like_a_fresh_process():
        start = time.perf_counter()
        folder = rebuild(content, search)
        row["rebuild_one_s"] = time.perf_counter() - start
    index = Index(folder)
    row["one_found"] = found(index, "quokkaberry", target.stem, snapshot)
    index.close()

    edit_page(target, "zephyrine")
    start = time.perf_counter()
    worker.load()  # the worker notices the edit and reloads its snapshot
    row["worker_reload_s"] = time.perf_counter() - start
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "portal.search.builder", str(content), str(search)],
        cwd=ROOT, check=True, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    row["builder_process_s"] = time.perf_counter() - start
    row["builder_said"] = " / ".join(line.strip() for line in done.stderr.splitlines()
                                     if line.strip())
    start = time.perf_counter()
    index = Index(Generations(search).current())  # the worker's next search reopens
    row["reopen_s"] = time.perf_counter() - start
    row["process_found"] = found(index, "zephyrine", target.stem, snapshot)
    index.close()
    if profile:  # where one changed page's rebuild spends its time
        edit_page(target, "marmalade")
        profiler = cProfile.Profile()
        with like_a_fresh_process():
            profiler.runcall(rebuild, content, search)
        row["profile"].append(("one changed page: rebuild()", 1, _stats(profiler, 22, 0)))
    log("changed page measured")
    return row


def worker_memory(content, search, query_count):
    """A fresh process's RSS as a web worker's: content loaded, then the index searched."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory-probe", str(content),
         str(search), str(query_count)],
        cwd=ROOT, check=True, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory_probe(content, search, query_count):
    """Print the RSS after loading content, and after opening the index and searching."""
    snapshot = ContentLoader(content).load()
    gc.collect()
    before = rss_mb()
    ours = Ours(Generations(search).current(), snapshot)
    measure(ours, query_mix(query_count))
    gc.collect()
    print(json.dumps({"before_mb": before, "after_mb": rss_mb(), "peak_mb": rss_mb("VmHWM")}))


def rss_mb(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def profile_kinds(ours, mix, times, kinds=2, repeat=5):
    """cProfile Index.search over the slowest kinds' queries; return the reports."""
    slowest = sorted(KINDS, key=lambda k: pct(times[k], 95), reverse=True)[:kinds]
    reports = []
    for kind in slowest:
        queries = [q for q in dict.fromkeys(mix) if q[0] == kind]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            for query in queries:
                ours.run(query)
        profiler.disable()
        reports.append((f"Index.search, {kind} queries", len(queries) * repeat,
                        _stats(profiler, 28, 15)))
    return reports


def _stats(profiler, cumulative, own):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(cumulative)
    if own:
        stats.sort_stats("tottime").print_stats(own)
    text = re.sub(r"\n\s*\n+", "\n", out.getvalue())
    for prefix in (str(ROOT / ".venv") + "/", str(ROOT) + "/", sys.prefix + "/"):
        text = text.replace(prefix, "")
    return text


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def verdict(ok):
    return "PASS" if ok else "MISS"


def report(row, poll, per_query=False):
    n = row["pages"]
    what = f"{n:,} pages" if n else "the demo content's English pages"
    print(f"\n=== {what} ({row['pages_loaded']:,} loaded, {row['errors']} errors, "
          f"{row['warnings']} warnings; {row['words']:.0f} words of body per page) ===")
    print(f"load content (ContentLoader)         {row['load_s']:8.2f} s")
    if row.get("fts_build_s") is not None:
        print(f"FTS5 in-memory load (reference)      {row['fts_build_s']:8.2f} s")
    if not row["heavy"]:
        print("(full rebuild, worker memory and one changed page: in the heavy runs only)")
    else:
        print(f"full rebuild (force, incl. load)     {row['rebuild_full_s']:8.2f} s")
        if "engine_build_s" in row:
            print(f"engine.build from loaded snapshot    {row['engine_build_s']:8.2f} s")
        print(f"index size on disk                   {row['index_mb']:8.1f} MB")
        memory = row["memory"]
        print(f"worker RSS: content loaded {memory['before_mb']:.0f} MB, then index opened "
              f"and searched {memory['after_mb']:.0f} MB "
              f"(+{memory['after_mb'] - memory['before_mb']:.0f} MB; peak "
              f"{memory['peak_mb']:.0f} MB)")
        print("one changed page:")
        print(f"  rebuild() in process               {row['rebuild_one_s']:8.2f} s   "
              f"new word found: {'yes' if row['one_found'] else 'NO'}")
        print(f"  worker reload of the snapshot      {row['worker_reload_s']:8.2f} s")
        print(f"  builder process (as workers run)   {row['builder_process_s']:8.2f} s   "
              f"new word found: {'yes' if row['process_found'] else 'NO'}")
        print(f"    (the builder said: {row['builder_said'] or 'nothing'})")
        print(f"  reopen the new generation          {row['reopen_s'] * 1000:8.1f} ms")
        simple = poll + row["rebuild_one_s"]
        worst = poll + row["worker_reload_s"] + row["builder_process_s"] + row["reopen_s"]
        print(f"  save -> searchable = poll {poll:.1f} s + rebuild {row['rebuild_one_s']:.2f} s "
              f"= {simple:.2f} s  [{verdict(simple <= GOAL_SEARCHABLE_SECONDS)} vs "
              f"{GOAL_SEARCHABLE_SECONDS:.0f} s]")
        print(f"  worst case, as deployed = poll + reload + builder process + reopen "
              f"= {worst:.2f} s  [{verdict(worst <= GOAL_SEARCHABLE_SECONDS)}]")

    ours, fts = row["ours_times"], row["fts_times"]
    every = lambda times: [t for kind in KINDS for t in times[kind]]  # noqa: E731
    print(f"query latency, ms ({sum(map(len, ours.values()))} queries after a warm-up); "
          f"hits = mean pages found per distinct query, none = distinct queries finding none:")
    print(f"  {'kind':<9} {'n':>4} {'distinct':>8} | {'ours p50':>8} {'p95':>6} {'max':>6} "
          f"{'hits':>6} {'none':>4} | {'FTS5 p50':>8} {'p95':>5} {'max':>5} "
          f"{'hits':>6} {'none':>4}")
    totals_o, totals_f = row["ours_totals"], row["fts_totals"]
    for kind in [*KINDS, "all"]:
        o = every(ours) if kind == "all" else ours[kind]
        f = every(fts) if kind == "all" else fts[kind]
        keys = [q for q in totals_o if kind in ("all", q[0])]
        hits = lambda totals, keys=keys: (f"{statistics.mean(totals[q] for q in keys):6.0f} "  # noqa: E731
                               f"{sum(1 for q in keys if not totals[q]):4d}")
        print(f"  {kind:<9} {len(o):>4} {len(keys):>8} | {pct(o, 50):8.1f} {pct(o, 95):6.1f} "
              f"{max(o):6.1f} {hits(totals_o)} | {pct(f, 50):8.2f} {pct(f, 95):5.2f} "
              f"{max(f):5.2f} {hits(totals_f)}")
    if per_query:
        print(f"  {'query':<38} {'filters':<28} {'ours':>6} {'FTS5':>6}")
        for query in sorted(totals_o, key=lambda q: (KINDS.index(q[0]), q[1])):
            filters = " ".join(f"{k}={v}" for k, v in query[2])
            print(f"  {query[0] + ': ' + query[1]:<38} {filters:<28} {totals_o[query]:>6} "
                  f"{totals_f[query]:>6}")
    kept = every(row["ours_kept_times"])
    print(f"  (ours above with every snippet cut afresh from analysed texts; with the snippets "
          f"kept, as a worker keeps them: p50 {pct(kept, 50):.1f}, p95 {pct(kept, 95):.1f} ms)")
    cold = row["ours_cold"]
    print(f"  first search of each distinct query on the newly opened generation: "
          f"p50 {pct(cold, 50):.1f}, p95 {pct(cold, 95):.1f}, max {max(cold):.1f} ms")
    p95 = pct(every(ours), 95)
    floor = pct(every(fts), 95)
    judged = "" if n >= GOAL_P95_AT else f" (the goal is judged at {GOAL_P95_AT:,} pages)"
    print(f"  p95 {p95:.1f} ms = {p95 / floor:.2f}x the FTS5 floor ({floor:.2f} ms)  "
          f"[{verdict(p95 / floor <= GOAL_FTS5_RATIO)} vs {GOAL_FTS5_RATIO:.0f}x; "
          f"{verdict(p95 <= GOAL_P95_MS)} vs {GOAL_P95_MS:.0f} ms{judged}]")
    for kind, count, text in row.get("profile", ()):
        print(f"\n--- cProfile: {kind} ({count} calls) ---")
        print(text.rstrip())


def figures(row, poll):
    """The figures the summary compares across runs, from one size's row."""
    every = lambda times: [t for kind in KINDS for t in times[kind]]  # noqa: E731
    ours, fts = every(row["ours_times"]), every(row["fts_times"])
    light = dict.fromkeys(["rebuild", "searchable", "worst", "rss", "index_rss", "index_mb"])
    return {
        "p50": pct(ours, 50), "p95": pct(ours, 95),
        "fts_p50": pct(fts, 50), "fts_p95": pct(fts, 95),
        "ratio": pct(ours, 95) / pct(fts, 95),
        "cold_p95": pct(row["ours_cold"], 95),
        **(light if not row["heavy"] else {
            "rebuild": row["rebuild_full_s"],
            "searchable": poll + row["rebuild_one_s"],
            "worst": (poll + row["worker_reload_s"] + row["builder_process_s"]
                      + row["reopen_s"]),
            "rss": row["memory"]["after_mb"],
            "index_rss": row["memory"]["after_mb"] - row["memory"]["before_mb"],
            "index_mb": row["index_mb"],
        }),
    }


SUMMARY = [  # (key, label, format)
    ("p50", "query p50, ms", "{:.1f}"), ("p95", "query p95, ms", "{:.1f}"),
    ("fts_p50", "FTS5 p50, ms", "{:.2f}"), ("fts_p95", "FTS5 p95, ms", "{:.2f}"),
    ("ratio", "our p95 / FTS5 p95", "{:.2f}"),
    ("cold_p95", "first searches after opening, p95 ms", "{:.0f}"),
    ("rebuild", "full rebuild, s", "{:.1f}"),
    ("searchable", "save -> searchable, s", "{:.2f}"),
    ("worst", "  as deployed (worst case), s", "{:.2f}"),
    ("rss", "worker RSS after searching, MB", "{:.0f}"),
    ("index_rss", "  of which the index, MB", "{:.0f}"),
    ("index_mb", "index on disk, MB", "{:.1f}"),
]


def median_range(values, form):
    """'median (lowest-highest)' of the measured values; one value alone, marked."""
    values = [v for v in values if v is not None]
    if len(values) == 1:
        return f"{form.format(values[0])} (1 run)"
    return (f"{form.format(statistics.median(values))} "
            f"({form.format(min(values))}-{form.format(max(values))})")


def summary(runs, sizes, poll):
    """Print each figure's median over the runs, with the range, per size; then the goals."""
    table = {pages: [figures(run[pages], poll) for run in runs] for pages in sizes}
    print(f"\n=== summary: median of {len(runs)} interleaved run(s) (lowest-highest) ===")
    print(f"{'':<40}" + "".join(f"{pages:>24,}" for pages in sizes))
    for key, label, form in SUMMARY:
        print(f"{label:<40}" + "".join(
            f"{median_range([f[key] for f in table[pages]], form):>24}" for pages in sizes))

    median = lambda pages, key: statistics.median(  # noqa: E731
        f[key] for f in table[pages] if f[key] is not None)
    print("\n=== goals (on the medians) ===")
    if GOAL_P95_AT in table:
        p50, p95 = median(GOAL_P95_AT, "p50"), median(GOAL_P95_AT, "p95")
        print(f"query p95 at or under {GOAL_P95_MS:.0f} ms at {GOAL_P95_AT:,} pages: "
              f"{p95:.1f} ms  {verdict(p95 <= GOAL_P95_MS)}")
        print(f"query p50 at or under {GOAL_P50_MS:.0f} ms at {GOAL_P95_AT:,} pages: "
              f"{p50:.1f} ms  {verdict(p50 <= GOAL_P50_MS)}")
    for pages in sizes:
        ratio = median(pages, "ratio")
        print(f"p95 no worse than {GOAL_FTS5_RATIO:.0f}x FTS5's at {pages:,} pages: "
              f"{ratio:.2f}x  {verdict(ratio <= GOAL_FTS5_RATIO)}")
    if TODAY_FULL_BUILD_AT in table:
        full = median(TODAY_FULL_BUILD_AT, "rebuild")
        print(f"full rebuild of {TODAY_FULL_BUILD_AT:,} pages no slower than before "
              f"({TODAY_FULL_BUILD_SECONDS} s): {full:.1f} s  "
              f"{verdict(full <= TODAY_FULL_BUILD_SECONDS)}")
    if GOAL_FULL_BUILD_AT in table:
        full = median(GOAL_FULL_BUILD_AT, "rebuild")
        print(f"full rebuild of {GOAL_FULL_BUILD_AT:,} pages under "
              f"{GOAL_FULL_BUILD_SECONDS:.0f} s: {full:.2f} s  "
              f"{verdict(full < GOAL_FULL_BUILD_SECONDS)}")
    for pages in sizes:
        simple, worst = median(pages, "searchable"), median(pages, "worst")
        print(f"changed page searchable within {GOAL_SEARCHABLE_SECONDS:.0f} s at {pages:,} "
              f"pages: {simple:.2f} s  {verdict(simple <= GOAL_SEARCHABLE_SECONDS)}  "
              f"(as deployed, worst case {worst:.2f} s  "
              f"{verdict(worst <= GOAL_SEARCHABLE_SECONDS)})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000, 30000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3,
                        help="measure every size this many times, the sizes interleaved")
    parser.add_argument("--heavy-up-to", type=int, default=GOAL_P95_AT, metavar="PAGES",
                        help="above this size, time the full rebuild, worker memory and one "
                             "changed page in the first run only (they take minutes there)")
    parser.add_argument("--engine-build", action="store_true",
                        help="also time engine.build alone, from a loaded snapshot")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile Index.search on the two slowest query kinds")
    parser.add_argument("--per-query", action="store_true",
                        help="print every distinct query's hit counts, ours and FTS5")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--memory-probe", nargs=3, metavar=("CONTENT", "SEARCH", "QUERIES"),
                        help=argparse.SUPPRESS)  # the child process of worker_memory()
    args = parser.parse_args(argv)
    if args.memory_probe:
        content, search, queries = args.memory_probe
        memory_probe(content, search, int(queries))
        return

    poll = Config.CONTENT_POLL_SECONDS
    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    print(f"search benchmark: Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs; sizes {args.sizes}; {args.queries} queries; "
          f"{args.runs} runs; poll interval {poll:.1f} s (Config.CONTENT_POLL_SECONDS); "
          f"load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    runs, kept = [], {pages: {} for pages in args.sizes}
    try:
        corpus, made = Corpus(), {}
        for pages in args.sizes:
            start = time.perf_counter()
            made[pages] = generate(workdir / f"content-{pages}", pages, corpus)
            print(f"  [{pages}] generated in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr, flush=True)
        for run in range(args.runs):
            runs.append({})
            for pages in args.sizes:
                heavy = run == 0 or pages <= args.heavy_up_to
                row = run_size(pages, workdir, made[pages], args.queries,
                               args.profile and run == 0, args.engine_build, heavy, kept[pages])
                runs[-1][pages] = row
                print(f"\n--- run {run + 1} of {args.runs} ---", end="")
                report(row, poll, args.per_query and run == 0)
    finally:
        for size in kept.values():
            if "fts" in size:
                size["fts"].db.close()
        if args.keep:
            print(f"\nkept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    summary(runs, args.sizes, poll)
    load = os.getloadavg()[0]
    print(f"whole run {time.perf_counter() - started:.0f} s; load average {load:.1f}"
          + (f" (above {os.cpu_count()}, other work shared the CPUs: trust the ratios to "
             f"FTS5 more than the milliseconds)" if load > os.cpu_count() else ""))


if __name__ == "__main__":
    main()
