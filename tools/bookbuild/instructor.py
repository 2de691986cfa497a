"""The instructor's book: the chapters with every exercise solved, and the notes under each check.

`solve(src)` edits the copied sources of a build (never the committed chapters): each code cell
tagged `exercise:NN.k` gets the reference solution's source from solutions/chNN.py (with that
module's imports), and a collapsed "Solution notes for NN.k" cell follows the exercise's check.
Only this module reads solutions/; the student build never imports it.
"""
import ast
import importlib.util
import inspect
import json
import re
import uuid
from pathlib import Path

from .sources import ROOT, notebooks

SOLUTIONS = ROOT / "solutions"
TAG = re.compile(r"^exercise:(\d\d)\.(\d+)$")


def load(chapter, folder=SOLUTIONS):
    """solutions/chNN.py as a module (it is not in a package on purpose: nothing installs it)."""
    path = Path(folder) / f"ch{chapter}.py"
    spec = importlib.util.spec_from_file_location(f"rnnkit_solutions_ch{chapter}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _imports(module):
    """The module's top-level import lines, which the solution functions rely on."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    return [ast.get_source_segment(source, node) for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom))]


def solution_source(module, exercise_id):
    """The cell text that replaces the stub: the imports, then the solution function's source."""
    fn = module.SOLUTIONS[exercise_id]
    return "\n".join(_imports(module)) + "\n\n\n" + inspect.getsource(fn).rstrip("\n")


def _notes_cell(exercise_id, note):
    text = f"<details><summary>Solution notes for {exercise_id}</summary>\n\n{note}\n</details>"
    return {"cell_type": "markdown", "id": f"sol-{uuid.uuid4().hex[:8]}", "metadata": {},
            "source": text.splitlines(True)}


def _exercise_id(cell):
    for tag in cell.get("metadata", {}).get("tags", []):
        match = TAG.match(tag)
        if match:
            return f"{match[1]}.{match[2]}"
    return None


def solve_notebook(nb, folder=SOLUTIONS):
    """Put solutions and notes into one notebook (a dict); returns the ids solved."""
    solved, cells = [], []
    pending = {}  # id -> its note, waiting for the check cell
    for cell in nb["cells"]:
        exercise_id = _exercise_id(cell) if cell["cell_type"] == "code" else None
        if exercise_id:
            module = load(exercise_id[:2], folder)
            cell["source"] = solution_source(module, exercise_id).splitlines(True)
            pending[exercise_id] = module.NOTES[exercise_id]
            solved.append(exercise_id)
        cells.append(cell)
        text = "".join(cell["source"])
        for waiting in list(pending):
            if cell["cell_type"] == "code" and re.search(rf"""\bcheck\(\s*["']{re.escape(waiting)}["']""", text):
                cells.append(_notes_cell(waiting, pending.pop(waiting)))
    nb["cells"] = cells
    return solved


def solve(src, folder=SOLUTIONS):
    """Solve every chapter under the build folder `src`; returns {chapter file: [ids]}."""
    done = {}
    for path in notebooks(src):
        nb = json.loads(path.read_text(encoding="utf-8"))
        ids = solve_notebook(nb, folder)
        if ids:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            done[path.name] = ids
    return done
