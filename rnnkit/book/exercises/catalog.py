"""Every chapter's exercises and quiz, found by id: the chapter modules are chNN.py beside this one.

A chapter module holds plain data:
    EXERCISES = (Exercise(...), ...)   the checked exercises, ids "NN.k"
    QUIZ = (Question(...), ...)        3-5 multiple-choice questions
"""
import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from ...errors import OptionError
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
    return found


def exercises():
    """{id: Exercise} over every chapter."""
    return {e.id: e for module in chapters().values() for e in module.EXERCISES}


def exercise(exercise_id):
    found = exercises().get(exercise_id)
    if found is None:
        raise OptionError(f"no exercise {exercise_id!r}; known: {', '.join(sorted(exercises()))}")
    return found


def questions(chapter):
    key = f"{int(chapter):02d}"
    if key not in chapters():
        raise OptionError(f"no quiz for chapter {chapter!r}; known: {', '.join(sorted(chapters()))}")
    return chapters()[key].QUIZ
