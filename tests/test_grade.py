"""`python -m rnnkit.book.grade`: a blank chapter, the same chapter solved (solutions injected as
the instructor build does), one that raises before its checks, and one that runs past the timeout.
Chapter 1 is the subject: it runs in seconds at smoke scale."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from rnnkit.book import grade

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild.instructor import solve_notebook  # noqa: E402

CHAPTER = ROOT / "chapters" / "01_rnn_api.ipynb"


def _write(nb, path):
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade")
    blank = json.loads(CHAPTER.read_text(encoding="utf-8"))
    solved = copy.deepcopy(blank)
    assert solve_notebook(solved) == ["01.1", "01.2"]
    broken = copy.deepcopy(blank)
    first_stub = next(i for i, c in enumerate(broken["cells"]) if "exercise:01.1" in c["metadata"].get("tags", []))
    broken["cells"].insert(first_stub, nbformat.v4.new_code_cell('raise RuntimeError("the student broke it")'))
    paths = [_write(blank, tmp / "blank.ipynb"), _write(solved, tmp / "solved.ipynb"),
             _write(broken, tmp / "broken.ipynb")]
    done = subprocess.run([sys.executable, "-m", "rnnkit.book.grade", "--json", "--timeout", "300",
                           *map(str, paths)], capture_output=True, text=True, timeout=900)
    return done, {Path(g["notebook"]).stem: g for g in json.loads(done.stdout)}


def _statuses(g):
    return {r["id"]: r["status"] for r in g["results"]}


def test_blank_chapter_is_not_yet(graded):
    _, by_name = graded
    assert by_name["blank"]["error"] is None
    assert _statuses(by_name["blank"]) == {"01.1": "Not yet", "01.2": "Not yet"}


def test_solved_chapter_is_correct(graded):
    _, by_name = graded
    assert by_name["solved"]["error"] is None
    assert _statuses(by_name["solved"]) == {"01.1": "Correct", "01.2": "Correct"}


def test_a_chapter_that_raises_gets_one_line_and_the_ids_not_reached(graded):
    done, by_name = graded
    g = by_name["broken"]
    assert "RuntimeError: the student broke it" in g["error"] and "\n" not in g["error"]
    assert _statuses(g) == {"01.1": grade.NOT_REACHED, "01.2": grade.NOT_REACHED}
    assert done.returncode == 1, "a notebook that failed to run must make the exit status non-zero"
    text = grade.report([g])
    assert "FAILED TO RUN: cell" in text and "not reached: 01.1, 01.2" in text


def test_the_text_report_has_one_line_per_id(graded):
    _, by_name = graded
    lines = grade.report([by_name["blank"], by_name["solved"]]).splitlines()
    assert sum("01.1" in line and "Not yet" in line for line in lines) == 1
    assert sum("01.2" in line and "Correct" in line for line in lines) == 1


def test_a_notebook_past_the_timeout_is_stopped(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('scale = "auto"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import time\ntime.sleep(120)"),
                nbformat.v4.new_code_cell('check("01.1", print)')]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "slow.ipynb"
    nbformat.write(nb, path)
    g = grade.grade(path, timeout=20)
    assert "did not finish in 20 s" in g["error"]
    assert _statuses(g) == {"01.1": grade.NOT_REACHED}


def test_help_says_it_runs_the_students_code():
    done = subprocess.run([sys.executable, "-m", "rnnkit.book.grade", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "runs the student's code" in " ".join(done.stdout.split())
