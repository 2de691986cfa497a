"""The book build's parts, without running a kernel: the static dependency graph (deps), the cache's
entries and merge (cache), the build log (progress), the corpus-mirror rule (mirror), the pages'
preparation (finish) and the instructor's solved chapters (instructor).
tests/test_build_cache.py builds small books through all of them."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild import cache, deps, finish, instructor, mirror, progress  # noqa: E402


# ---------------------------------------------------------------- deps: a made-up package

def _package(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return deps.Library(root)


@pytest.fixture
def lib(tmp_path):
    """pkg: core <- helpers (relative import inside a function) <- book.views (two dots up),
    book.plots imports nothing, table.csv is named by core, notes.txt by nobody."""
    return _package(tmp_path / "pkg", {
        "__init__.py": "from .errors import Oops\n",
        "errors.py": "class Oops(Exception): pass\n",
        "core.py": "from pathlib import Path\nTABLE = Path(__file__).with_name('table.csv')\n",
        "table.csv": "a,b\n",
        "notes.txt": "read me\n",
        "helpers.py": "def f():\n    from . import core\n    return core\n",
        "lazy.py": "import importlib\nmod = importlib.import_module('pkg.helpers')\n",
        "anything.py": "import importlib\ndef load(name):\n    return importlib.import_module(name)\n",
        "book/__init__.py": "",
        "book/views.py": "from ..helpers import f\n",
        "book/plots.py": "import math\n",
    })


def _rel(lib, paths):
    return {p.relative_to(lib.root).as_posix() for p in paths}


def test_a_module_depends_on_what_it_imports_at_any_depth_and_on_the_packages_above_it(lib):
    files = _rel(lib, lib.files(lib.within({"pkg.book.views"})))
    assert files == {"book/views.py", "book/__init__.py", "helpers.py", "core.py", "table.csv",
                     "__init__.py", "errors.py", "notes.txt"}
    assert _rel(lib, lib.files(lib.within({"pkg.book.plots"}))) == {
        "book/plots.py", "book/__init__.py", "__init__.py", "errors.py", "notes.txt"}


def test_a_data_file_belongs_to_the_modules_that_name_it_else_to_its_package(lib):
    assert lib.data[lib.root / "table.csv"] == {"pkg.core"}
    assert lib.data[lib.root / "notes.txt"] == {"pkg"}


def test_dynamic_imports_count_and_a_computed_one_means_everything(lib):
    assert "pkg.helpers" in lib.imports["pkg.lazy"]
    assert lib.imports["pkg.anything"] == set(lib.modules)


def test_chapter_imports_read_code_cells_past_magics_and_shell_lines(lib):
    cells = ["%matplotlib inline\nfrom pkg.book import plots\n!pip install x", "import os\nimport pkg.core as c",
             "%%bash\necho not python"]
    assert deps.chapter_imports(cells, lib) == {"pkg", "pkg.book", "pkg.book.plots", "pkg.core"}
    assert deps.chapter_imports(["x = ("], lib) == set(lib.modules), "a cell that does not parse: all of it"
    assert deps.chapter_imports(["import math"], lib) == set()


def test_the_digest_changes_with_a_file_the_chapter_reaches_and_only_then(lib):
    mods = lib.within({"pkg.book.plots"})
    before = lib.digest(mods)
    (lib.root / "helpers.py").write_text("def f():\n    return 2\n")  # not reached from book.plots
    assert deps.Library(lib.root).digest(mods) == before
    (lib.root / "errors.py").write_text("class Oops(ValueError): pass\n")  # reached through pkg/__init__
    assert deps.Library(lib.root).digest(mods) != before


def test_a_file_the_code_names_by_path_is_a_dependency_too(tmp_path):
    (tmp_path / "table.csv").write_text("a,b\n")
    (tmp_path / "folder").mkdir()
    cells = ["rows = open('table.csv').read()\nfolder = 'folder'", "x = 'no such file'\n!cat table.csv", "y = ("]
    assert deps.named_files(cells, tmp_path) == {"table.csv": hashlib.sha256(b"a,b\n").hexdigest()}


def test_in_the_real_library_the_corpus_registry_is_a_dependency_of_rnnkit_data():
    # the corpora's sha256 are in the registry: a chapter that can read a corpus has them in its key
    rnnkit = deps.Library(ROOT / "rnnkit")
    assert "corpora.json" in {p.name for p in rnnkit.files(rnnkit.within({"rnnkit.data"}))}


# ---------------------------------------------------------------- cache: merge, entries

def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    return nb


def _md(text):
    return nbformat.v4.new_markdown_cell(text)


def _code(source, tags=()):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})


def _executed(nb):
    """nb as papermill leaves it: the injected cell after the parameters cell, outputs, metadata."""
    done = nbformat.from_dict(json.loads(json.dumps(nb)))
    at = next(i for i, c in enumerate(done.cells) if "parameters" in c.metadata.get("tags", []))
    done.cells.insert(at + 1, _code('scale = "smoke"', ["injected-parameters"]))
    for n, cell in enumerate(c for c in done.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", text=f"out {n}\n")]
        cell.execution_count = n + 1
        cell.metadata["papermill"] = {"duration": 0.1}
    done.metadata["papermill"] = {"parameters": {"scale": "smoke"}}
    return done


def test_merge_takes_markdown_and_tags_from_the_chapter_and_outputs_from_the_run():
    chapter = _notebook(_md("# Old title"), _code("x = 1"), _code('scale = "auto"', ["parameters"]), _code("x"))
    run = _executed(chapter)
    chapter.cells[0].source = "# New title"
    chapter.cells.insert(2, _md("A new paragraph."))
    chapter.cells[4].metadata["tags"] = ["hide-input"]
    merged = cache.merge(chapter, run)
    assert [c.source for c in merged.cells] == ["# New title", "x = 1", "A new paragraph.", 'scale = "auto"',
                                                'scale = "smoke"', "x"]
    assert [c.outputs[0].text for c in merged.cells if c.cell_type == "code"] == [f"out {n}\n" for n in range(4)]
    assert merged.cells[5].metadata == {"tags": ["hide-input"], "papermill": {"duration": 0.1}}
    assert merged.metadata["papermill"] == {"parameters": {"scale": "smoke"}}


def test_merge_refuses_a_run_with_other_code_cells():
    chapter = _notebook(_code('scale = "auto"', ["parameters"]), _code("x"))
    run = _executed(chapter)
    chapter.cells.append(_code("y"))
    with pytest.raises(cache.DamagedEntry, match="1 code cells, the chapter 2|2 code cells, the chapter 3"):
        cache.merge(chapter, run)


@pytest.fixture
def stored(tmp_path):
    """A cache holding one chapter's run: (cache, chapter, key, parts, entry folder)."""
    store = cache.ExecutionCache(tmp_path / "cache", ROOT / "rnnkit")
    nb = _notebook(_md("# A"), _code('scale = "auto"', ["parameters"]), _code("import rnnkit.text"))
    key, parts = store.key(nb, "chapters/a.ipynb", store.run_parts("smoke"))
    nbformat.write(_executed(nb), tmp_path / "a.ipynb")
    (tmp_path / "static" / "rnnkit-models").mkdir(parents=True)
    (tmp_path / "static" / "rnnkit-models" / "a.js").write_text("var model = 1;")
    folder = store.store("chapters/a.ipynb", "smoke", key, parts, tmp_path / "a.ipynb", tmp_path / "static", 3.0)
    return store, nb, key, parts, folder


