"""Mobile first paint of the built book: Lighthouse's mobile performance score per page.

    .venv/bin/python benchmarks/lighthouse.py                  # reads _build/html (make book)
    .venv/bin/python benchmarks/lighthouse.py PATH/TO/html --runs 3 --pages intro 10_inside_lstm

Builds nothing. Serves the folder on 127.0.0.1, text gzip-compressed as GitHub Pages and every
static host serve it (--no-gzip: as Python's http.server sends it), and runs Lighthouse from npm
(`npx lighthouse`, its default mobile profile: a mid-range phone on a slow 4G link, simulated)
with the system Chromium on each page; the figure is the median score of --runs runs, with the
median first contentful paint, largest contentful paint, total blocking time and layout shift.
Lighthouse is not a Python package: without npx the rows say "not measured" (make bench does
not need npm). The first run downloads Lighthouse into npm's cache.

Target (issue 20): performance >= 85 on the intro and chapters 4, 10 and 13 (they were 55-64).
Timings depend on the machine's load: on a shared machine run it alone, with --runs 3 or more.
"""
import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import common
import weight

PAGES = ["intro", "04_shakespeare", "10_inside_lstm", "13_seq2seq_addition"]
GOAL = 85
LIGHTHOUSE = "lighthouse@12"
METRICS = {"fcp_s": "first-contentful-paint", "lcp_s": "largest-contentful-paint",
           "tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift"}


TEXT = {".html", ".css", ".js", ".svg", ".json", ".txt", ".ipynb"}


class _GzipHandler(weight._QuietHandler):
    """Text files gzip-compressed when the browser accepts it (as a real host sends them)."""
    cache = {}

    def do_GET(self):
        path = Path(self.translate_path(self.path)).resolve()
        if path.suffix not in TEXT or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        if path not in self.cache:
            self.cache[path] = gzip.compress(path.read_bytes(), 6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(folder, compress=True):
    """A local HTTP server over `folder`; returns (server, base URL)."""
    if not compress:
        return weight.serve(folder)
    # compressed before the first request: Lighthouse would read the time spent compressing a
    # file on its first request as the server's latency
    for path in Path(folder).rglob("*"):
        if path.suffix in TEXT and path.is_file():
            _GzipHandler.cache[path.resolve()] = gzip.compress(path.read_bytes(), 6)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def npx():
    return shutil.which("npx")


def run_once(url, chromium=weight.CHROMIUM, timeout=240):
    """One Lighthouse run (mobile, performance only): {score, fcp_s, lcp_s, tbt_ms, cls}."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [npx(), "--yes", LIGHTHOUSE, url, "--only-categories=performance", "--output=json",
               f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "CHROME_PATH": chromium}, cwd=tmp)
        if done.returncode != 0 or not report.is_file():
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        data = json.loads(report.read_text())
    audits = data["audits"]
    out = {"score": round(100 * data["categories"]["performance"]["score"])}
    for key, audit in METRICS.items():
        value = audits[audit]["numericValue"]
        out[key] = round(value / 1000, 2) if key.endswith("_s") else round(value, 3 if key == "cls" else 0)
    return out


def measure(html, pages=PAGES, runs=1, compress=True, log=print):
    """{page: median of `runs` runs of run_once, and the runs}, the site served on 127.0.0.1."""
    server, base = serve(html, compress)
    results = {}
    try:
        for page in pages:
            done = [run_once(f"{base}chapters/{page}.html") for _ in range(runs)]
            results[page] = {k: statistics.median(r[k] for r in done) for k in done[0]} | {"runs": done}
            r = results[page]
            log(f"{page:24s} performance {r['score']:5.1f}   FCP {r['fcp_s']:.1f} s   LCP {r['lcp_s']:.1f} s   "
                f"TBT {r['tbt_ms']:.0f} ms   CLS {r['cls']:.3f}", flush=True)
    finally:
        server.shutdown()
    return results


def rows(results):
    return [common.row(f"13. Lighthouse mobile: {page}", f"{r['score']:.0f} (LCP {r['lcp_s']:.1f} s)", "-",
                       f">= {GOAL}", r["score"] >= GOAL, **r) for page, r in results.items()]


def not_measured(why):
    return [common.row("13. Lighthouse mobile performance (benchmarks/lighthouse.py)", f"not measured ({why})",
                       "-", f">= {GOAL} on {', '.join(PAGES)}", None)]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("html", nargs="?", type=Path, default=common.ROOT / "_build" / "html")
    p.add_argument("--pages", nargs="*", default=PAGES)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="measure nothing (make bench --quick)")
    p.add_argument("--threads", type=int, help="ignored (run.py passes it to every script)")
    p.add_argument("--json", type=Path, help="write the results here too")
    p.add_argument("--no-gzip", action="store_true", help="serve the files uncompressed")
    args = p.parse_args(argv)
    if args.quick:
        return not_measured("--quick")
    if not npx():
        print("lighthouse.py: npx not found (Lighthouse comes from npm): skipped", flush=True)
        return not_measured("no npx")
    if not (args.html / "chapters" / "intro.html").is_file():
        return not_measured(f"no book in {args.html}: run make book first")
    results = measure(args.html, args.pages, args.runs, compress=not args.no_gzip)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return rows(results)


if __name__ == "__main__":
    table = main(sys.argv[1:])
    print(common.table(table))
    sys.exit(0 if all(r["met"] is not False for r in table) else 1)
