"""Every chapter's exercise module, imported: for the tests and the tools (a chapter's notebook
imports only its own, see catalog.py)."""
import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from .quiz import validate


@lru_cache(maxsize=None)
def chapters():
    """{"02": module, ...} for every chNN module in this package."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("ch") and info.name[2:].isdigit():
            module = importlib.import_module(f"{__package__}.{info.name}")
            validate(module.QUIZ, info.name)
            found[info.name[2:]] = module
    return dict(sorted(found.items()))
