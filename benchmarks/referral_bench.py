"""Self-referral throughput: whole journeys through the real HTTP path.

    .venv/bin/python benchmarks/referral_bench.py [--clients N] [--seconds S]
        [--workers W] [--database-url URL] [--smtp] [--profile] [--keep]

The real app (``PORTAL_ENV=production``, the shipped content) runs under
gunicorn with W sync workers (2) on 127.0.0.1 and a free port, on a fresh
SQLite database (or ``--database-url``, which is emptied first: only point
it at a scratch database). N client processes (8) each play families one
after another for S seconds (20): GET the form (for the CSRF token and the
session cookie), POST the answers, POST "check your answers" (the referral
and its outbox message are stored, then delivery is tried once), GET the
done page and read the reference. E-mail goes to files in the instance
folder (the embedded default), or with ``--smtp`` to a recording SMTP
server on loopback.

Afterwards the stored referrals are counted and compared with the
references the clients saw: an acknowledged reference that is not stored is
lost. As a reference measured in the same run, a bare Flask hello app
(benchmarks/hello_app.py) is served with the same gunicorn settings and
loaded by the same client (and by wrk too, when it is installed); the
submissions' requests/s are shown as a ratio to it.

Goal (issue 18): >= 120 submissions/s with zero lost; printed as PASS or MISS.

Two settings the run needs cannot be set from the environment, so gunicorn
loads the app through a three-line module that sets them on the config:
the referral rate limit (every client is 127.0.0.1; 30 an hour would stop
the run at once) and the search index rebuild (off: it is not on this path,
and a first build would compete for the CPUs).

``--profile`` runs journeys in-process with the Flask test client under
cProfile instead, and prints where the time goes.
"""

import argparse
import cProfile
import datetime
import http.client
import io
import multiprocessing
import os
import pstats
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # portal, and tests.support: the gunicorn runner and HTTP client
from tests.support.http import HttpClient, LeanHttpClient  # noqa: E402
from tests.support.servers import Gunicorn, stop_on_sigterm  # noqa: E402

BENCHMARKS = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
GOAL = 120  # submissions per second (issue 18; 100 before)

APP_SHIM = """\
from portal import create_app
from portal.config import config_from_environment

config = config_from_environment()
config.REFERRAL_RATE_LIMIT = "1000000 per hour"  # every client is 127.0.0.1
config.SEARCH_REBUILD = "off"  # not on this path; a first build would take CPU
app = create_app(config)
"""

# --------------------------------------------------------------------------
# The client: one family after another
# --------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFERENCE = re.compile(r'class="reference[^"]*">\s*(SW-[A-Z0-9]{4}-[A-Z0-9]{4})\s*<')
STEPS = ("GET form", "POST answers", "POST check", "GET done")


def answers(number):
    born = datetime.date.today() - datetime.timedelta(days=300 + number % 900)
    postcodes = ("SK4 1AA", "SK1 3BB", "SK6 4CC", "SK7 2DD", "SK2 5EE", "M1 1AA")
    return [("website", ""), ("parent_name", f"Bench Parent {number}"),
            ("phone", f"07700 900{number % 1000:03d}"), ("email", f"bench{number}@example.org"),
            ("contact_ways", "phone"), ("contact_ways", "email"), ("best_times", "morning"),
            ("postcode", postcodes[number % len(postcodes)]), ("address", f"{number} Bench Road"),
            ("children-0-born", "yes"), ("children-0-first_name", f"Child{number}"),
            ("children-0-date-day", str(born.day)), ("children-0-date-month", str(born.month)),
            ("children-0-date-year", str(born.year)), ("help_with", "sleep"),
            ("details", "A benchmark family"), ("spoken_language", "English"),
            ("interpreter", "no"), ("consent", "y")]


class Failed(Exception):
    pass


CLIENTS = {"lean": LeanHttpClient, "http.client": HttpClient}


