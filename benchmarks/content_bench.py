"""Content benchmark: load time, render time, page weight and throughput.

    .venv/bin/python benchmarks/content_bench.py [--files N] [--seconds S] [--workers W]

Generates N synthetic content files (the real site.yml, localities.yml,
synonyms.yml and hubs, plus realistic groups, EPEC courses, health-visiting
pages and other pages) into a temporary folder, checks they load with no
errors, then measures:

- loading: cold load (a fresh ContentLoader, best and median of 3), the
  reload after one file changes, the poll fingerprint, memory (RSS and
  tracemalloc), in a child process so the figures are not mixed with ours;
- rendering: per-request time with the Flask test client, median and p95,
  for each kind of page, beside a bare Flask app in the same process;
- page weight: gzip-compressed HTML of each kind of page plus site.css;
- throughput: gunicorn (sync workers, 127.0.0.1, a free port) serving the
  real app on the synthetic content and a bare Flask "hello" app
  (benchmarks/hello_app.py), each loaded by the same tool (wrk if installed,
  else a Python multi-process client) for the same time.

Speed is judged only as a ratio to a reference measured in the same run, and
against the goals in the issue; nothing here is a pass/fail test.
"""

import argparse
import contextlib
import cProfile
import datetime
import gzip
import io
import json
import os
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from synthetic import AGES, PLACES, SITE_FILES, venue

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL_CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))  # portal, and tests.support: the gunicorn runner
from tests.support.servers import Gunicorn, stop_on_sigterm  # noqa: E402

# The goals from the issue.
GOAL_RATIO = 0.9           # content pages / hello, requests per second (issue 18)
GOAL_RSS_MB = 150          # a worker's peak RSS, every address warmed (issue 18)
GOAL_LOAD_SECONDS = 5.0    # for 1,000 files
GOAL_PAGE_KIB = 10.0       # one typical page's HTML + site.css, gzip-compressed

SHARE = {"groups": 0.55, "epec": 0.15, "health-visiting": 0.15, "pages": 0.15}


# --------------------------------------------------------------------------
# Synthetic content
# --------------------------------------------------------------------------

# name, topics, ages, booking, minutes
GROUP_KINDS = [
    ("Stay and Play", ["stay and play", "play", "drop-in", "free"],
     ["0-1", "1-2", "2-3", "3-5"], "drop-in", 90),
    ("Baby Massage", ["baby massage", "bonding", "new baby"], ["0-1"], "required", 60),
    ("Messy Play", ["messy play", "play", "sensory"], ["1-2", "2-3", "3-5"], "drop-in", 60),
    ("Toddler Music", ["music", "singing", "play"], ["1-2", "2-3"], "drop-in", 45),
    ("Bumps and Babies", ["pregnancy", "new baby", "feeding"],
     ["pregnancy", "0-1"], "drop-in", 90),
    ("Feeding Friends", ["breastfeeding", "feeding", "support"],
     ["pregnancy", "0-1"], "drop-in", 120),
    ("Talk Time", ["speech and language", "talking"], ["1-2", "2-3"], "required", 60),
    ("Baby Sensory", ["sensory", "play", "new baby"], ["0-1"], "required", 45),
    ("Rhyme Time", ["rhymes", "books", "singing"], ["0-1", "1-2", "2-3"], "drop-in", 30),
    ("Dads' Stay and Play", ["dads", "play", "stay and play"],
     ["0-1", "1-2", "2-3", "3-5"], "drop-in", 120),
    ("Ready for Nursery", ["school readiness", "nursery"], ["2-3", "3-5"], "required", 90),
    ("Baby Clinic", ["weigh-in", "baby clinic", "health visitor"], ["0-1", "1-2"],
     "drop-in", 120),
    ("Portage Play", ["portage", "send", "additional needs", "play"],
     ["0-1", "1-2", "2-3", "3-5"], "required", 90),
    ("Chatter Matters", ["speech and language", "talking", "play"],
     ["2-3", "3-5"], "required", 60),
    ("Weaning Workshop", ["weaning", "feeding", "first foods"], ["0-1"], "required", 90),
]
COURSE_KINDS = [
    ("Being a Parent", ["epec", "parenting course", "behaviour", "being a parent"],
     ["1-2", "2-3", "3-5"], 10),
    ("Baby and Us", ["epec", "parenting course", "baby and us", "bonding"], ["0-1"], 8),
    ("Being a Parent (evenings)", ["epec", "parenting course", "being a parent"],
     ["1-2", "2-3", "3-5"], 10),
    ("Being a Parent: additional needs", ["epec", "parenting course", "send"],
     ["1-2", "2-3", "3-5"], 10),
    ("Being a Parent for dads", ["epec", "parenting course", "dads"],
     ["1-2", "2-3", "3-5"], 8),
]
HV_TOPICS = [
    ("Teething", ["teething", "teeth"]), ("Colic and crying", ["crying", "colic"]),
    ("Coughs, colds and fevers", ["illness", "fever"]),
    ("Potty training", ["toilet training", "potty"]),
    ("Looking after your child's teeth", ["teeth", "dentist"]),
    ("Car seats", ["safety", "car seats"]), ("Keeping your home safe", ["safety", "home"]),
    ("Reflux", ["reflux", "feeding"]), ("Tongue tie", ["tongue tie", "feeding"]),
    ("Starting solid food", ["weaning", "first foods"]),
    ("Fussy eating", ["eating", "toddlers"]), ("Screen time", ["screens", "play"]),
    ("Talking with your toddler", ["speech and language", "talking"]),
    ("Twins and more", ["twins", "multiples"]),
    ("Babies born early", ["premature", "neonatal"]),
    ("Jaundice in newborns", ["jaundice", "new baby"]),
    ("Nappy rash", ["nappies", "skin"]), ("Sun safety", ["safety", "sun"]),
    ("Healthy Start vouchers", ["healthy start", "vitamins", "money"]),
    ("Stopping smoking", ["smoking", "pregnancy"]),
    ("Tantrums", ["behaviour", "tantrums"]),
    ("Your mental health after birth", ["postnatal depression", "wellbeing"]),
    ("Going back to work", ["work", "childcare"]),
    ("Bonding with your bump", ["pregnancy", "bonding"]),
    ("Eczema", ["skin", "eczema"]), ("Dummies", ["dummies", "sleep"]),
]
HV_AUDIENCES = ["for new parents", "for parents of toddlers", "for dads and partners",
                "for grandparents and carers", "in the first year", "at two and three",
                "for families new to Stockport"]
