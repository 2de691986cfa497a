"""The workbook's exercises: checks that say Correct / Not quite / Not yet, quizzes, predictions.

In a chapter:
    from rnnkit.book.exercises import ch02, check, quiz, predict   # ch02: the chapter's exercises

    def softmax_grad(probs, target):
        ...                                  # the student's code goes here

    check("02.1", softmax_grad)              # Not yet / Correct / Not quite, with the reason
    quiz(2)                                  # the chapter's self-check quiz
    predict(guess, measured)                 # "predict, then run": how close the guess was
"""
from . import catalog
from .core import CORRECT, NOT_QUITE, NOT_YET, Case, Exercise, Mistake, Result, close_enough, run
from .quiz import Option, Question, Quiz


def check(exercise_id, fn):
    """Run exercise `exercise_id`'s cases on `fn`; the Result shows as HTML in a notebook."""
    return run(catalog.exercise(exercise_id), fn)


def quiz(chapter):
    """Chapter `chapter`'s self-check quiz (answers in place, with or without a kernel)."""
    return Quiz(chapter, catalog.questions(chapter))


def predict(guess, measured, rel=0.1, what="the value"):
    """Compare a written-down guess with the measured value (within `rel`, relative)."""
    if guess is None or guess is ...:
        return Result("predict", NOT_YET, f"write your guess for {what} first, then run this cell")
    near = close_enough(guess, measured, rel)
    status = CORRECT if near else NOT_QUITE
    return Result("predict", status, f"you guessed {guess:.4g}; the run measured {measured:.4g} for {what}"
                  + ("" if near else f" (more than {rel:.0%} away)"))


__all__ = ["Case", "Exercise", "Mistake", "Option", "Question", "check", "quiz", "predict",
           "CORRECT", "NOT_QUITE", "NOT_YET"]
