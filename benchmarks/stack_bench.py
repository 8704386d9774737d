"""Pages and referrals per second through nginx, with one app server and with two.

Brings up the stack the stack test runs (tests/stack/: PostgreSQL, Redis,
an SMTP server, two gunicorn servers with deploy/gunicorn.conf.py and two
workers each, nginx with deploy/nginx/portal.conf), plus a second nginx in
front of server A only. Each round, interleaved, loads for --seconds each:

- content pages (wrk, --connections) through nginx to A, then to A and B;
- referral submissions (whole journeys: form, answers, check, send, done;
  --families at once, Python clients) through each;
- one static file through nginx: no Python in the path, so this is the
  ceiling the machine sets.

Then bytes on the wire for a page and the stylesheet, plain and gzipped.
Prints the median of the rounds with the range, and the ratio of two
servers to one measured in the same rounds. Needs nginx, redis-server, wrk
and PostgreSQL's binaries (`make system-deps`, `bash .ci/postgres.sh`).
"""

import argparse
import gzip
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content_bench import run_wrk, table  # noqa: E402

from tests.referrals.smtp_server import HttpError, HttpFamily, family_answers  # noqa: E402
from tests.stack.conftest import Stack  # noqa: E402
from tests.stack.servers import Nginx  # noqa: E402
from tests.stack.test_stack import get  # noqa: E402

PAGES = ["/en/", "/en/health-visiting/vitamins-and-immunisations", "/en/whats-on",
         "/en/health-visiting/", "/pl/", "/ur/", "/en/refer/status"]


def referrals_per_second(base, families, seconds, first):
    """Whole journeys completed per second by ``families`` clients at once."""
    done, failed = [], []
    deadline = time.monotonic() + seconds

    def family(number):
        while time.monotonic() < deadline:
            try:
                HttpFamily(base, timeout=60).submit(family_answers(number))
                done.append(number)
            except HttpError as exc:
                failed.append(exc.step)
            number += families

    started = time.monotonic()
    threads = [threading.Thread(target=family, args=(first + n,)) for n in range(families)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"{len(failed)} journeys failed: {failed[:5]}")
    return len(done) / (time.monotonic() - started)


def median_range(values, fmt="{:,.0f}"):
    return (f"{fmt.format(statistics.median(values))} "
            f"({fmt.format(min(values))} to {fmt.format(max(values))})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per measurement (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--families", type=int, default=8,
                        help="referral journeys at once (8)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="stack-bench-"))
    stack = Stack(workdir)
    one = None
    try:
        stack.start()
        one = Nginx(workdir / "nginx-one", [stack.servers[0].port],
                    workdir / "static").start()
        html = get(stack.nginx.base, "/en/")[2].decode()
        css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', html).group(1)
        fronts = {"one server": one.base, "two servers": stack.nginx.base}
        results = {(kind, name): [] for kind in ("pages", "referrals") for name in fronts}
        results[("static", "nginx")] = []
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", file=sys.stderr)
            for name, base in fronts.items():
                load = run_wrk(base, PAGES, args.seconds, args.connections, workdir)
                if load["errors"] or load["socket_errors"]:
                    raise SystemExit(f"errors under load: {load}")
                results[("pages", name)].append(load["rps"])
            for name, base in fronts.items():
                results[("referrals", name)].append(referrals_per_second(
                    base, args.families, args.seconds, 100_000 * (round_ + 1)))
            static = run_wrk(stack.nginx.base, [css], args.seconds, args.connections, workdir)
            results[("static", "nginx")].append(static["rps"])

        print(f"\n== Through nginx: median of {args.rounds} interleaved rounds (range), "
              f"{args.seconds} s each ==")
        rows = []
        for kind, unit in (("pages", "pages/s"), ("referrals", "referrals/s")):
            fmt = "{:,.0f}" if kind == "pages" else "{:,.1f}"
            single, double = results[(kind, "one server")], results[(kind, "two servers")]
            ratios = [d / s for s, d in zip(single, double)]
            rows.append([f"{kind} ({unit})", median_range(single, fmt),
                         median_range(double, fmt), median_range(ratios, "{:.2f}")])
        rows.append(["static file (requests/s)", "", median_range(results[("static", "nginx")]),
                     ""])
        table(["", "one server", "two servers", "two / one"], rows)

        print("\n== Bytes on the wire (body) ==")
        rows = []
        for path in ("/en/", "/en/health-visiting/vitamins-and-immunisations", "/en/refer",
                     css):
            plain = get(stack.nginx.base, path)[2]
            _, headers, zipped = get(stack.nginx.base, path, {"Accept-Encoding": "gzip"})
            # Pages carry a fresh CSRF token or cookie each time: compare sizes only.
            assert headers.get("content-encoding") == "gzip"
            assert abs(len(gzip.decompress(zipped)) - len(plain)) < 100
            rows.append([path.split("?")[0], f"{len(plain):,}", f"{len(zipped):,}",
                         f"{len(zipped) / len(plain):.2f}"])
        table(["", "plain", "gzip", "ratio"], rows)
    finally:
        if one:
            one.stop()
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