PAGE_TOPICS = [
    ("Volunteer with Start Well", ["volunteering"]),
    ("Holiday activities", ["holidays", "activities"]),
    ("Free childcare for 2-year-olds", ["childcare", "funding"]),
    ("Help with the cost of living", ["money", "cost of living"]),
    ("Libraries and rhyme times", ["libraries", "books"]),
    ("Parks and play areas", ["parks", "play"]),
    ("Feedback and complaints", ["feedback"]),
    ("Keeping children safe", ["safeguarding"]),
    ("Choosing a nursery or childminder", ["childcare", "nursery"]),
    ("Getting around with a buggy", ["travel", "buggies"]),
    ("Food banks and community pantries", ["money", "food"]),
    ("Support for young parents", ["young parents"]),
    ("Registering a birth", ["new baby", "registration"]),
]

SENTENCES = [
    "Everyone is welcome, whatever your family looks like.",
    "You can come on your own, with a friend, or with your partner.",
    "Staff are always there to help, and they can tell you about other groups nearby.",
    "It is a good way to meet other parents who live near you.",
    "There is space to leave your buggy, and the room is on the ground floor.",
    "We have toys for every age, and a quiet corner for babies.",
    "If you are not sure whether it is right for you, give us a ring and ask.",
    "Children learn a lot through play, and you can pick up ideas to try at home.",
    "Please tell us if your child has an allergy before they try any food.",
    "We can book an interpreter for you, and it is free.",
    "Most of our sessions are free, and nobody will ask you to pay for help.",
    "You can bring older brothers and sisters in the school holidays.",
    "Tea, coffee and water are always available, and there is fruit for the children.",
    "The building has step-free access, an accessible toilet and baby changing.",
    "Your health visitor can also tell you about this and help you to come along.",
    "Many parents say the hardest part is walking through the door the first time.",
    "If you need to feed your baby, you can do it wherever you feel comfortable.",
    "Sessions are relaxed, and you can arrive a little late or leave early.",
    "We share ideas for songs, stories and games that cost nothing.",
    "There is no need to bring anything except a drink for your child.",
    "If the weather is good, we sometimes go out into the garden.",
    "Our staff have a Disclosure and Barring Service check and regular training.",
    "We keep numbers small so that everyone gets time to talk.",
    "You can stay for the whole session or just for part of it.",
    "If English is not your first language, you are very welcome too.",
    "Please stay with your child for the whole session.",
    "We post changes on this page, so check it before you set out.",
    "If you have a question after the session, you can phone or e-mail the team.",
    "Being a parent can be lonely, and it helps to know you are not the only one.",
    "Every family is different, and there is no single right way to do things.",
]
HEADINGS = ["What happens", "Who it is for", "Before you come", "Getting here",
            "What to bring", "Why it helps", "What parents say", "Questions",
            "Help in your language", "If you cannot come"]
LIST_ITEMS = [
    "you don't need to book", "it is free", "bring a drink for your child",
    "wear clothes that can get messy", "a snack is provided", "nappies and wipes are there if you forget yours",
    "the room is warm and quiet", "there is a car park next door",
    "buses stop outside", "ask us about help with travel costs",
    "tell us about any allergies", "you can bring a friend or grandparent",
    "sessions finish with songs and rhymes", "there is a quiet space for feeding",
]
EXTERNAL = [
    ("the NHS website", "https://www.nhs.uk/conditions/baby/"),
    ("Healthy Start", "https://www.healthystart.nhs.uk/"),
    ("the Family Information Service", "https://www.example.org/fis"),
    ("Best Beginnings", "https://www.bestbeginnings.org.uk/"),
]


