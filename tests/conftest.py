"""Shared test set-up: no network, the sibling ../shared/data folder as the corpus mirror,
a throw-away cache, and one thread per process so the suite is steady on 2 shared cores.

Shared fixtures: `mirror`, `shakespeare` (the first 20,000 characters of Tiny Shakespeare),
`shakespeare_file` (the same as a file), `tiny_config` (a Config maker for models that train
in a second), `browser`, and the smoke book built once per session: `executed` (every chapter run
at smoke scale in _build/test/src) and `html` (the book built from them), which tests/test_book.py
and tests/test_exercises_site.py share."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild.mirror import SIBLING, default_mirror  # noqa: E402  (the one rule, also the Makefile's)

WORK = ROOT / "_build" / "test"  # the test suite's book build; `make book` owns _build/html
MIRROR = default_mirror() or SIBLING  # when neither exists, the `mirror` fixture says so

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["RNNKIT_MIRROR"] = str(MIRROR)


# `make test` runs two pytest workers (pytest-xdist, --dist loadgroup), one per core. A smoke book
# is built once per worker that asks for it, so every test that needs the student's book runs on
# one worker and every test that needs the instructor's on one (maybe the other): the two books
# build side by side while the remaining tests share the cores. Marked as each test is collected,
# before xdist reads the marks (pytest < 9: under 9.2 xdist 3.8 ignores them, measured).
BOOK_GROUPS = {"html": "book", "executed": "book", "katex_page": "book", "instructor_html": "instructor"}


def pytest_itemcollected(item):
    groups = {BOOK_GROUPS[f] for f in getattr(item, "fixturenames", ()) if f in BOOK_GROUPS}
    if len(groups) > 1:
        raise pytest.UsageError(f"{item.nodeid} needs both smoke books: split it")
    if groups:
        item.add_marker(pytest.mark.xdist_group(groups.pop()))


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Every test gets the same session-wide cache, never the user's ~/.cache.
    cache = tmp_path_factory.getbasetemp() / "rnnkit-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("RNNKIT_CACHE", str(cache))
    monkeypatch.setenv("RNNKIT_MIRROR", str(MIRROR))
    # bf16 probe verdicts of the tests' tiny shapes stay out of the user's ~/.cache as well
    monkeypatch.setenv("RNNKIT_PRECISION_CACHE", str(cache / "precision.json"))


@pytest.fixture(scope="session")
def mirror():
    if not (MIRROR / "tinyshakespeare" / "input.txt").exists():
        pytest.fail(f"the corpus mirror {MIRROR} is missing: tests need ../shared/data (or RNNKIT_MIRROR)")
    return MIRROR


@pytest.fixture(scope="session")
def shakespeare(mirror):
    return (mirror / "tinyshakespeare" / "input.txt").read_text()[:20000]


@pytest.fixture(scope="session")
def shakespeare_file(shakespeare, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "shakespeare.txt"
    path.write_text(shakespeare)
    return path


def make_tiny_config(**kw):
    """A 2x16 LSTM on 4 rows of 16 characters, 40 steps, evaluated every 10 on 2 batches."""
    from rnnkit import presets
    base = dict(n_layers=2, hidden=16, dropout=0.2, batch_size=4, seq_len=16, max_steps=40,
                eval_every=10, eval_batches=2, split=(0.8, 0.1, 0.1))
    return presets.get("tinyshakespeare", "smoke", **{**base, **kw})


@pytest.fixture(scope="session")
def tiny_config():
    """make_tiny_config, for tests: tiny_config(max_steps=5) is a Config."""
    return make_tiny_config


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright's sync API allows one at a time)."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail(f"{chromium} is missing: run tools/install_chromium.sh")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def executed():
    """Every chapter run once at smoke scale in _build/test/src; failures kept, not raised."""
    from bookbuild import execute, sources
    subprocess.run(["bash", str(ROOT / "tools" / "vendor.sh")], check=True)
    src = sources.prepare_sources(WORK / "src")
    # two at a time: this file pins one thread per process, and the machine has two cores
    _, failures = execute.execute_all(src, "smoke", jobs=2, log=lambda *_: None)
    return src, failures


@pytest.fixture(scope="session")
def html(request):
    """The built site. RNNKIT_BOOK_HTML=_build/html checks a book already built (the cpu book,
    say) instead of executing and building the smoke one."""
    from bookbuild import finish
    prebuilt = os.environ.get("RNNKIT_BOOK_HTML")
    if prebuilt:
        site = Path(prebuilt).resolve()
        if not (site / "chapters" / "intro.html").is_file():
            pytest.fail(f"RNNKIT_BOOK_HTML={prebuilt}: no built book there (chapters/intro.html is missing)")
        return site
    src, failures = request.getfixturevalue("executed")
    if failures:
        pytest.fail("book not built: chapters failed to execute:\n" + "\n".join(failures))
    try:
        return finish.build_html(src, WORK)
    except RuntimeError as err:
        pytest.fail(str(err))