def test_an_entry_gives_back_the_notebook_and_files_it_stored(stored):
    store, nb, key, parts, folder = stored
    entry = store.load("chapters/a.ipynb", "smoke", key)
    assert entry.files == {"rnnkit-models/a.js": b"var model = 1;"} and entry.seconds == 3.0
    assert entry.notebook.cells[-1].outputs[0].text == "out 2\n"
    assert store.load("chapters/a.ipynb", "cpu", key) is None
    assert not list((folder.parent.parent / "tmp").iterdir()), "the build left files in tmp/"


@pytest.mark.parametrize("damage", ["truncate notebook", "change a file", "drop entry.json", "drop a file"])
def test_a_damaged_entry_says_what_is_wrong_in_one_line(stored, damage):
    store, nb, key, parts, folder = stored
    if damage == "truncate notebook":
        (folder / "notebook.ipynb").write_text((folder / "notebook.ipynb").read_text()[:100])
    elif damage == "change a file":
        (folder / "files" / "rnnkit-models" / "a.js").write_text("var model = 2;")
    elif damage == "drop entry.json":
        (folder / "entry.json").unlink()
    else:
        (folder / "files" / "rnnkit-models" / "a.js").unlink()
    with pytest.raises(cache.DamagedEntry) as err:
        store.load("chapters/a.ipynb", "smoke", key)
    assert folder.name in str(err.value) and "\n" not in str(err.value)


