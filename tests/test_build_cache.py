"""The book build's execution cache, on a small book of three tiny chapters (seconds each, at smoke
scale), built the way `make book` builds the real one:

    a  imports rnnkit.book.glue and glues a number its markdown cites
    b  imports rnnkit.text
    c  imports nothing from rnnkit and writes a file to the book's static folder (as the live
       panels write their models)

The first build runs the command itself (its log is what a newcomer reads); the other tests start
from a copy of its cache, so each one changes only what it names.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402
from bookbuild import execute, sources  # noqa: E402
from bookbuild.cache import ExecutionCache  # noqa: E402

LIBRARY = ROOT / "rnnkit"
CHAPTERS = {
    "a": ("The answer is {glue:}`a_answer`.", "from rnnkit.book.glue import glue\n_ = glue('a_answer', 6 * 7)"),
    "b": ("A chapter that imports rnnkit.text.", "from rnnkit import text\nprint(text.__name__, scale)"),
    "c": ("A chapter with no rnnkit in it.",
          "import math, os, pathlib\nmodels = pathlib.Path(os.environ['RNNKIT_BOOK_STATIC']) / 'rnnkit-models'\n"
          "models.mkdir(parents=True, exist_ok=True)\n(models / 'c.js').write_text('var c = %.3f;' % math.pi)"),
}
ALL = {f"chapters/{name}.ipynb" for name in CHAPTERS}


def _write_book(book):
    (book / "chapters").mkdir(parents=True)
    (book / "_config.yml").write_text((ROOT / "_config.yml").read_text())
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/intro\nchapters:\n"
                                   + "".join(f"  - file: chapters/{name}\n" for name in CHAPTERS))
    (book / "chapters" / "intro.md").write_text("# A small book\n\nThree chapters to test the build cache.\n")
    for name, (words, code) in CHAPTERS.items():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# Chapter {name.upper()}\n\n{words}"),
                    nbformat.v4.new_code_cell('scale = "auto"\nseed = 0', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
        nbformat.write(nb, book / "chapters" / f"{name}.ipynb")
    return book


def _command(book, out, *args):
    return [sys.executable, str(ROOT / "tools" / "build_book.py"), "--book", str(book), "--out", str(out),
            "--scale", "smoke", *map(str, args)]


def _edit(book, name, change):
    """Change one chapter of `book` in place: change(notebook) edits its cells."""
    path = book / "chapters" / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)
    return nb


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The small book built once from nothing, by the command `make book` runs."""
    base = tmp_path_factory.mktemp("cachebook")
    book, out = _write_book(base / "book"), base / "out"
    done = subprocess.run(_command(book, out, "--jobs", 2), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return SimpleNamespace(book=book, out=out, html=out / "_build" / "html", cache=out / "_build" / "cache",
                           stdout=done.stdout, stderr=done.stderr)


@pytest.fixture
def copy(first, tmp_path):
    """This test's own copies of the first build's book and cache."""
    return SimpleNamespace(book=shutil.copytree(first.book, tmp_path / "book"),
                           cache=shutil.copytree(first.cache, tmp_path / "cache"))


def _execute(tmp_path, book, cache, library=LIBRARY, fresh=False):
    """Execute a book's chapters through the cache, as a build does: ({chapter: s}, log lines, src)."""
    src = sources.prepare_sources(tmp_path / "src", book=book)
    lines = []
    times, failures = execute.execute_all(src, "smoke", jobs=2, log=lines.append,
                                          cache=ExecutionCache(cache, library), fresh=fresh)
    assert not failures, failures
    return times, lines, src


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- from nothing, then again

def test_a_clean_build_executes_every_chapter_with_one_quiet_line_each(first):
    lines = first.stdout.splitlines()
    assert lines[0] == "executing 3 of 3 chapters at scale=smoke, 2 at a time"
    ran = [re.fullmatch(r"\[\d/3\] ([abc])  executed +[\d.]+ s  not run before", line) for line in lines[1:4]]
    assert all(ran) and {m.group(1) for m in ran} == set(CHAPTERS), lines
    assert re.fullmatch(r"3 chapters \(3 executed, 0 cached\) in .*: .* in all", lines[4]), lines[4]
    assert lines[5] == f"book: {first.html / 'index.html'}" and len(lines) == 6
    noise = [line for line in first.stderr.splitlines() if not line.startswith("build_book: not vendored")]
    assert not noise, f"the kernels' messages reached the terminal: {noise}"
    assert "42" in (first.html / "chapters" / "a.html").read_text()
    assert (first.html / "_static" / "rnnkit-models" / "c.js").read_text() == "var c = 3.142;"


def test_a_second_build_executes_nothing_and_gives_the_same_html(first, copy, tmp_path):
    lines = []
    html, times = build_book.build(tmp_path / "out", "smoke", jobs=2, cache=copy.cache, book=first.book,
                                   log=lines.append)
    assert times == {}
    assert [line.split()[-1] for line in lines[:3]] == ["cached"] * 3
    again, before = _files(html), _files(first.html)
    assert again.keys() == before.keys()
    assert [name for name in again if again[name] != before[name]] == []


def test_a_markdown_edit_executes_nothing_and_the_page_shows_it(copy, tmp_path):
    _edit(copy.book, "a", lambda nb: setattr(nb.cells[0], "source", nb.cells[0].source + "\n\nA sentence just added."))
    html, times = build_book.build(tmp_path / "out", "smoke", jobs=2, cache=copy.cache, book=copy.book,
                                   log=lambda *_: None)
    page = (html / "chapters" / "a.html").read_text()
    assert times == {} and "A sentence just added." in page
    assert re.search(r"The answer is <span[^>]*>42</span>", page), "the glued number is gone"


# ---------------------------------------------------------------- what runs again

def test_a_code_edit_executes_that_chapter_only(copy, tmp_path):
    _edit(copy.book, "b", lambda nb: setattr(nb.cells[2], "source", nb.cells[2].source + "\nprint('edited')"))
    times, lines, src = _execute(tmp_path, copy.book, copy.cache)
    assert times.keys() == {"chapters/b.ipynb"}
    assert any(re.fullmatch(r"\[\d/3\] b  executed +[\d.]+ s  its code changed", line) for line in lines), lines
    outputs = nbformat.read(src / "chapters" / "b.ipynb", as_version=4).cells[-1].outputs
    assert "edited" in "".join(o.get("text", "") for o in outputs)
    assert _execute(tmp_path, copy.book, copy.cache)[0] == {}, "the new run was not cached"


def test_a_library_change_executes_exactly_the_chapters_that_import_it(copy, tmp_path):
    library = shutil.copytree(LIBRARY, tmp_path / "lib" / "rnnkit", ignore=shutil.ignore_patterns("__pycache__"))
    assert _execute(tmp_path, copy.book, copy.cache, library)[0] == {}, "a copy of the library is the same library"
    with open(library / "book" / "glue.py", "a") as f:
        f.write("\n# a change that only chapter a imports\n")
    times, lines, _ = _execute(tmp_path, copy.book, copy.cache, library)
    assert times.keys() == {"chapters/a.ipynb"}
    assert any(line.endswith("the library it imports changed") for line in lines), lines
    with open(library / "__init__.py", "a") as f:
        f.write("\n# a change every importer of rnnkit sees\n")
    assert _execute(tmp_path, copy.book, copy.cache, library)[0].keys() == {"chapters/a.ipynb", "chapters/b.ipynb"}


def test_a_damaged_entry_is_executed_again_with_one_line_saying_so(copy, tmp_path):
    entries = {p.name.split(".")[0]: p for p in (copy.cache / "entries").iterdir()}
    notebook = entries["c"] / "notebook.ipynb"
    notebook.write_text(notebook.read_text()[: len(notebook.read_text()) // 2])  # cut short
    (entries["b"] / "entry.json").unlink()  # a partial entry
    times, lines, src = _execute(tmp_path, copy.book, copy.cache)
    assert times.keys() == {"chapters/b.ipynb", "chapters/c.ipynb"}
    said = [line for line in lines if line.startswith("cache: ")]
    assert len(said) == 2 and all("\n" not in line and "Traceback" not in line for line in said), said
    assert any(entries["b"].name in line for line in said) and any(entries["c"].name in line for line in said)
    assert (src / "_vendor" / "rnnkit-models" / "c.js").is_file()
    assert _execute(tmp_path, copy.book, copy.cache)[0] == {}, "the entries were not stored again"


def test_fresh_executes_every_chapter_and_caches_what_it_ran(copy, tmp_path):
    assert _execute(tmp_path, copy.book, copy.cache, fresh=True)[0].keys() == ALL
    assert _execute(tmp_path, copy.book, copy.cache)[0] == {}
    make = [subprocess.run(["make", "-n", "book", *flag], cwd=ROOT, capture_output=True, text=True).stdout
            for flag in (["FRESH=1"], [], ["FRESH=0"])]
    assert ["--fresh" in text for text in make] == [True, False, False]


def test_a_failing_chapter_shows_its_cell_line_and_error_and_is_not_cached(copy, tmp_path):
    broken = _edit(copy.book, "c", lambda nb: nb.cells.append(nbformat.v4.new_code_cell("x = 1\n1 / 0")))
    done = subprocess.run(_command(copy.book, tmp_path / "out", "--cache", copy.cache), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode != 0
    assert re.search(r"^\[\d/3\] c  FAILED$", done.stdout, re.M), done.stdout
    assert re.search(r"chapters/c\.ipynb: cell index 3 \(execution count \d+\) raised ZeroDivisionError: "
                     r"division by zero\n +line 2: 1 / 0", done.stderr), done.stderr
    assert "chapters failed, no HTML built" in done.stderr and "IPKernelApp" not in done.stdout + done.stderr
    store = ExecutionCache(copy.cache, LIBRARY)
    key, _ = store.key(broken, "chapters/c.ipynb", store.run_parts("smoke"))
    assert store.load("chapters/c.ipynb", "smoke", key) is None, "a failed chapter was cached"


# ---------------------------------------------------------------- two builds at once

def _summary(stdout):
    return int(re.search(r"^3 chapters \((\d) executed", stdout, re.M).group(1))


def test_two_builds_at_once_share_a_cache_and_a_folder_safely(first, tmp_path):
    shared = tmp_path / "shared-cache"  # two folders, one cache: both store every chapter at once
    builds = [subprocess.Popen(_command(first.book, tmp_path / f"out{i}", "--cache", shared, "--jobs", 1),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    done = [b.communicate(timeout=600) + (b.returncode,) for b in builds]
    assert [rc for *_, rc in done] == [0, 0], done
    assert _execute(tmp_path, first.book, shared)[0] == {}, "the cache two builds wrote is not whole"
    assert not list((shared / "tmp").iterdir())
    # one folder: the second build waits for the first, then finds every chapter in the cache
    builds = [subprocess.Popen(_command(first.book, tmp_path / "out3", "--jobs", 2), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in (1, 2)]
    done = [b.communicate(timeout=600) + (b.returncode,) for b in builds]
    assert [rc for *_, rc in done] == [0, 0], done
    assert sorted(_summary(out) for out, *_ in done) == [0, 3]
