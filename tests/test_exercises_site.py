"""The exercises in the built books: the student's smoke book (the `html` fixture tests/test_book.py
uses too) holds no solution text and every check there says Not yet; the instructor's smoke book
(`make book INSTRUCTOR=1`'s steps, built once here) says Correct for every id. In Chromium, offline:
every quiz answers in place, with no console error and no serious axe violation in light and dark
mode, and without JavaScript the answers are still there under <details>. In a kernel (the executed
chapters): a check's output has text/html and text/plain, the quiz's has its form.
"""
import html as html_lib
import inspect
import json
import re
import sys
from pathlib import Path

import pytest

from rnnkit.book.exercises import discover

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild import execute, finish, sources  # noqa: E402
from bookbuild.instructor import load as load_solutions  # noqa: E402
from bookbuild.instructor import solve  # noqa: E402
from test_book import _axe, _open_typeset  # noqa: E402

INSTRUCTOR = ROOT / "_build" / "test-instructor"
CHECK_DIV = re.compile(r"<div class='rnnkit-check' role='status' data-status='([^']+)'[^>]*><strong>([^<]+?) "
                       r"(?:Not yet|Correct|Not quite)</strong>")


def _chapter_pages(root):
    return {p.stem[:2]: (root / p.relative_to(ROOT)).with_suffix(".html")
            for p in sources.notebooks(ROOT) if p.stem[:2] in discover.chapters()}


def _plain(path):
    """A built file as the text a reader (or a search) sees: tags out and entities decoded for
    HTML, cell sources for a notebook, as is otherwise; whitespace collapsed."""
    text = path.read_text(errors="replace")
    if path.suffix == ".html":
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", text))
    elif path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
    return " ".join(text.split())


def _fingerprints():
    """Lines of the solutions' function bodies that appear nowhere in the committed chapters or
    the library (so finding one in the student site means a solution leaked), and the notes."""
    public = " ".join(_plain(p) for p in [*(ROOT / "chapters").glob("*.ipynb"), *(ROOT / "rnnkit").rglob("*.py")])
    found = {}
    for n in discover.chapters():
        module = load_solutions(n)
        lines = [line.strip() for fn in module.SOLUTIONS.values()
                 for line in inspect.getsource(fn).splitlines()[1:]]
        lines = [line for line in lines if len(line) >= 16 and line not in public]
        found[n] = lines + [" ".join(note.split())[:60] for note in module.NOTES.values()]
    return found


def test_the_student_site_holds_no_solution_text(html):
    prints = _fingerprints()
    assert all(prints.values()), f"chapters with nothing to search for: {[n for n, p in prints.items() if not p]}"
    files = [p for p in html.rglob("*") if p.suffix in (".html", ".ipynb", ".js", ".txt", ".md")]
    assert any(p.name == "searchindex.js" for p in files) and any("_sources" in p.parts for p in files)
    leaks = [f"{p.relative_to(html)}: {line!r}" for p in files for text in [_plain(p)]
             for lines in prints.values() for line in lines if " ".join(line.split()) in text]
    assert not leaks, "solution text in the student build:\n" + "\n".join(leaks[:20])


def test_every_check_in_the_student_site_says_not_yet(html):
    for n, page in _chapter_pages(html).items():
        found = CHECK_DIV.findall(page.read_text())
        ids = {i for _, i in found if i != "predict"}
        assert ids == {e.id for e in discover.chapters()[n].EXERCISES}, f"{page.name}: checks shown {ids}"
        assert all(status == "Not yet" for status, _ in found), f"{page.name}: {found}"


@pytest.fixture(scope="session")
def instructor_html():
    """The instructor's smoke book: the sources solved from solutions/, executed, built."""
    src = sources.prepare_sources(INSTRUCTOR / "src")
    solved = solve(src)
    _, failures = execute.execute_all(src, "smoke", jobs=2, log=lambda *_: None)
    if failures:
        pytest.fail("instructor book not built:\n" + "\n".join(failures))
    try:
        return finish.build_html(src, INSTRUCTOR), solved
    except RuntimeError as err:
        pytest.fail(str(err))