def test_the_key_follows_code_and_execution_tags_not_markdown_or_other_tags(stored):
    store, nb, key, parts, _ = stored
    run_parts = store.run_parts("smoke")
    edited = json.loads(json.dumps(nb))
    edited["cells"][0]["source"] = "# Another title"
    edited["cells"][2]["metadata"]["tags"] = ["hide-input"]
    assert store.key(nbformat.from_dict(edited), "chapters/a.ipynb", run_parts)[0] == key
    edited["cells"][2]["metadata"]["tags"] = ["raises-exception"]
    assert store.key(nbformat.from_dict(edited), "chapters/a.ipynb", run_parts)[0] != key
    assert store.key(nb, "chapters/a.ipynb", store.run_parts("cpu"))[0] != key
    (store.folder.parent / "names.txt").write_text("Anna\n")  # a file the chapter reads by name
    named = json.loads(json.dumps(nb))
    named["cells"][2]["source"] += "\nnames = open('names.txt').read()"
    named = nbformat.from_dict(named)
    before = store.key(named, "chapters/a.ipynb", run_parts, store.folder.parent)
    (store.folder.parent / "names.txt").write_text("Anna\nBob\n")
    after = store.key(named, "chapters/a.ipynb", run_parts, store.folder.parent)
    assert after[0] != before[0] and after[1]["code"] == before[1]["code"]
    edited = json.loads(json.dumps(nb))
    edited["cells"][2]["source"] += "\n"
    new_key, new_parts = store.key(nbformat.from_dict(edited), "chapters/a.ipynb", run_parts)
    assert new_key != key and store.why("chapters/a.ipynb", "smoke", new_parts) == "its code changed"


def test_a_new_entry_replaces_the_chapters_older_one_and_a_dead_builds_leftovers(stored, tmp_path):
    store, nb, key, parts, folder = stored
    leftover = store.folder / "tmp" / "999999999-deadbeef"  # no such process
    leftover.mkdir()
    newer = store.store("chapters/a.ipynb", "smoke", "f" * 64, parts, tmp_path / "a.ipynb", tmp_path / "none", 1.0)
    assert [p.name for p in (store.folder / "entries").iterdir()] == [newer.name]
    assert not leftover.exists()


def test_timings_are_kept_per_scale(tmp_path):
    store = cache.ExecutionCache(tmp_path / "cache", ROOT / "rnnkit")
    assert store.timings("cpu") == {}
    store.record_timings("cpu", {"a": 100.04})
    store.record_timings("smoke", {"a": 2.0})
    store.record_timings("cpu", {"b": 50.0})
    assert store.timings("cpu") == {"a": 100.0, "b": 50.0} and store.timings("smoke") == {"a": 2.0}
    (tmp_path / "cache" / "timings.json").write_text("{not json")
    assert store.timings("cpu") == {}


# ---------------------------------------------------------------- progress: the log

