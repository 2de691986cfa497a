"""Shared test set-up: no network, the sibling ../shared/data folder as the corpus mirror,
a throw-away cache, and one thread per process so the suite is steady on 2 shared cores."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild.mirror import SIBLING, default_mirror  # noqa: E402  (the one rule, also the Makefile's)

MIRROR = default_mirror() or SIBLING  # when neither exists, the `mirror` fixture says so

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["RNNKIT_MIRROR"] = str(MIRROR)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Every test gets the same session-wide cache, never the user's ~/.cache.
    cache = tmp_path_factory.getbasetemp() / "rnnkit-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("RNNKIT_CACHE", str(cache))
    monkeypatch.setenv("RNNKIT_MIRROR", str(MIRROR))


@pytest.fixture(scope="session")
def mirror():
    if not (MIRROR / "tinyshakespeare" / "input.txt").exists():
        pytest.fail(f"the corpus mirror {MIRROR} is missing: tests need ../shared/data (or RNNKIT_MIRROR)")
    return MIRROR


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
