"""The exercises and quiz of the chapters a notebook has imported, found by id.

A chapter module (chNN.py beside this one) holds plain data:
    EXERCISES = (Exercise(...), ...)   the checked exercises, ids "NN.k"
    QUIZ = (Question(...), ...)        3-5 multiple-choice questions

A chapter imports its own module (`from rnnkit.book.exercises import ch05, check, quiz`), and this
catalog reads only the modules already imported. So a chapter's page depends on its own exercises,
not on every chapter's (the book's rebuild cache reads imports from the code: one chapter's exercise
module changing re-runs that chapter only). discover.chapters() imports them all, for tests and tools.
"""
import sys

from ...errors import OptionError
from .quiz import validate


def _loaded(key):
    name = f"{__package__}.ch{key}"
    module = sys.modules.get(name)
    if module is None:
        raise OptionError(f"chapter {int(key)}'s exercises are not loaded: run "
                          f"`from rnnkit.book.exercises import ch{key}` first")
    validate(module.QUIZ, name)
    return module


def exercise(exercise_id):
    key = str(exercise_id).split(".")[0]
    if not (len(key) == 2 and key.isdigit()):
        raise OptionError(f"no exercise {exercise_id!r}: an id is the chapter's two digits, a dot and a number")
    known = {e.id: e for e in _loaded(key).EXERCISES}
    if exercise_id not in known:
        raise OptionError(f"no exercise {exercise_id!r}; chapter {int(key)} has {', '.join(sorted(known))}")
    return known[exercise_id]


def questions(chapter):
    return _loaded(f"{int(chapter):02d}").QUIZ