class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_log_says_one_line_per_chapter_with_the_time_left():
    lines, clock = [], Clock()
    p = progress.Progress(["ch/a.ipynb", "ch/bb.ipynb", "ch/c.ipynb"], {"ch/bb.ipynb": 300.0, "ch/c.ipynb": 60.0},
                          jobs=2, log=lines.append, clock=clock)
    p.cached("ch/a.ipynb")
    assert p.order(["ch/c.ipynb", "ch/bb.ipynb"]) == ["ch/bb.ipynb", "ch/c.ipynb"]
    # without a timing of its own, a known chapter's typical time orders it; an unknown one goes first
    assert p.order(["x/02_helo.ipynb", "x/10_inside_lstm.ipynb", "x/new.ipynb", "ch/bb.ipynb"]) == [
        "x/new.ipynb", "x/10_inside_lstm.ipynb", "ch/bb.ipynb", "x/02_helo.ipynb"]
    p.start(["ch/bb.ipynb", "ch/c.ipynb"], "cpu", cached=1)
    clock.now = 61.0
    p.executed("ch/c.ipynb", 61.0, "its code changed")  # bb has had 61 of its 300 s (x 61/60)
    p.failed("ch/bb.ipynb", "ch/bb.ipynb: cell index 3 raised ValueError: no\n    line 2: f(x)")
    assert "\n".join(lines).splitlines() == [
        "[1/3] a   cached",
        "executing 2 of 3 chapters at scale=cpu, 2 at a time (1 cached); about 5 min by the last build",
        "[2/3] c   executed    61.0 s  its code changed; about 4 min left",
        "[3/3] bb  FAILED",
        "    ch/bb.ipynb: cell index 3 raised ValueError: no",
        "        line 2: f(x)"]


def test_the_time_left_follows_this_builds_pace_and_the_slots():
    lines, clock = [], Clock()
    p = progress.Progress(["x", "y"], {"x": 100.0, "y": 100.0}, jobs=1, log=lines.append, clock=clock)
    p.start(["x", "y"], "cpu", cached=0)  # one after the other: 200 s
    clock.now = 50.0
    p.executed("x", 50.0)  # twice as fast as last time; y starts now
    clock.now = 150.0
    assert lines == ["executing 2 of 2 chapters at scale=cpu, 1 at a time; about 3 min by the last build",
                     "[1/2] x  executed    50.0 s  about 50 s left"] and p.left() == "almost done"


def test_no_estimate_without_timings_for_every_chapter_left():
    lines = []
    p = progress.Progress(["a", "b"], {"a": 10.0}, jobs=1, log=lines.append)
    p.start(["a", "b"], "smoke", cached=0)
    assert lines == ["executing 2 of 2 chapters at scale=smoke, 1 at a time"]
    assert [progress.duration(s) for s in (40, 89.6, 400, 7300)] == ["40 s", "90 s", "7 min", "2 h 02 min"]


# ---------------------------------------------------------------- mirror: one rule

def test_the_mirror_rule_is_the_environment_then_the_sibling_folder(monkeypatch):
    monkeypatch.setenv("RNNKIT_MIRROR", "/somewhere/else")
    assert mirror.default_mirror() == Path("/somewhere/else")
    monkeypatch.delenv("RNNKIT_MIRROR")
    want = mirror.SIBLING if (mirror.SIBLING / "SOURCES.md").is_file() else None
    assert mirror.default_mirror() == want
    env = {k: v for k, v in os.environ.items() if k != "RNNKIT_MIRROR"}
    printed = subprocess.run([sys.executable, str(ROOT / "tools" / "bookbuild" / "mirror.py")], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
    assert printed == str(want or "")
    made = subprocess.run(["make", "-s", "-p", "-n", "-f", str(ROOT / "Makefile"), "clean"], cwd=ROOT, env=env,
                          capture_output=True, text=True).stdout
    assert f"RNNKIT_MIRROR := {want or ''}".strip() in [line.strip() for line in made.splitlines()]


# ---------------------------------------------------------------- finish and instructor

def test_the_checks_own_output_type_is_dropped_before_the_pages_are_built(tmp_path):
    from rnnkit.book.exercises.core import MIME
    assert finish.CHECK_MIME == MIME
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: chapters/a\n")
    nb = _notebook(_code('scale = "auto"', ["parameters"]), _code('check("01.1", step)'))
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", data={
        "text/plain": "01.1 Not yet", "text/html": "<div>01.1 Not yet</div>", MIME: {"id": "01.1"}})]
    nbformat.write(nb, tmp_path / "chapters" / "a.ipynb")
    finish.prepare_pages(tmp_path)
    data = nbformat.read(tmp_path / "chapters" / "a.ipynb", as_version=4).cells[1].outputs[0]["data"]
    assert set(data) == {"text/plain", "text/html"}


