"""The workbook's exercises, for every chapter 1-18, read from the three places they live: the
notebook (stub cells tagged exercise:NN.k, check cells, hints, the quiz cell), the chapter's checks
(rnnkit/book/exercises/chNN.py) and the instructor's solutions (solutions/chNN.py).

For every check: the notebook's stub says Not yet, the reference solution Correct within 2 s, each
recorded wrong answer Not quite with its phrase; the known mistakes are each reached by one of them.
"""
import ast
import json
import re
import sys
import time
from pathlib import Path

import pytest

from rnnkit.book.exercises import CORRECT, NOT_QUITE, NOT_YET, check, core, discover, quiz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild.instructor import load as load_solutions  # noqa: E402

CHAPTERS = [f"{n:02d}" for n in range(1, 19)]
TAG = re.compile(r"^exercise:(\d\d\.\d+)$")
CHECK = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']\s*,\s*(\w+)\s*\)""")
SECONDS = 2.0


def _notebook(chapter):
    found = sorted((ROOT / "chapters").glob(f"{chapter}_*.ipynb"))
    assert found, f"no chapters/{chapter}_*.ipynb"
    return json.loads(found[0].read_text(encoding="utf-8"))


def _source(cell):
    return "".join(cell["source"])


def _stubs(nb):
    """{id: stub cell source} from the cells tagged exercise:NN.k."""
    stubs = {}
    for cell in nb["cells"]:
        for tag in cell.get("metadata", {}).get("tags", []):
            if TAG.match(tag):
                assert TAG.match(tag)[1] not in stubs, f"two stub cells tagged {tag}"
                stubs[TAG.match(tag)[1]] = _source(cell)
    return stubs


def _checks(nb):
    """{id: the function name passed to check()} from the code cells."""
    calls = [m for c in nb["cells"] if c["cell_type"] == "code" for m in CHECK.findall(_source(c))]
    ids = [i for i, _ in calls]
    assert len(ids) == len(set(ids)), f"an exercise is checked twice: {ids}"
    return dict(calls)


def _explorations(nb):
    """How many explorations the chapter offers: the items under '### Explorations', plus one per
    '### Exploration: ...' section."""
    count = 0
    for cell in nb["cells"]:
        text = _source(cell).lstrip()
        if cell["cell_type"] == "markdown" and text.startswith("### Exploration"):
            items = len(re.findall(r"^\d+\. ", text, flags=re.M))
            count += items if text.startswith("### Explorations") else max(items, 1)
    return count


def _stub_function(source):
    namespace = {}
    exec(compile(source, "<stub>", "exec"), namespace)
    names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    assert len(names) == 1, f"a stub cell defines one function, this one {names}"
    return names[0], namespace[names[0]]


@pytest.fixture(scope="module", params=CHAPTERS)
def chapter(request):
    n = request.param
    modules = discover.chapters()
    assert n in modules, f"no rnnkit/book/exercises/ch{n}.py"
    return n, _notebook(n), modules[n], load_solutions(n)


def test_every_chapter_has_two_checks_three_exercises_and_a_quiz(chapter):
    n, nb, module, _ = chapter
    checked = _checks(nb)
    assert len(checked) >= 2, f"chapter {n}: {len(checked)} checked exercises, at least 2 wanted"
    assert len(checked) + _explorations(nb) >= 3, f"chapter {n}: fewer than 3 exercises in all"
    assert 3 <= len(module.QUIZ) <= 5, f"chapter {n}: the quiz has {len(module.QUIZ)} questions, 3-5 wanted"
    quiz_cells = [c for c in nb["cells"] if c["cell_type"] == "code"
                  and re.fullmatch(rf"quiz\(0*{int(n)}\)", _source(c).strip())]
    assert len(quiz_cells) == 1, f"chapter {n}: one cell `quiz({int(n)})` wanted"
    assert "remove-input" in quiz_cells[0]["metadata"].get("tags", [])
    assert "<section" in quiz(int(n))._repr_html_()


