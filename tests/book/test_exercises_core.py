"""rnnkit.book.exercises' machinery on a made-up exercise: each answer a check can give, and why."""
import numpy as np
import pytest

from rnnkit.book.exercises import CORRECT, NOT_QUITE, NOT_YET, Case, Exercise, Mistake, predict
from rnnkit.book.exercises.core import differs, is_stub, run
from rnnkit.book.exercises.quiz import Option, Question, Quiz, validate

DOUBLE = Exercise("99.1", "double", cases=(Case((np.array([1.0, 2.0]),), np.array([2.0, 4.0]), "x = [1, 2]"),
                                           Case(([3.0],), np.array([6.0]))),
                  mistakes=(Mistake(lambda x: np.asarray(x) + 2, "You added 2: double means times 2."),))


def _stub(x):
    """A docstring only, then the ellipsis."""
    ...


def _pass(x):
    pass


def test_an_untouched_stub_is_not_yet():
    assert is_stub(_stub) and is_stub(_pass)
    assert run(DOUBLE, _stub).status == NOT_YET


def test_an_explicit_return_none_is_an_answer_not_a_stub():
    def returns_none(x):
        return None
    assert not is_stub(returns_none)
    result = run(DOUBLE, returns_none)
    assert result.status == NOT_QUITE and "returned None" in result.message


def test_not_implemented_is_not_yet():
    def later(x):
        raise NotImplementedError
    assert run(DOUBLE, later).status == NOT_YET


def test_a_right_answer_lists_its_cases():
    result = run(DOUBLE, lambda x: 2 * np.asarray(x))
    assert result.status == CORRECT and result.cases == ["x = [1, 2]", "[3.0]"]


def test_an_error_names_the_input_and_the_exception():
    result = run(DOUBLE, lambda x: x[5])
    assert result.status == NOT_QUITE and "x = [1, 2]" in result.message and "IndexError" in result.message


def test_a_known_mistake_is_named_and_the_first_failing_input_shown():
    result = run(DOUBLE, lambda x: np.asarray(x) + 2)
    assert result.status == NOT_QUITE
    assert "on input x = [1, 2]" in result.message and "You added 2" in result.message


def test_nan_and_shape_are_said():
    assert "NaN" in run(DOUBLE, lambda x: np.full(2, np.nan)).message
    assert "wrong shape" in run(DOUBLE, lambda x: np.zeros(3)).message
    assert differs((np.ones(2), 1.0), (np.ones(2), 1.0)) is None
    assert "expected 2 values" in differs(np.ones(2), (np.ones(2), 1.0))


def test_inputs_are_copied_so_a_student_cannot_change_the_cases():
    def in_place(x):
        x[0] = 100.0
        return 2 * np.asarray(x)
    run(DOUBLE, in_place)
    assert DOUBLE.cases[0].args[0][0] == 1.0 and DOUBLE.cases[1].args[0] == [3.0]


def test_predict_compares_within_the_tolerance():
    assert predict(..., 4.17).status == NOT_YET
    assert predict(4.2, 4.17).status == CORRECT
    assert predict(1.0, 4.17).status == NOT_QUITE


def test_a_quiz_needs_one_right_option_and_a_reason_each():
    good = Question("q?", (Option("a", True, "because"), Option("b", False, "not so")))
    validate([good], "here")
    with pytest.raises(ValueError):
        validate([Question("q?", (Option("a", True, "x"), Option("b", True, "y")))], "here")
    with pytest.raises(ValueError):
        validate([Question("q?", (Option("a", True, "x"), Option("b", False, " ")))], "here")
    page = Quiz(1, [good])._repr_html_()
    assert page.count("type='radio'") == 2 and "<details>" in page and "<legend>" in page


def test_the_right_option_does_not_always_come_first():
    from collections import Counter

    from rnnkit.book.exercises import discover
    from rnnkit.book.exercises.quiz import shown
    places = Counter()
    for module in discover.chapters().values():
        for q in module.QUIZ:
            order = shown(q)
            assert sorted(o.text for o in order) == sorted(o.text for o in q.options) and len(order) == len(q.options)
            assert shown(q) == order, "the order must be the same in every build"
            places[next(i for i, o in enumerate(order) if o.correct)] += 1
    assert len(places) >= 3 and max(places.values()) <= 0.5 * sum(places.values()), places