def test_the_instructor_chapter_has_the_solution_and_its_notes_after_the_check(tmp_path):
    (tmp_path / "ch01.py").write_text(
        "import math\n\n\ndef step(x):\n    return math.tanh(x)  # the reference\n\n\n"
        "SOLUTIONS = {'01.1': step}\nNOTES = {'01.1': 'tanh, nothing more.'}\nWRONG = {}\n")
    nb = json.loads(nbformat.writes(_notebook(
        _code("def step(x):\n    ...", ["exercise:01.1"]), _code('check("01.1", step)'), _md("## Next"))))
    assert instructor.solve_notebook(nb, tmp_path) == ["01.1"]
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert sources[0].startswith("import math") and "return math.tanh(x)  # the reference" in sources[0]
    assert sources[1] == 'check("01.1", step)'
    assert sources[2].startswith("<details><summary>Solution notes for 01.1</summary>")
    assert "tanh, nothing more." in sources[2] and sources[3] == "## Next"
    namespace = {}
    exec(sources[0], namespace)
    assert namespace["step"](0.0) == 0.0


def test_the_instructor_book_is_keyed_apart_from_the_students(tmp_path):
    student = cache.ExecutionCache(tmp_path, ROOT / "rnnkit")
    teacher = cache.ExecutionCache(tmp_path, ROOT / "rnnkit", variant="instructor")
    nb = _notebook(_code('scale = "auto"', ["parameters"]), _code("x = 1"))
    assert "book" not in student.run_parts("smoke")  # the students' keys are unchanged
    assert (student.key(nb, "chapters/a.ipynb", student.run_parts("smoke"))[0]
            != teacher.key(nb, "chapters/a.ipynb", teacher.run_parts("smoke"))[0])


def test_no_chapter_depends_on_the_whole_library():
    """A computed import (importlib with a name built at run time) makes a chapter depend on every
    module, so any library edit would re-run it: the real chapters must have none on their path.
    Chapter 6 depends on syntax.py (it imports it), chapter 4 must not."""
    lib = deps.Library(ROOT / "rnnkit")
    every = {str(f) for f in lib.files(set(lib.modules))}
    seen = {}
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        cells = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        mods = deps.chapter_imports(cells, lib)
        files = {str(f) for f in lib.files(mods)}
        assert files < every, f"{path.name} depends on the whole library"
        seen[path.name[:2]] = files
    syntax = str(ROOT / "rnnkit" / "book" / "syntax.py")
    assert syntax in seen["06"] and syntax not in seen["04"]


def test_a_heavy_output_moves_to_a_script_loaded_near_the_viewport_and_the_rest_stays(tmp_path):
    heavy = '<div class="v">' + "<span>x</span>" * (finish.LAZY_TAGS + 1) + "</div>"
    light = '<div class="output text_html"><div><b>a</b></div></div>'
    live = '<div class="output text_html"><div>' + "<span>x</span>" * 400 + '<input aria-label="t"></div></div>'
    text = f'<html><body><div class="output text_html">{heavy}</div><p>between</p>{light}{live}</body></html>'
    page = tmp_path / "chapters" / "10_x.html"
    page.parent.mkdir()
    done = finish.defer_heavy_outputs(text, page, tmp_path)
    moved = list((tmp_path / "_static" / finish.LAZY_DIR).glob("*.js"))
    assert [p.name[:7] for p in moved] == ["10_x-1-"] and heavy not in done
    assert moved[0].read_text() == f'rnnkitLazy("rnnkit-lazy-1", {json.dumps(heavy)});\n'
    assert f'<div class="rnnkit-lazy" id="rnnkit-lazy-1" data-src="../_static/rnnkit-lazy/{moved[0].name}">' in done
    assert light in done and live in done and "<p>between</p>" in done and "drawn when it scrolls into view" in done
    assert done.count("<script>") == 1 and done.index("<script>") > done.index("between")
    assert finish.defer_heavy_outputs(done, page, tmp_path) == done  # a second pass changes nothing
    assert finish.defer_heavy_outputs(light + live, page, tmp_path) == light + live  # nothing heavy: no loader


