"""The tree's three rooms: the article's path (rnnkit/*.py) <- the course's tasks (rnnkit/tasks/)
<- the book's helpers (rnnkit/book/). Imports run that way only, no module reaches for another
module's private name, and every module stays a file a reader finishes in one sitting."""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "rnnkit"
ROOMS = {"core": 0, "tasks": 1, "book": 2}
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def room(module):
    """'rnnkit.tasks.gpt' -> 'tasks'; 'rnnkit.model' -> 'core'."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in ROOMS else "core"


def modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        yield name, path, path.name == "__init__.py"


def imports(name, path, is_package):
    """(imported module, [names]) for every import of rnnkit in the file, made absolute."""
    package = name if is_package else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("rnnkit"):
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("rnnkit"):
                yield target, [a.name for a in node.names]


def submodule(target, name):
    """`from rnnkit import data` names a module, not an attribute: the module is rnnkit.data."""
    full = f"{target}.{name}"
    return full if (PKG.parent / Path(*full.split("."))).with_suffix(".py").exists() or \
        (PKG.parent / Path(*full.split("."))).is_dir() else None


ALL = list(modules())


@pytest.mark.parametrize("name,path,is_package", ALL, ids=[m[0] for m in ALL])
def test_imports_run_one_way_and_reach_no_private_name(name, path, is_package):
    mine = ROOMS[room(name)]
    for target, names in imports(name, path, is_package):
        for module in [submodule(target, n) or target for n in names] or [target]:
            assert ROOMS[room(module)] <= mine, f"{name} imports {module}: an upward import"
        private = [n for n in names if n.startswith("_") and not submodule(target, n)]
        assert not private, f"{name} imports {private} from {target}: another module's private name"


def test_the_rule_catches_an_upward_and_a_private_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .book import plots\nfrom .data import _entry\n")
    found = list(imports("rnnkit.bad", bad, False))
    assert ("rnnkit.book", ["plots"]) in found and ("rnnkit.data", ["_entry"]) in found
    assert room(submodule("rnnkit.book", "plots")) == "book" and ROOMS["book"] > ROOMS["core"]


@pytest.mark.parametrize("name,path,is_package", ALL, ids=[m[0] for m in ALL])
def test_modules_and_functions_stay_short(name, path, is_package):
    text = path.read_text()
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{name}: {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name}: {length} lines"