class Generator:
    """Write a realistic synthetic content folder; return what it holds."""

    def __init__(self, target, files, seed=2026):
        self.target = Path(target)
        self.files = files
        self.rng = random.Random(seed)
        from zoneinfo import ZoneInfo
        self.today = datetime.datetime.now(ZoneInfo("Europe/London")).date()
        self.ids = {section: [] for section in ("hubs", *SHARE)}
        self.hubs = {}  # id -> (title, locality)

    def run(self):
        import yaml

        from portal.content import frontmatter
        self.target.mkdir(parents=True)
        for name in SITE_FILES:
            shutil.copy2(REAL_CONTENT / name, self.target / name)
        hub_dir = self.target / "en" / "hubs"
        hub_dir.mkdir(parents=True)
        for path in sorted((REAL_CONTENT / "en" / "hubs").glob("*.md")):
            shutil.copy2(path, hub_dir / path.name)
            meta = frontmatter.split(path.read_text(encoding="utf-8"))[0]
            self.hubs[path.stem] = (meta["title"], (meta.get("localities") or ["central"])[0])
            self.ids["hubs"].append(path.stem)
        remaining = self.files - len(SITE_FILES) - len(self.hubs)
        if remaining < len(SHARE):
            raise SystemExit(f"--files must be at least {len(SITE_FILES) + len(self.hubs) + 4}")
        counts = {s: int(remaining * share) for s, share in SHARE.items()}
        counts["groups"] += remaining - sum(counts.values())
        # Name every page first, so bodies can link to pages that exist.
        plans = {section: [self._plan(section, i) for i in range(count)]
                 for section, count in counts.items()}
        for section, items in plans.items():
            folder = self.target / "en" / section
            folder.mkdir(parents=True)
            for plan in items:
                meta = self._meta(section, plan)
                head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True,
                                      default_flow_style=None, width=100)
                body = self._body(section, plan)
                (folder / f"{plan['id']}.md").write_text(
                    f"---\n{head}---\n{body}", encoding="utf-8")
        return {"hubs": len(self.hubs), **counts, "settings": len(SITE_FILES)}

    # -- naming --------------------------------------------------------------

    def _unique(self, section, text):
        base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
        page_id, n = base, 2
        while page_id in self.ids[section]:
            page_id, n = f"{base}-{n}", n + 1
        self.ids[section].append(page_id)
        return page_id

    def _plan(self, section, index):
        rng = self.rng
        locality = rng.choice(list(PLACES))
        place = rng.choice(PLACES[locality])
        plan = {"locality": locality, "place": place}
        if section == "groups":
            kind = GROUP_KINDS[index % len(GROUP_KINDS)]
            plan["kind"] = kind
            plan["title"] = f"{kind[0]} at {place}"
        elif section == "epec":
            kind = COURSE_KINDS[index % len(COURSE_KINDS)]
            plan["kind"] = kind
            plan["title"] = f"{kind[0]} ({place})"
        elif section == "health-visiting":
            topic, tags = HV_TOPICS[index % len(HV_TOPICS)]
            audience = HV_AUDIENCES[(index // len(HV_TOPICS)) % len(HV_AUDIENCES)]
            plan["tags"] = tags
            plan["title"] = f"{topic} {audience}" if index >= len(HV_TOPICS) else topic
        else:
            topic, tags = PAGE_TOPICS[index % len(PAGE_TOPICS)]
            plan["tags"] = tags
            plan["title"] = topic if index < len(PAGE_TOPICS) else f"{topic} in {place}"
        plan["id"] = self._unique(section, plan["title"])
        return plan

    # -- front matter ---------------------------------------------------------

    def _meta(self, section, plan):
        rng, today = self.rng, self.today
        meta = {"title": plan["title"]}
        if section in ("groups", "epec"):
            name, topics, ages, *rest = plan["kind"]
            meta["summary"] = (f"{name} in {plan['place']} for families with children "
                               f"{'under one' if ages == ['0-1'] else 'under five'}: "
                               f"{rng.choice(['friendly', 'free', 'relaxed', 'small'])} "
                               f"sessions run by the Start Well team.")
            meta["localities"] = [plan["locality"]]
            meta["ages"] = ages
            meta["topics"] = topics
            meta.update(self._activity(section, plan))
        else:
            meta["summary"] = (f"What you need to know about {plan['title'].lower()}, "
                               "and who to ask if you are worried.")
            if rng.random() < 0.3:
                meta["localities"] = [plan["locality"]]
            meta["ages"] = sorted(rng.sample(AGES, rng.randint(1, 5)), key=AGES.index)
            meta["topics"] = plan["tags"]
        meta["updated"] = today - datetime.timedelta(days=rng.randint(0, 200))
        if rng.random() < 0.7:
            meta["review_by"] = today + datetime.timedelta(days=rng.randint(30, 365))
        return meta

    def _activity(self, section, plan):
        rng, today = self.rng, self.today
        hubs_here = [h for h, (_, loc) in self.hubs.items() if loc == plan["locality"]]
        out = {}
        if hubs_here and rng.random() < 0.5:
            out["venue"] = rng.choice(hubs_here)
        else:
            out["venue"] = venue(rng, plan["locality"], plan["place"])
        booking = plan["kind"][3] if section == "groups" else "required"
        out["booking"] = booking
        if booking == "required":
            if rng.random() < 0.6:
                out["booking_phone"] = f"0161 496 0{rng.randint(100, 999)}"
            else:
                out["booking_url"] = f"https://bookings.example.org/startwell/{plan['id']}"
        out["cost"] = rng.choice(["Free", "Free", "Free", "£1 a family, for snacks",
                                  "Free. Bring your baby with you."])
        sessions, cancelled = [], []
        if section == "epec":
            weeks = plan["kind"][3]
            weekday = rng.randint(0, 4)
            start = rng.choice(["09:30", "10:00", "13:00", "18:30"])
            time_range = f"{start}-{_add_minutes(start, 120)}"
            for begins in (today - datetime.timedelta(days=rng.randint(7, 35)),
                           today + datetime.timedelta(days=rng.randint(60, 120))):
                first = _next_weekday(begins, weekday)
                last = first + datetime.timedelta(weeks=weeks)
                run = {"weekly": _DAY_NAMES[weekday], "time": time_range,
                       "from": first, "until": last}
                run["except"] = [first + datetime.timedelta(weeks=rng.randint(2, weeks - 1))]
                sessions.append(run)
        elif plan["kind"][0] == "Weaning Workshop":
            for offset in sorted(rng.sample(range(1, 90), 3)):
                day = today + datetime.timedelta(days=offset)
                sessions.append({"date": day, "time": "10:00-11:30"})
        else:
            for weekday in rng.sample(range(6 if rng.random() < 0.1 else 5),
                                      2 if rng.random() < 0.12 else 1):
                start = rng.choice(["09:00", "09:30", "10:00", "10:30", "13:00",
                                    "13:30", "14:00"])
                first = _next_weekday(today - datetime.timedelta(days=rng.randint(30, 150)), weekday)
                last = _next_weekday(today + datetime.timedelta(days=rng.randint(120, 300)), weekday)
                weeks = (last - first).days // 7
                excepted = sorted({first + datetime.timedelta(weeks=rng.randint(1, weeks - 1))
                                   for _ in range(rng.randint(0, 4))})
                run = {"weekly": _DAY_NAMES[weekday],
                       "time": f"{start}-{_add_minutes(start, plan['kind'][4])}",
                       "from": first, "until": last}
                if excepted:
                    run["except"] = excepted
                sessions.append(run)
                if not cancelled and rng.random() < 0.15:
                    day = _next_weekday(today + datetime.timedelta(days=rng.randint(1, 27)), weekday)
                    if first <= day <= last and day not in excepted:
                        cancelled.append({"date": day, "reason": rng.choice([
                            "The room is needed for a polling station.",
                            "Staff training day.",
                            "The heating is being repaired."])})
        out["sessions"] = sessions
        if cancelled:
            out["cancelled"] = cancelled
        return out

    # -- body -----------------------------------------------------------------

    def _link(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            hub = rng.choice(self.ids["hubs"])
            return f"[{self.hubs[hub][0]}](../hubs/{hub})"
        if roll < 0.75:
            section = rng.choice(list(SHARE))
            page_id = rng.choice(self.ids[section])
            return f"[{page_id.replace('-', ' ')}](../{section}/{page_id})"
        text, url = rng.choice(EXTERNAL)
        return f"[{text}]({url})"

    def _paragraph(self, count):
        words = self.rng.sample(SENTENCES, count)
        if self.rng.random() < 0.5:
            words.insert(self.rng.randrange(len(words) + 1),
                         f"See {self._link()} for more.")
        return _wrap(" ".join(words))

    def _body(self, section, plan):
        rng = self.rng
        intro = (f"This page is about {plan['title'].lower()}. "
                 f"It is for families in {plan['place']} and across Stockport.")
        parts = [_wrap(intro + " " + " ".join(rng.sample(SENTENCES, 2)))]
        headings = rng.sample(HEADINGS, 4)
        parts.append(f"## {headings[0]}\n\n{self._paragraph(4)}")
        items = rng.sample(LIST_ITEMS, rng.randint(4, 6))
        items[rng.randrange(len(items))] += f" (see {self._link()})"
        parts.append(f"## {headings[1]}\n\n" + "\n".join(f"- {item}" for item in items))
        parts.append(f"## {headings[2]}\n\n{self._paragraph(3)}\n\n{self._paragraph(3)}")
        parts.append(f"## {headings[3]}\n\n{self._paragraph(3)} **Phone us on "
                     f"0161 496 0{rng.randint(100, 999)}** if you have any questions.")
        return "\n\n".join(parts) + "\n"


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _next_weekday(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _add_minutes(clock, minutes):
    hours, mins = map(int, clock.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def _wrap(text, width=76):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


# --------------------------------------------------------------------------
# Loading (run in a child process: clean RSS and tracemalloc figures)
# --------------------------------------------------------------------------

def _rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure_load(root):
    """Return the loading figures for a content folder, as a dict."""
    import gc
    import resource
    import tracemalloc

    from portal.content import markdown_render
    from portal.content.loader import ContentLoader, signature
    markdown_render.render("warm *up*")  # build the Markdown instance once
    gc.collect()
    rss_before = _rss_kib()
    times, kept = [], None
    for _ in range(3):
        loader = ContentLoader(root)
        started = time.perf_counter()
        snapshot = loader.load()
        times.append(time.perf_counter() - started)
        if kept is None:
            kept = (loader, snapshot)
            gc.collect()
            rss_after = _rss_kib()
    loader, snapshot = kept
    sig_times = []
    for _ in range(5):
        started = time.perf_counter()
        stamps = signature(root)
        sig_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    loader.load(stamps)
    unchanged = time.perf_counter() - started
    # Edit one file (as an editor would), then reload with the warm parse cache.
    victim = sorted(Path(root, "en", "groups").glob("*.md"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nOne more line.\n",
                      encoding="utf-8")
    started = time.perf_counter()
    stamps = signature(root)
    changed = loader.load(stamps)
    incremental = time.perf_counter() - started
    assert not changed.errors, changed.errors
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del loader, snapshot, kept, changed
    gc.collect()
    tracemalloc.start()
    loader = ContentLoader(root)
    snapshot = loader.load()
    gc.collect()
    with_cache, traced_peak = tracemalloc.get_traced_memory()
    del loader
    gc.collect()
    snapshot_only = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "files": snapshot.files, "pages": len(snapshot.pages),
        "errors": [str(p) for p in snapshot.errors],
        "warnings": [str(p) for p in snapshot.warnings],
        "cold": times, "signature": statistics.median(sig_times),
        "unchanged": unchanged, "incremental": incremental,
        "rss_before": rss_before, "rss_after": rss_after, "peak_rss": peak_rss,
        "traced_with_cache": with_cache, "traced_peak": traced_peak,
        "traced_snapshot": snapshot_only,
    }


# --------------------------------------------------------------------------
# Rendering with the Flask test client
# --------------------------------------------------------------------------

def make_app(content_dir, instance_dir):
    from portal import create_app
    from portal.config import TestConfig
    # Production-like: poll for edits every 2 s (tests poll on every request),
    # no strict undefined, no template reloading. The page cache is off here,
    # so these rows are the cost of really rendering each page; the
    # throughput rows below run with the production cache.
    config = TestConfig(CONTENT_DIR=Path(content_dir), INSTANCE_DIR=Path(instance_dir),
                        CONTENT_POLL_SECONDS=2.0, STRICT_TEMPLATES=False, TESTING=False,
                        PAGE_CACHE_SECONDS=0)
    return create_app(config)


def page_urls(snapshot, per_kind=40, seed=7):
    """Return {kind: [url, ...]} for each kind of page, in a fixed order."""
    rng = random.Random(seed)
    by_section = {}
    for (lang, section, page_id) in sorted(snapshot.pages):
        if lang == snapshot.default_language:
            by_section.setdefault(section, []).append(f"/{lang}/{section}/{page_id}")
    kinds = {"hub": "hubs", "group": "groups", "epec course": "epec",
             "health visiting": "health-visiting", "other page": "pages"}
    urls = {}
    for kind, section in kinds.items():
        found = by_section.get(section, [])
        urls[kind] = rng.sample(found, min(per_kind, len(found)))
    lang = snapshot.default_language
    other = next((code for code in snapshot.site.languages if code != lang), None)
    if other:  # the reader's language, the page shown in English with a notice
        urls[f"group, in /{other}/"] = [url.replace(f"/{lang}/", f"/{other}/", 1)
                                       for url in urls["group"]]
    urls["listing (groups)"] = [f"/{lang}/groups/"]
    urls["listing (health visiting)"] = [f"/{lang}/health-visiting/"]
    urls["what's on"] = [f"/{lang}/whats-on"]
    urls["home"] = [f"/{lang}/"]
    return urls


CONTENT_KINDS = ("hub", "group", "epec course", "health visiting", "other page")


def time_requests(client, urls, max_requests=300, max_seconds=4.0, min_requests=30):
    """GET urls in turn; return the per-request times in seconds and sizes."""
    for url in urls[:5]:  # warm up (template compile, caches)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, sizes = [], []
    deadline = time.perf_counter() + max_seconds
    index = 0
    while len(times) < max_requests and (len(times) < min_requests
                                         or time.perf_counter() < deadline):
        url = urls[index % len(urls)]
        index += 1
        started = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        sizes.append(len(body))
    return times, sizes


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_render(app, urls, budget):
    import hello_app
    rows = []
    hello = hello_app.app.test_client()
    times, sizes = time_requests(hello, ["/"], max_seconds=min(budget, 1.0))
    rows.append(("bare Flask hello (reference)", times, sizes))
    client = app.test_client()
    for kind, kind_urls in urls.items():
        times, sizes = time_requests(client, kind_urls, max_seconds=budget)
        rows.append((kind, times, sizes))
    return rows


def measure_weight(app, urls):
    """Return [(kind, url, html bytes, gzipped html bytes)] and the CSS sizes."""
    client = app.test_client()
    rows = []
    for kind in (*CONTENT_KINDS, "listing (groups)", "what's on", "home"):
        candidates = urls[kind]
        bodies = sorted((len(b), url, b) for url in candidates[:15]
                        for b in [client.get(url).get_data()])
        size, url, body = bodies[len(bodies) // 2]  # the median-sized page
        rows.append((kind, url, size, len(gzip.compress(body, 6))))
    css = (ROOT / "static" / "css" / "site.css").read_bytes()
    return rows, len(css), len(gzip.compress(css, 6))


def profile_kind(app, urls, kind, requests=60, top=25):
    client = app.test_client()
    for url in urls[kind][:5]:
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for index in range(requests):
        client.get(urls[kind][index % len(urls[kind])]).get_data()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(f"\n--- cProfile: {requests} requests of {kind!r} ---")
    print(out.getvalue())


# --------------------------------------------------------------------------
# Throughput under gunicorn
# --------------------------------------------------------------------------

def check_urls(base, paths):
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            if response.status != 200:
                raise SystemExit(f"{base + path} answered {response.status}")
            response.read()


WRK_SCRIPT = """\
local paths = {%s}
local i = 0
function setup(thread)
  thread:set("offset", math.random(#paths))
end
function request()
  i = i + 1
  return wrk.format("GET", paths[((i + (offset or 0)) %% #paths) + 1])
end
"""


def _duration(text):
    value = float(re.match(r"[\d.]+", text).group())
    unit = text[len(re.match(r"[\d.]+", text).group()):]
    return value * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def run_wrk(base, paths, seconds, connections, workdir):
    script = Path(workdir, "paths.lua")
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
            "--timeout", "10s", "--latency", "-s", str(script), base]
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed:\n{out}\n{done.stderr}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = int(bad.group(1)) if bad else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(map(int, sock.groups())) if sock else 0
    for pct in ("50", "99"):
        found = re.search(rf"^\s+{pct}%\s+([\d.]+\w+)", out, re.MULTILINE)
        result[f"p{pct}"] = _duration(found.group(1)) if found else None
    return result


def _python_client(base, paths, deadline, offset, queue):
    import http.client
    host, port = base.removeprefix("http://").split(":")
    count = errors = 0
    latencies = []
    index = offset
    while time.monotonic() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                errors += 1
        except OSError:
            errors += 1
        count += 1
        latencies.append(time.perf_counter() - started)
    queue.put((count, errors, latencies))


def run_python_client(base, paths, seconds, connections):
    import multiprocessing
    queue = multiprocessing.Queue()
    started = time.monotonic()
    deadline = started + seconds
    procs = [multiprocessing.Process(target=_python_client,
                                     args=(base, paths, deadline, i * 7, queue))
             for i in range(connections)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 60) for _ in procs]
    for proc in procs:
        proc.join(timeout=10)
    elapsed = time.monotonic() - started
    count = sum(r[0] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    return {"rps": count / elapsed, "requests": count,
            "errors": sum(r[1] for r in results), "socket_errors": 0,
            "p50": latencies[len(latencies) // 2] if latencies else None,
            "p99": latencies[int(0.99 * (len(latencies) - 1))] if latencies else None}


def load_tool(base, paths, seconds, connections, workdir, use_wrk):
    if use_wrk:
        return run_wrk(base, paths, seconds, connections, workdir)
    return run_python_client(base, paths, seconds, connections)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def table(headers, rows, aligns=None):
    aligns = aligns or ["<"] + [">"] * (len(headers) - 1)
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "  " + "  ".join(  # noqa: E731
        f"{str(c):{a}{w}}" for c, a, w in zip(cells, aligns, widths)).rstrip()
    print(line(headers))
    print("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.2f} ms"


def section(title):
    print(f"\n== {title} ==")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000,
                        help="content files to generate, settings and hubs included (1000)")
    parser.add_argument("--seconds", type=float, default=10,
                        help="seconds of load per throughput row, over all rounds (10)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="split each throughput row into this many interleaved "
                             "slices (5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--connections", type=int, default=0,
                        help="concurrent connections for the load tool (4 x workers)")
    parser.add_argument("--render-seconds", type=float, default=3.0,
                        help="time budget per kind of page for render timing (3)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto",
                        help="load tool: wrk if installed (auto), or a Python client")
    parser.add_argument("--profile", action="append", default=[], metavar="KIND",
                        help="print a cProfile of rendering KIND (e.g. hub, \"what's on\")")
    parser.add_argument("--no-throughput", action="store_true", help="skip gunicorn runs")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip warming every address and the memory figures")
    parser.add_argument("--no-render", action="store_true",
                        help="skip the in-process render timing and page weight")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--measure-load", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_load:  # the child process
        print(json.dumps(measure_load(args.measure_load)))
        return 0

    use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk"))
    if args.tool == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    connections = args.connections or 4 * args.workers
    workdir = Path(tempfile.mkdtemp(prefix="ffd-bench-"))
    started = time.monotonic()
    try:
        return run(args, workdir, use_wrk, connections, started)
    finally:
        if args.keep:
            print(f"\n(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir, use_wrk, connections, started):
    import gunicorn
    content = workdir / "content"
    instance = workdir / "instance"
    print("Family Front Door: content benchmark")
    if use_wrk:
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        tool = "wrk " + (version.split()[1] if len(version.split()) > 1 else "")
    else:
        why = "--tool python" if args.tool == "python" else "wrk is not installed"
        tool = (f"Python multi-process client ({why}; it uses more CPU per request "
                "than wrk, so the ratio is less sharp)")
    print(f"  python {sys.version.split()[0]}, {os.cpu_count()} CPUs, gunicorn "
          f"{gunicorn.__version__}, load tool: {tool}")

    generated_at = time.perf_counter()
    counts = Generator(content, args.files).run()
    generated = time.perf_counter() - generated_at
    print(f"  generated {args.files} files in {generated:.1f} s: "
          + ", ".join(f"{v} {k}" for k, v in counts.items()))

    # Loading, in a child process.
    child = subprocess.run([sys.executable, __file__, "--measure-load", str(content)],
                           capture_output=True, text=True, timeout=600)
    if child.returncode != 0:
        raise SystemExit(f"load measurement failed:\n{child.stderr}")
    load = json.loads(child.stdout.strip().splitlines()[-1])
    if load["errors"]:
        print("\nThe generated content has errors (a bug in this generator):")
        for problem in load["errors"][:30]:
            print("  " + problem)
        raise SystemExit(1)
    assert not load["errors"]
    print(f"  loaded: {load['files']} files -> {load['pages']} pages, 0 errors, "
          f"{len(load['warnings'])} warnings")
    for warning in load["warnings"][:5]:
        print(f"    warning: {warning}")

    section("Loading (ContentLoader, child process; files in the OS cache)")
    cold = load["cold"]
    per_file = statistics.median(cold) / load["files"] * 1e6
    table(["measure", "value"], aligns=["<", "<"], rows=[
        ("cold load, best of 3", f"{min(cold):.3f} s"),
        ("cold load, median of 3", f"{statistics.median(cold):.3f} s  "
                                   f"({per_file:.0f} us/file)"),
        ("poll fingerprint (signature), median of 5", ms(load["signature"])),
        ("reload, nothing changed (parse cache warm)", ms(load["unchanged"])),
        ("reload after editing one file (incl. signature)", ms(load["incremental"])),
        ("RSS before load (interpreter + imports)", f"{load['rss_before'] / 1024:.1f} MiB"),
        ("RSS after first load (+ snapshot + parse cache)",
         f"{load['rss_after'] / 1024:.1f} MiB  "
         f"(+{(load['rss_after'] - load['rss_before']) / 1024:.1f} MiB)"),
        ("peak RSS of the loading process", f"{load['peak_rss'] / 1024:.1f} MiB"),
        ("tracemalloc: snapshot + parse cache retained",
         f"{load['traced_with_cache'] / 2**20:.1f} MiB"),
        ("tracemalloc: snapshot alone", f"{load['traced_snapshot'] / 2**20:.1f} MiB"),
        ("tracemalloc: peak during one load", f"{load['traced_peak'] / 2**20:.1f} MiB"),
    ])

    # Rendering, in this process.
    sys.path.insert(0, str(HERE))
    logging_quiet()
    app = make_app(content, instance)
    snapshot = app.extensions["content"].snapshot
    urls = page_urls(snapshot)
    render = typical = None
    if not args.no_render:
        render, typical = measure_render_and_weight(app, urls, args.render_seconds)

    for kind in args.profile:
        if kind not in urls:
            raise SystemExit(f"--profile: no kind {kind!r} (one of: {', '.join(urls)})")
        profile_kind(app, urls, kind)

    through = None
    if not args.no_throughput:
        through = measure_throughput(args, workdir, content, instance, urls,
                                     every_address(snapshot), use_wrk, connections)

    section("Goals")
    goal_load = GOAL_LOAD_SECONDS * args.files / 1000
    rows = [("load of the content files (median cold load)",
             f"{statistics.median(cold):.2f} s",
             f"< {goal_load:g} s" + ("" if args.files == 1000 else f" (5 s x {args.files}/1000)"),
             verdict(statistics.median(cold) < goal_load))]
    if typical is not None:
        rows.append(("typical page (group) HTML + CSS, gzip", f"{typical / 1024:.1f} KiB",
                     f"<= {GOAL_PAGE_KIB:g} KiB", verdict(typical / 1024 <= GOAL_PAGE_KIB)))
    if through:
        ratio = through["content pages"]["ratio"]
        rows.append(("content pages / hello, requests/s", f"{ratio:.2f}",
                     f">= {GOAL_RATIO}", verdict(ratio >= GOAL_RATIO)))
        ratio = through[MIX]["ratio"]
        rows.append((f"{MIX} / hello", f"{ratio:.2f}", f">= {GOAL_RATIO}",
                     verdict(ratio >= GOAL_RATIO)))
        floor = through["app floor: /robots.txt"]["ratio"]
        rows.append(("  for reference: app floor (/robots.txt) / hello", f"{floor:.2f}",
                     "", "info"))
    if through and through["memory"]:
        peak = max(through["memory"]["peak"]) / 1024 * 2**20 / 1e6
        rows.append(("worker peak RSS, every address warmed", f"{peak:.0f} MB",
                     f"<= {GOAL_RSS_MB} MB", verdict(peak <= GOAL_RSS_MB)))
    table(["goal", "measured", "target", "result"], rows)
    if render is not None:
        slow = sorted(((render[k] / render["bare Flask hello (reference)"], k)
                       for k in CONTENT_KINDS), reverse=True)
        print(f"\n  slowest content page to render: {slow[0][1]} "
              f"({ms(render[slow[0][1]])} median, {slow[0][0]:.0f}x the bare hello app)")
    print(f"  total time {time.monotonic() - started:.0f} s")
    return 0


def measure_render_and_weight(app, urls, render_seconds):
    """Print render times and page weights; return {kind: median seconds} and the
    typical page's gzip bytes (a group page with the CSS)."""
    section("Rendering (Flask test client, in-process; one request at a time)")
    rows = measure_render(app, urls, render_seconds)
    hello_median = statistics.median(rows[0][1])
    table(["page", "requests", "median", "p95", "x hello", "HTML KiB"], [
        (kind, len(times), ms(statistics.median(times)), ms(p95(times)),
         f"{statistics.median(times) / hello_median:.1f}",
         f"{statistics.median(sizes) / 1024:.1f}")
        for kind, times, sizes in rows])
    render = {kind: statistics.median(times) for kind, times, _ in rows}

    section("Page weight (gzip -6; the median-sized page of each kind)")
    weights, css_raw, css_gz = measure_weight(app, urls)
    table(["page", "example", "HTML KiB", "gzip KiB", "+ CSS gzip KiB"], [
        (kind, url, f"{size / 1024:.1f}", f"{gz / 1024:.1f}", f"{(gz + css_gz) / 1024:.1f}")
        for kind, url, size, gz in weights] + [
        ("static/css/site.css", "", f"{css_raw / 1024:.1f}", f"{css_gz / 1024:.1f}", "")])
    typical = next(gz for kind, _, _, gz in weights if kind == "group") + css_gz
    return render, typical


def measure_throughput(args, workdir, content, instance, urls, every_address, use_wrk,
                       connections):
    content_paths = [url for kind in CONTENT_KINDS for url in urls[kind]]
    # An equal share for each kind: interleave the kinds.
    mixed = []
    longest = max(len(urls[kind]) for kind in CONTENT_KINDS)
    for index in range(longest):
        for kind in CONTENT_KINDS:
            mixed.append(urls[kind][index % len(urls[kind])])
    list_paths = urls["listing (groups)"] + urls["listing (health visiting)"] + \
        urls["what's on"] + urls["home"]
    env = {"PORTAL_CONTENT_DIR": str(content), "PORTAL_INSTANCE_DIR": str(instance),
           "SECRET_KEY": "bench", "PORTAL_ENV": "production",
           "PORTAL_BASE_URL": "http://127.0.0.1"}
    rounds = max(1, args.rounds)
    slice_seconds = max(1, round(args.seconds / rounds))
    section(f"Throughput (gunicorn, {args.workers} sync workers, 127.0.0.1, "
            f"{connections} connections; {rounds} rounds of {slice_seconds} s per row)")
    mix = issue_mix(urls)
    names = ("hello", "content pages", MIX, "listings, what's on, home",
             "app floor: /robots.txt")
    slices = {name: [] for name in names}
    with contextlib.ExitStack() as servers:
        hello = servers.enter_context(
            Gunicorn("hello_app:app", HERE, args.workers, {}, workdir, "hello"))
        site = servers.enter_context(
            Gunicorn("wsgi:app", ROOT, args.workers, env, workdir, "content"))
        check_urls(hello.base, ["/"])
        check_urls(site.base, content_paths + list_paths)
        targets = {"hello": (hello, ["/"]), "content pages": (site, mixed), MIX: (site, mix),
                   "listings, what's on, home": (site, list_paths),
                   "app floor: /robots.txt": (site, ["/robots.txt"])}
        # Round-robin in short slices, so that other work on the machine
        # weighs on every row alike; the ratio is taken round by round.
        for _ in range(rounds):
            for name in names:
                server, paths = targets[name]
                slices[name].append(load_tool(server.base, paths, slice_seconds,
                                              connections, workdir, use_wrk))
                # Requests accepted before the tool stopped are still being
                # served; let them finish before the next slice starts.
                check_urls(server.base, ["/robots.txt" if server is site else "/"])
        rss = {"hello": hello.worker_rss_kib(), "content pages": site.worker_rss_kib()}
        memory = None if args.no_memory else measure_memory(site, every_address)
    results = {}
    for name in names:
        runs = slices[name]
        results[name] = {
            "rps": statistics.median(r["rps"] for r in runs),
            "errors": sum(r["errors"] + r["socket_errors"] for r in runs),
            "p50": statistics.median(r["p50"] for r in runs if r["p50"] is not None),
            "p99": statistics.median(r["p99"] for r in runs if r["p99"] is not None),
            "ratios": [r["rps"] / h["rps"] for r, h in zip(runs, slices["hello"])],
            "rss": rss.get(name, []),
        }
        results[name]["ratio"] = statistics.median(results[name]["ratios"])
    table(["app / URLs", "requests/s", "x hello", "p50", "p99", "errors",
           "worker RSS MiB"], [
        (name, f"{r['rps']:.0f}", f"{r['ratio']:.2f}", ms(r["p50"]), ms(r["p99"]),
         r["errors"], " ".join(f"{x / 1024:.0f}" for x in r["rss"]))
        for name, r in results.items()])
    print("  requests/s, p50, p99: medians over the rounds; x hello: the median of "
          "the round-by-round ratios")
    print("  hello by round: " + ", ".join(f"{r['rps']:.0f}" for r in slices["hello"])
          + "; content/hello by round: "
          + ", ".join(f"{x:.2f}" for x in results["content pages"]["ratios"]))
    print(f"  content pages: {len(mixed)} URLs in turn, an equal share of "
          f"{', '.join(CONTENT_KINDS)}")
    print(f"  listings, what's on, home: {', '.join(list_paths)} in turn (no goal; for reference)")
    print("  app floor: the real app's request pipeline with no template (no goal; for reference)")
    print(f"  {MIX}: {len(mix)} URLs in turn, an equal share of each (issue 18's set)")
    if any(r["errors"] for r in results.values()):
        print("  WARNING: some requests failed; the figures above are not trustworthy")
    results["memory"] = memory
    return results


MIX = "group, hub, home, what's on, /ur/"


def issue_mix(urls):
    """Issue 18's content pages: groups, hubs, home, what's on and the Urdu home, in turn."""
    home = urls["home"][0]
    lang = home.strip("/")
    mix = []
    for index in range(len(urls["group"])):
        mix += [urls["group"][index], urls["hub"][index % len(urls["hub"])], home,
                urls["what's on"][0], home.replace(f"/{lang}/", "/ur/")]
    return mix


def every_address(snapshot):
    """Every public address the content gives: each page in every language (a page
    not translated is served in English with a notice), each listing, what's on and home."""
    from portal.content.sections import LISTED
    ids = sorted({(section, page_id) for (_, section, page_id) in snapshot.pages})
    found = []
    for lang in snapshot.site.languages:
        found += [f"/{lang}/", f"/{lang}/whats-on"]
        found += [f"/{lang}/{section}/" for section in LISTED]
        found += [f"/{lang}/{section}/{page_id}" for section, page_id in ids]
    return found


def measure_memory(site, addresses, passes=2, threads=8):
    """Ask for every address ``passes`` times (a sync worker takes whichever
    connection comes, so each worker sees nearly all of them), then read each
    worker's RSS, its peak since start-up and its page cache at /healthz."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path):
        try:
            with urllib.request.urlopen(site.base + path, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(fetch, addresses * passes))
    warmed = time.monotonic() - started
    caches = []
    for _ in range(12):  # /healthz answers from either worker
        with urllib.request.urlopen(site.base + "/healthz", timeout=30) as response:
            cache = json.loads(response.read()).get("page_cache")
        if cache and cache not in caches:
            caches.append(cache)
    memory = {"addresses": len(addresses), "passes": passes, "seconds": warmed,
              "not_200": sum(status != 200 for status in statuses),
              "rss": site.worker_rss_kib(), "peak": site.worker_rss_kib("VmHWM"),
              "caches": caches}
    section(f"Memory (every address: {len(addresses)}, asked {passes} times each "
            f"in {warmed:.0f} s; {memory['not_200']} not 200)")
    table(["worker", "RSS MiB", "peak RSS MiB (start-up included)"], [
        (index + 1, f"{rss / 1024:.0f}", f"{peak / 1024:.0f}")
        for index, (rss, peak) in enumerate(zip(memory["rss"], memory["peak"]))])
    for cache in caches[-2:]:
        per_page = cache["bytes"] / cache["pages"] if cache["pages"] else 0
        print(f"  page cache (one worker's /healthz): {cache['pages']} pages, "
              f"{cache['bytes'] / 2**20:.1f} MiB of {cache['max_bytes'] / 2**20:.0f} MiB, "
              f"{per_page / 1024:.1f} KiB a page ({per_page * 1000 / 2**20:.1f} MiB per "
              f"1,000 pages), {cache['hits']} hits, {cache['misses']} misses")
    if not caches:
        print("  page cache: /healthz does not say (this tree does not report it)")
    return memory


def verdict(ok):
    return "PASS" if ok else "MISS"


def logging_quiet():
    import logging
    logging.getLogger("portal").setLevel(logging.WARNING)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    sys.exit(main())