def test_an_output_figure_loads_lazily_and_keeps_its_size(tmp_path):
    import struct
    import zlib
    (tmp_path / "_images").mkdir()
    (tmp_path / "chapters").mkdir()
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 690, 360) + b"\x08\x02\x00\x00\x00"
    (tmp_path / "_images" / "f.png").write_bytes(png + struct.pack(">I", zlib.crc32(png[12:29])))
    page = tmp_path / "chapters" / "c.html"
    text = ('<img alt="Colab logo" src="../_static/images/logo_colab.png">'
            '<a class="rnnkit-full-size" href="../_images/f.png"><img alt="a plot" src="../_images/f.png" /></a>'
            '<img alt="gone" src="../_images/missing.png" />')
    done = finish.lazy_figures(text, page)
    assert '<img alt="Colab logo" src="../_static/images/logo_colab.png">' in done  # the theme's own: as it was
    assert '<img alt="a plot" src="../_images/f.png" width="690" height="360" loading="lazy" decoding="async" />' in done
    assert '<img alt="gone" src="../_images/missing.png" loading="lazy" decoding="async" />' in done
    assert finish.lazy_figures(done, page) == done


def test_the_stylesheet_keeps_only_the_rules_the_site_can_use(tmp_path):
    from bookbuild import purgecss
    css = ('/* a comment { } */ body{margin:0} .used,.gone{color:red} .gone>.x{top:0} #nav .used{x:1}'
           '@media (min-width:960px){.gone{a:1}.used:not(.gone){b:2}}@media print{.gone{c:3}}'
           '@font-face{font-family:F;src:url("f.woff")}@keyframes k{from{opacity:0}to{opacity:1}}'
           '.shown-by-js{d:4} :is(.gone){e:5} .sm\\:gone{f:6} .q::before{content:"}{"}'
           '@import url("x.css");html[data-theme=dark]{--c:#fff}')
    (tmp_path / "_static").mkdir()
    (tmp_path / "p.html").write_text('<div class="used q" id="nav"></div><span class=\'single\'>s</span>')
    (tmp_path / "_static" / "t.js").write_text('el.classList.add("shown-by-js")')
    words = purgecss.site_words(tmp_path)
    assert {"used", "q", "nav", "shown-by-js", "single"} <= words and "gone" not in words
    assert purgecss.purge(".single{g:7}", words) == ".single{g:7}"  # a view's class='...' counts too
    out = purgecss.purge(css, words)
    assert "body{margin:0}" in out and ".used{color:red}" in out and "#nav .used{x:1}" in out
    assert ".gone" not in out.replace(":not(.gone)", "").replace(":is(.gone)", "").replace(".sm\\:gone", "")
    assert "@media (min-width:960px){.used:not(.gone){b:2}}" in out and "@media print" not in out  # emptied: gone
    assert "@font-face{font-family:F" in out and "@keyframes k{from{opacity:0}to{opacity:1}}" in out
    assert ".shown-by-js{d:4}" in out and ":is(.gone){e:5}" in out and ".sm\\:gone{f:6}" in out  # not judged: kept
    assert '.q::before{content:"}{"}' in out and '@import url("x.css");' in out and "html[data-theme=dark]" in out
    assert "a comment" not in out and purgecss.purge(out, words) == out
