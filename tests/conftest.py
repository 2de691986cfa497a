"""Shared test set-up: no network, the sibling ../shared/data folder as the corpus mirror,
a throw-away cache, and one thread per process so the suite is steady on 2 shared cores."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("RNNKIT_MIRROR") or ROOT.parent / "shared" / "data")

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
