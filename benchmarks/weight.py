"""Page weight of the built book: bytes each page makes the browser load, and the whole site.

    .venv/bin/python benchmarks/weight.py                 # reads _build/html (make book)
    .venv/bin/python benchmarks/weight.py PATH/TO/html    # any built book

Builds nothing. Serves the folder on 127.0.0.1 and opens every page in headless Chromium at
1280 x 900, adding up the body of every response the page loads (HTML, scripts, CSS, fonts,
images, whatever scripts fetch at run time) until the network is idle: "loaded". Then it scrolls
to the end of the page and counts again: "scrolled" adds what loads only when it comes into view
(the live panels' models). Bytes are uncompressed (a server that gzips sends less). The site
total is every file under the folder, as deployed.

Targets (issue 12): a page with a temperature slider loads <= 2 MB; the site is <= 15 MB.
"""
import argparse
import functools
import http.server
import json
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
MB = 1e6
SLIDER_PAGE_MAX, SITE_MAX = 2 * MB, 15 * MB
SLIDER_MARK = "rnnkit-temperature-slider"  # the class every temperature slider carries
CHROMIUM = "/usr/bin/chromium"


def site_bytes(html):
    """{top-level folder or file: bytes} for everything under the built site."""
    sizes = Counter()
    for f in Path(html).rglob("*"):
        if f.is_file():
            sizes[f.relative_to(html).parts[0]] += f.stat().st_size
    return sizes


def pages(html):
    """Every HTML page of the book (not the files inside the static folders)."""
    return sorted(p for p in Path(html).rglob("*.html") if not p.relative_to(html).parts[0].startswith("_"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    """A local HTTP server over `folder` on a free port; returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_loads(browser, url, settle_ms=500, scroll=False):
    """[(url, bytes)] of every response the page at `url` loads until the network is idle; with
    scroll, also what it loads while scrolled to its end."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    loads = []

    def record(response):
        try:
            loads.append((response.url, len(response.body())))
        except Exception:  # a redirect or an aborted load has no body
            loads.append((response.url, 0))

    page.on("response", record)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(settle_ms)  # fonts, KaTeX
    if scroll:
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height + 900, 600):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(settle_ms)
    page.close()
    return loads


def measure(html, chromium=CHROMIUM):
    from playwright.sync_api import sync_playwright

    html = Path(html)
    server, base = serve(html)
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for path in pages(html):
                rel = path.relative_to(html).as_posix()
                loads = page_loads(browser, base + rel)
                scrolled = page_loads(browser, base + rel, scroll=True)
                kinds = Counter()
                for url, size in loads:
                    kinds[_kind(urlparse(url).path)] += size
                results.append({"page": rel, "bytes": sum(s for _, s in loads), "requests": len(loads),
                                "scrolled": sum(s for _, s in scrolled),
                                "slider": SLIDER_MARK in path.read_text(errors="replace"),
                                "by_kind": dict(kinds),
                                "largest": sorted(((s, urlparse(u).path) for u, s in loads), reverse=True)[:3]})
            browser.close()
    finally:
        server.shutdown()
    return results, site_bytes(html)


def _kind(path):
    suffix = Path(path).suffix.lower()
    return {".js": "js", ".css": "css", ".html": "html", ".png": "image", ".svg": "image", ".jpg": "image",
            ".woff": "font", ".woff2": "font", ".ttf": "font", ".eot": "font", ".otf": "font"}.get(suffix, "other")


def report(results, site):
    print(f"{'page':34} {'loaded':>9} {'scrolled':>9} {'reqs':>5}  loaded: html / js / css / font / image (kB)")
    for r in results:
        k = r["by_kind"]
        parts = " / ".join(f"{k.get(x, 0) / 1e3:.0f}" for x in ("html", "js", "css", "font", "image"))
        print(f"{r['page'][:34]:34} {r['bytes'] / MB:6.2f} MB {r['scrolled'] / MB:6.2f} MB {r['requests']:5}  {parts}"
              + ("  [slider]" if r["slider"] else ""))
    total = sum(site.values())
    print("\nsite, largest parts: " + ", ".join(f"{name} {size / MB:.2f} MB" for name, size in site.most_common(6)))
    sliders = [r for r in results if r["slider"]]
    heaviest = max(sliders, key=lambda r: r["bytes"]) if sliders else None
    rows = []
    if heaviest:
        rows.append(("heaviest slider page", f"{heaviest['bytes'] / MB:.2f} MB ({heaviest['page']})",
                     f"<= {SLIDER_PAGE_MAX / MB:g} MB", heaviest["bytes"] <= SLIDER_PAGE_MAX))
    else:
        rows.append(("heaviest slider page", "no page has a slider", f"<= {SLIDER_PAGE_MAX / MB:g} MB", None))
    heaviest_any = max(results, key=lambda r: r["bytes"])
    rows.append(("heaviest page", f"{heaviest_any['bytes'] / MB:.2f} MB ({heaviest_any['page']})", "-", None))
    scrolled = max(results, key=lambda r: r["scrolled"])
    rows.append(("heaviest, scrolled", f"{scrolled['scrolled'] / MB:.2f} MB ({scrolled['page']})", "-", None))
    rows.append(("whole site", f"{total / MB:.2f} MB", f"<= {SITE_MAX / MB:g} MB", total <= SITE_MAX))
    print()
    for name, measured, goal, met in rows:
        verdict = {True: "met", False: "NOT met", None: ""}[met]
        print(f"{name:22} {measured:44} {goal:10} {verdict}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html",
                        help="the built book (default: _build/html)")
    parser.add_argument("--json", type=Path, help="also write every page's figures here")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        sys.exit(f"weight.py: no built book at {args.html} (build one: tools/build_book.py --scale smoke)")
    results, site = measure(args.html)
    rows = report(results, site)
    if args.json:
        args.json.write_text(json.dumps({"pages": results, "site": dict(site),
                                         "targets": [list(r) for r in rows]}, indent=1))


if __name__ == "__main__":
    main()