def test_the_instructor_site_has_every_solution_and_says_correct(instructor_html):
    root, solved = instructor_html
    prints = _fingerprints()
    for n, page in _chapter_pages(root).items():
        text = page.read_text()
        found = dict((i, status) for status, i in CHECK_DIV.findall(text) if i != "predict")
        ids = [e.id for e in discover.chapters()[n].EXERCISES]
        assert found == {i: "Correct" for i in ids}, f"{page.name}: {found}"
        for i in ids:
            assert f"Solution notes for {i}" in text, f"{page.name}: no notes for {i}"
        assert any(" ".join(line.split()) in _plain(page) for line in prints[n]), f"{page.name}: no solution"


def _quiz_pages(html):
    return [p for p in _chapter_pages(html).values() if "rnnkit-quiz" in p.read_text()]


def _answer_every_question(page):
    """Pick a wrong option, then the right one, in every question; returns what went wrong."""
    wrong = []
    for q, fieldset in enumerate(page.locator(".rnnkit-quiz fieldset").all()):
        inputs = fieldset.locator("input[type=radio]").all()
        verdicts = [fieldset.locator(f"#{i.get_attribute('id')} + label + .rk-fb") for i in inputs]
        order = sorted(range(len(inputs)), key=lambda k: "Correct" in verdicts[k].inner_text())
        for k in order:  # the wrong options first, the right one last
            fieldset.locator(f"label[for='{inputs[k].get_attribute('id')}']").click()
            shown = verdicts[k].inner_text()
            if not verdicts[k].is_visible() or not re.match(r"(Correct|Not quite)\. \S", shown):
                wrong.append(f"question {q + 1}, option {k + 1}: {shown!r}")
        if "Correct" not in verdicts[order[-1]].inner_text() or "Not quite" not in verdicts[order[0]].inner_text():
            wrong.append(f"question {q + 1}: no right and wrong verdict")
    return wrong


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_quiz_answers_in_place_offline(html, browser, dark):
    pages = _quiz_pages(html)
    assert len(pages) == len(discover.chapters())
    problems = []
    for path in pages:
        tab, page = _open_typeset(browser, path, dark=dark)
        problems += [f"{path.name}: {p}" for p in _answer_every_question(page)]
        problems += [f"{path.name}: {k}: {v}" for k, v in tab.problems().items() if v]
        # the verdicts now shown are part of the page axe checks
        problems += _axe(page, path, **({"runOnly": ["color-contrast"]} if dark else {}))
        page.close()
    assert not problems, "\n".join(problems)


def test_without_javascript_the_answers_and_hints_are_there(html, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        for n, path in _chapter_pages(html).items():
            page = context.new_page()
            page.goto(path.as_uri())
            answers = page.locator(".rnnkit-quiz details")
            assert answers.count() == 1, f"{path.name}: no <details> with the answers"
            text = answers.first.text_content()
            for q in discover.chapters()[n].QUIZ:
                assert all(o.why in text for o in q.options), f"{path.name}: a reason is missing"
            for e in discover.chapters()[n].EXERCISES:
                assert page.locator(f"details summary:text('Hint for {e.id}')").count() == 1, e.id
            page.close()
    finally:
        context.close()


def test_in_a_kernel_a_check_shows_html_and_text_and_the_quiz_its_form(executed):
    src, _ = executed
    seen_checks = seen_quiz = 0
    for path in sources.notebooks(src):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
            data = [o.get("data", {}) for o in cell.get("outputs", []) if o.get("output_type") == "execute_result"]
            if re.match(r"check\(", source):
                # (the MIME type grade reads is checked in tests/test_grade.py: the `html` fixture
                # drops it from these notebooks before the pages are built)
                assert data and {"text/html", "text/plain"} <= set(data[0]), f"{path.name}: {source}"
                seen_checks += 1
            if re.fullmatch(r"quiz\(\d+\)", source.strip()):
                assert data and "type='radio'" in "".join(data[0]["text/html"]), f"{path.name}: quiz output"
                seen_quiz += 1
    assert seen_checks >= 2 * len(discover.chapters()) and seen_quiz == len(discover.chapters())