def journey(base, number, timings, client="lean"):
    """One family from form to reference; return the reference."""
    browser = CLIENTS[client](base)
    marks = [time.perf_counter()]
    status, _, page = browser.request("GET", "/en/refer")
    marks.append(time.perf_counter())
    found = CSRF.search(page)
    if status != 200 or not found:
        raise Failed(status)
    token = found.group(1)
    status, location, _ = browser.request("POST", "/en/refer", [("csrf_token", token)] + answers(number))
    marks.append(time.perf_counter())
    if status != 302 or not location.endswith("/refer/check"):
        raise Failed(status)
    status, location, _ = browser.request("POST", "/en/refer/check", [("csrf_token", token)])
    marks.append(time.perf_counter())
    if status != 302 or not location.endswith("/refer/done"):
        raise Failed(status)
    status, _, page = browser.request("GET", "/en/refer/done")
    marks.append(time.perf_counter())
    found = REFERENCE.search(page)
    if status != 200 or not found:
        raise Failed(status)
    for step, (a, b) in enumerate(zip(marks, marks[1:])):
        timings[step] += b - a
    return found.group(1)


def families(base, client, first, step, ready, go, deadline, queue):
    """A client process: families one after another until the deadline."""
    references, latencies, failures = [], [], {}
    timings = [0.0] * len(STEPS)
    number = first
    ready.put(os.getpid())
    go.wait(120)
    deadline = deadline.value
    cpu = time.process_time()  # the run's own, without the start-up's imports
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            references.append(journey(base, number, timings, client))
            latencies.append(time.perf_counter() - started)
        except Failed as exc:
            failures[str(exc)] = failures.get(str(exc), 0) + 1
        except (OSError, http.client.HTTPException) as exc:
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
        number += step
    queue.put((references, latencies, failures, timings, time.process_time() - cpu))


def hellos(base, client, ready, go, deadline, queue):
    browser = CLIENTS[client](base)
    count = errors = 0
    ready.put(os.getpid())
    go.wait(120)
    deadline = deadline.value
    cpu = time.process_time()
    while time.monotonic() < deadline:
        try:
            status, _, _ = browser.request("GET", "/")
            errors += status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
        count += 1
    queue.put((count, errors, time.process_time() - cpu))


def run_clients(target, clients, seconds, args_for):
    context = multiprocessing.get_context("spawn")
    ready, go, queue = context.Queue(), context.Event(), context.Queue()
    deadline = context.Value("d", 0.0)
    procs = [context.Process(target=target, args=(*args_for(i), ready, go, deadline, queue),
                             daemon=True) for i in range(clients)]
    for proc in procs:
        proc.start()
    try:
        for _ in procs:
            ready.get(timeout=120)  # every client started: they begin together
        deadline.value = time.monotonic() + seconds
        go.set()
        results = [queue.get(timeout=seconds + 120) for _ in procs]
    finally:
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()  # ours, by handle
    return results, seconds


def run_wrk(base, seconds, connections):
    if not shutil.which("wrk"):
        return None
    done = subprocess.run(["wrk", "-t", "1", "-c", str(connections),
                           "-d", f"{max(1, round(seconds))}s",
                           "--timeout", "10s", base + "/"],
                          capture_output=True, text=True, timeout=seconds + 60)
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    return float(found.group(1)) if found else None


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------

def empty_database(url):
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def stored(url):
    """(references, outbox counts by status) read back after the run."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            references = [r for (r,) in db.execute("SELECT reference FROM referrals")]
            outbox = dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status"))
        finally:
            db.close()
        return references, outbox
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as connection:
        references = list(connection.scalars(text("SELECT reference FROM referrals")))
        outbox = dict(connection.execute(
            text("SELECT status, count(*) FROM outbox GROUP BY status")).all())
    engine.dispose()
    return references, outbox


def machine_cpu():
    """The machine's CPU time so far by kind (Linux's /proc/stat), or {}:
    whether the run left CPUs idle, and how much the hypervisor took (steal)."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return {}
    user, nice, system, idle, iowait, irq, softirq, steal = ticks
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}