def test_ids_agree_between_notebook_checks_and_solutions(chapter):
    n, nb, module, solutions = chapter
    ids = [e.id for e in module.EXERCISES]
    assert len(ids) == len(set(ids)), f"chapter {n}: repeated ids {ids}"
    assert all(re.fullmatch(rf"{n}\.\d+", i) for i in ids), f"chapter {n}: ids must read {n}.k: {ids}"
    assert set(_stubs(nb)) == set(_checks(nb)) == set(ids), (
        f"chapter {n}: stub tags {sorted(_stubs(nb))}, check cells {sorted(_checks(nb))}, chNN.py {ids}")
    assert set(solutions.SOLUTIONS) == set(solutions.NOTES) == set(solutions.WRONG) == set(ids), (
        f"solutions/ch{n}.py covers {sorted(solutions.SOLUTIONS)}, notes {sorted(solutions.NOTES)}, "
        f"wrong answers {sorted(solutions.WRONG)}; the chapter has {ids}")


def test_ids_are_unique_across_the_book():
    every = [e.id for m in discover.chapters().values() for e in m.EXERCISES]
    assert len(every) == len(set(every))


def test_every_checked_exercise_has_a_hint(chapter):
    n, nb, _, _ = chapter
    text = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    for i in _checks(nb):
        assert re.search(rf"<details>\s*<summary>Hint for {re.escape(i)}</summary>", text), f"no hint for {i}"


def test_the_stub_says_not_yet_and_is_named_like_the_solution(chapter):
    n, nb, _, solutions = chapter
    checked = _checks(nb)
    for i, source in _stubs(nb).items():
        name, stub = _stub_function(source)
        assert checked[i] == name, f"{i}: the check cell passes {checked[i]}, the stub defines {name}"
        assert solutions.SOLUTIONS[i].__name__ == name, f"{i}: solution named {solutions.SOLUTIONS[i].__name__}"
        assert ast.get_docstring(ast.parse(source).body[0]), f"{i}: the stub needs a docstring (the contract)"
        result = check(i, stub)
        assert result.status == NOT_YET, f"{i}: the stub gives {result.text()}"


def test_the_solution_is_correct_in_under_two_seconds(chapter):
    n, _, _, solutions = chapter
    for i, fn in solutions.SOLUTIONS.items():
        start = time.perf_counter()
        result = check(i, fn)
        seconds = time.perf_counter() - start
        assert result.status == CORRECT, result.text()
        assert seconds < SECONDS, f"{i}: the check took {seconds:.2f} s"


def test_every_wrong_answer_gets_not_quite_with_its_phrase(chapter):
    n, _, module, solutions = chapter
    for exercise in module.EXERCISES:
        wrong = solutions.WRONG[exercise.id]
        phrases = [p for _, p in wrong]
        assert any("raised" in p for p in phrases), f"{exercise.id}: no wrong answer that raises"
        assert any("NaN" in p or "None" in p for p in phrases), (
            f"{exercise.id}: no wrong answer returning NaN or None")
        messages = []
        for fn, phrase in wrong:
            start = time.perf_counter()
            result = check(exercise.id, fn)
            assert time.perf_counter() - start < SECONDS, f"{exercise.id}: slow check on {phrase!r}"
            assert result.status == NOT_QUITE and phrase in result.message, (
                f"{exercise.id}: wanted Not quite with {phrase!r}, got {result.text()}")
            messages.append(result.message)
        for mistake in exercise.mistakes:
            assert any(mistake.says in m for m in messages), (
                f"{exercise.id}: no recorded wrong answer reaches the mistake {mistake.says!r}")


def test_the_quiz_has_a_reason_for_every_option(chapter):
    n, _, module, _ = chapter
    for q in module.QUIZ:
        assert sum(o.correct for o in q.options) == 1 and all(o.why.strip() for o in q.options), q.text
    html = quiz(int(n))._repr_html_()
    assert html.count("<fieldset>") == len(module.QUIZ) and "<details>" in html


def test_a_check_shows_as_html_and_text():
    bundle = core.Result("01.1", NOT_QUITE, "on input x: a different value")._repr_mimebundle_()
    assert {"text/plain", "text/html", core.MIME} <= set(bundle)
    assert "Not quite" in bundle["text/plain"] and "Not quite" in bundle["text/html"]
