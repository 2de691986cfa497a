"""The corpus mirror a checkout uses by default: the folder `../shared/data` beside it, when it holds
a mirror (its SOURCES.md), unless $RNNKIT_MIRROR names one already.

The one place this rule lives. The Makefile runs this file (`python3 tools/bookbuild/mirror.py`
prints the folder, or nothing); tools/build_book.py, tests/conftest.py and benchmarks/common.py
import it. Standard library only: the Makefile runs it before the virtual environment exists.
"""
import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
SIBLING = CHECKOUT.parent / "shared" / "data"


def default_mirror():
    """$RNNKIT_MIRROR when set, else the sibling mirror folder when there is one, else None."""
    if os.environ.get("RNNKIT_MIRROR"):
        return Path(os.environ["RNNKIT_MIRROR"]).expanduser()
    return SIBLING if (SIBLING / "SOURCES.md").is_file() else None


def use_default_mirror():
    """Set $RNNKIT_MIRROR for this process (and the kernels it starts) when a mirror is found."""
    mirror = default_mirror()
    if mirror:
        os.environ["RNNKIT_MIRROR"] = str(mirror)
    return mirror


if __name__ == "__main__":
    print(default_mirror() or "")