def used_since(before, after):
    """What the workers used between two ``workers_counts()``, with "cpu"
    (user + system) added."""
    used = {key: after[key] - before[key] for key in after}
    return {**used, "cpu": used["user"] + used["system"]}


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="client processes (8)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of submissions (20)")
    parser.add_argument("--hello-seconds", type=float, default=5,
                        help="seconds of the hello reference (5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--client", choices=CLIENTS, default="lean",
                        help="the clients' HTTP: a plain socket (lean, the default) or "
                        "http.client, which costs the shared CPUs more")
    parser.add_argument("--database-url", help="a scratch database to use instead of "
                        "SQLite (it is emptied first)")
    parser.add_argument("--smtp", action="store_true",
                        help="send e-mail to a recording SMTP server instead of files")
    parser.add_argument("--profile", action="store_true",
                        help="profile journeys in-process instead of the HTTP run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="referral-bench-"))
    try:
        if args.profile:
            return profile(workdir)
        return run(args, workdir)
    finally:
        if args.keep:
            print(f"(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir):
    import gunicorn

    from portal.db.migrate import upgrade
    url = args.database_url or f"sqlite:///{workdir / 'portal.db'}"
    if args.database_url:
        empty_database(url)
    upgrade(url)
    kind = "SQLite (WAL)" if url.startswith("sqlite") else url.split(":", 1)[0]
    smtp = None
    env = {"PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "PORTAL_INSTANCE_DIR": str(workdir / "instance"), "PORTAL_CONTENT_DIR": str(CONTENT),
           "DATABASE_URL": url, "SMTP_URL": "", "PORTAL_BASE_URL": "http://127.0.0.1"}
    if args.smtp:
        import logging

        from tests.referrals.smtp_server import SmtpServer
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        smtp = SmtpServer().start()
        env["SMTP_URL"] = smtp.url
    (workdir / "bench_app.py").write_text(APP_SHIM)

    print("Family Front Door: self-referral benchmark")
    print(f"  python {sys.version.split()[0]}, {os.cpu_count()} CPUs, gunicorn "
          f"{gunicorn.__version__}, {args.workers} sync workers on 127.0.0.1, {kind}, "
          f"e-mail {'to a loopback SMTP server' if smtp else 'to files'}")
    how = "a plain socket" if args.client == "lean" else "http.client"
    print(f"  client: {args.clients} Python processes ({how}, a new connection "
          "per request, as sync workers close them)")
    try:
        # The reference: a bare Flask app, same server settings, same client.
        with Gunicorn("hello_app:app", BENCHMARKS, args.workers, {}, workdir, "hello") as hello:
            before = hello.workers_counts()
            results, seconds = run_clients(hellos, args.clients, args.hello_seconds,
                                           lambda i: (hello.base, args.client))
            hello_used = used_since(before, hello.workers_counts())
            hello_cpu = hello_used["cpu"]
            hello_requests = sum(count for count, _, _ in results)
            hello_rps = hello_requests / seconds
            hello_errors = sum(errors for _, errors, _ in results)
            wrk_rps = run_wrk(hello.base, min(args.hello_seconds, 5), 4 * args.workers)

        with Gunicorn("bench_app:app", workdir, args.workers, env, workdir, "app") as app:
            warm = [journey(app.base, 10**7 + n, [0.0] * 4) for n in range(5)]
            before, machine = app.workers_counts(), machine_cpu()
            results, seconds = run_clients(
                families, args.clients, args.seconds,
                lambda i: (app.base, args.client, i, args.clients))
            app_used = used_since(before, app.workers_counts())
            app_cpu = app_used["cpu"]
            machine = {key: after - machine.get(key, 0) for key, after in machine_cpu().items()}
            log = app.log_text()
    finally:
        if smtp:
            smtp.stop()

    acknowledged = warm + [ref for refs, *_ in results for ref in refs]
    latencies = [x for _, lat, *_ in results for x in lat]
    failures = {}
    for _, _, failed, _, _ in results:
        for key, count in failed.items():
            failures[key] = failures.get(key, 0) + count
    timings = [sum(r[3][step] for r in results) for step in range(len(STEPS))]
    done = len(acknowledged) - len(warm)
    rate = done / seconds
    references, outbox = stored(url)
    lost = set(acknowledged) - set(references)
    unacknowledged = set(references) - set(acknowledged)
    duplicates = len(acknowledged) - len(set(acknowledged))
    mails = len(list((workdir / "instance" / "mail").glob("*.eml"))) if not smtp \
        else len(smtp.messages())

    print(f"\n  bare Flask hello: {hello_rps:,.0f} requests/s with this client"
          + (f", {wrk_rps:,.0f} with wrk" if wrk_rps else "")
          + (f" ({hello_errors} errors)" if hello_errors else ""))
    print(f"  submissions: {done:,} in {seconds:.0f} s = {rate:,.1f} per second "
          f"({4 * rate:,.0f} requests/s = {4 * rate / hello_rps:.2f} x hello's requests/s "
          f"with the same client)")
    print(f"  one journey (4 requests): p50 {percentile(latencies, .5) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, .95) * 1000:.0f} ms, "
          f"p99 {percentile(latencies, .99) * 1000:.0f} ms")
    client_cpu = sum(r[4] for r in results)
    print(f"  server CPU (gunicorn workers, user + system): {1000 * app_cpu / max(done, 1):.1f} ms "
          f"per submission, {1000 * app_cpu / max(4 * done, 1):.1f} ms per request; hello "
          f"{1000 * hello_cpu / max(hello_requests, 1):.2f} ms per request; workers busy "
          f"{100 * app_cpu / (seconds * args.workers):.0f}% of {args.workers} x {seconds:.0f} s; "
          f"the client used {client_cpu:.1f} CPU s of {os.cpu_count() * seconds:.0f}")
    print(f"    of which system (kernel) {1000 * app_used['system'] / max(done, 1):.1f} ms a "
          f"submission; minor page faults {app_used['minor_faults'] / max(done, 1):,.0f} a "
          f"submission, hello {hello_used['minor_faults'] / max(hello_requests, 1):,.1f} a request")
    if machine:
        spent = sum(machine.values()) or 1
        print("  the machine's CPUs meanwhile (/proc/stat): " + ", ".join(
            f"{name} {100 * ticks / spent:.0f}%" for name, ticks in machine.items()))
    total = sum(timings) or 1
    print("  client-side time by step: " + ", ".join(
        f"{name} {100 * t / total:.0f}% ({1000 * t / max(done, 1):.1f} ms)"
        for name, t in zip(STEPS, timings)))
    print(f"  failed journeys: {sum(failures.values())} {failures or ''}".rstrip())
    print(f"  stored: {len(references):,} referrals; outbox {outbox}; e-mails {mails:,}")
    print(f"  acknowledged: {len(acknowledged):,} (5 warm-up included); lost "
          f"{len(lost)}; stored but not acknowledged {len(unacknowledged)}; "
          f"references shown twice {duplicates}")
    if "Traceback" in log:
        print("  gunicorn log has tracebacks:\n" + log[-3000:])
    fast = rate >= GOAL
    safe = not lost and not duplicates and not failures
    print(f"\n  goal: >= {GOAL} submissions/s: {'PASS' if fast else 'MISS'} ({rate:.1f}/s)")
    print(f"  goal: zero lost, no failures: {'PASS' if safe else 'MISS'}")
    return 0


def profile(workdir, journeys=300):
    """Journeys in-process (Flask test client): the server's CPU by step and
    by part (no profiler, so the figures are real), then a cProfile run
    grouped by package and by function.

    Each figure is the CPU time of the thread doing the work
    (``time.thread_time``): a request's in the request's thread, the
    e-mail's first attempt in its outbox thread (each journey waits for it,
    so it never overlaps the next request). The test client's own work is
    not counted.
    """
    import functools
    import logging

    from werkzeug.datastructures import MultiDict

    from portal import create_app
    from portal.config import ProductionConfig
    from portal.db.migrate import upgrade
    from portal.outbox import delivery
    from portal.referrals import views
    url = f"sqlite:///{workdir / 'portal.db'}"
    upgrade(url)
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("PORTAL_BASE_URL", "http://localhost")  # the test client's host
    config = ProductionConfig(instance_dir=workdir / "instance")
    config.DATABASE_URL = url
    config.SMTP_URL = None
    config.REFERRAL_RATE_LIMIT = "1000000 per hour"
    config.SEARCH_REBUILD = "off"
    config.SESSION_COOKIE_SECURE = False  # the test client keeps only what it may send
    app = create_app(config)
    logging.getLogger("portal").setLevel(logging.WARNING)
    attempt = "the e-mail's first attempt (outbox thread)"
    steps = dict.fromkeys((*STEPS, attempt), 0.0)
    parts = {}

    def timed(module, name, add):
        function = getattr(module, name)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                add(args, time.thread_time() - started)
        setattr(module, name, wrapper)

    def part(label):
        return lambda args, seconds: parts.__setitem__(label, parts.get(label, 0.0) + seconds)

    def step(args, seconds):
        environ = args[0]
        name = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO'].removeprefix('/en/refer')}"
        name = {"GET ": "GET form", "POST ": "POST answers", "POST /check": "POST check",
                "GET /done": "GET done"}[name]
        steps[name] += seconds

    timed(app, "wsgi_app", step)
    timed(delivery, "try_now", lambda args, seconds: steps.__setitem__(attempt, steps[attempt] + seconds))
    timed(views, "render_template", part("rendering the templates (form, done)"))
    timed(views, "render_in_kept_layout", part("rendering the templates (form, done)"))
    timed(views, "_form", part("building the form (ReferralForm)"))
    timed(views, "submit", part("storing referral + outbox message (one commit)"))
    timed(views, "deliver_soon", part("queueing the first delivery attempt (run after the response)"))

    def one(number):
        client = app.test_client()
        page = client.get("/en/refer").get_data(as_text=True)
        token = CSRF.search(page).group(1)
        answered = client.post("/en/refer",
                               data=MultiDict([("csrf_token", token)] + answers(number)))
        assert answered.status_code == 302, answered.status_code
        sent = client.post("/en/refer/check", data={"csrf_token": token})
        assert sent.status_code == 302
        assert delivery.background.settle(30)
        assert REFERENCE.search(client.get("/en/refer/done").get_data(as_text=True))

    # Threads started meanwhile: a thread is CPU no thread_time above counts
    # (limits' memory storage once started a timer thread per referral).
    started_threads = []
    start_thread = threading.Thread.start

    def counted_start(thread):
        started_threads.append(thread.name)
        return start_thread(thread)

    for number in range(30):
        one(10**6 + number)  # warm up
    steps.update(dict.fromkeys(steps, 0.0))
    parts.clear()
    threading.Thread.start = counted_start
    process_cpu = time.process_time()
    try:
        for number in range(journeys):
            one(number)
    finally:
        process_cpu = time.process_time() - process_cpu
        threading.Thread.start = start_thread
    total = sum(steps.values())
    print(f"{journeys} journeys in-process (Flask test client, SQLite, e-mail to files): "
          f"{1000 * total / journeys:.1f} ms of the server's CPU per journey")
    print(f"  the whole process (every thread, the test client included): "
          f"{1000 * process_cpu / journeys:.1f} ms of CPU per journey; threads started: "
          f"{len(started_threads) / journeys:.2f} per journey")
    print("  by step: " + ", ".join(f"{name} {1000 * t / journeys:.2f} ms"
                                     for name, t in steps.items()))
    print("  by part:")
    for label, seconds in parts.items():
        print(f"    {1000 * seconds / journeys:5.2f} ms  {100 * seconds / total:3.0f}%  {label}")

    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(journeys):
        one(journeys + number)
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups = {}
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        found = re.search(r"site-packages/([^/]+)", filename)
        if found:
            key = found.group(1)
        elif "/portal/templates/" in filename:
            key = "our templates (compiled)"
        elif "/portal/" in filename:
            key = "portal/" + filename.split("/portal/", 1)[1].split("/")[0]
        elif filename == "~":
            key = "C: " + function.strip("<>").removeprefix("method ").removeprefix(
                "built-in method ")[:50]
        else:
            key = "stdlib " + Path(filename).name
        groups[key] = groups.get(key, 0.0) + own
    own_total = sum(groups.values())
    print("\n  own time by package (cProfile, test client included):")
    for key, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[:20]:
        print(f"    {100 * seconds / own_total:5.1f}%  {key}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    out.write("\n  our own code, by cumulative time:\n")
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("/portal/", 40)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    sys.exit(main())
