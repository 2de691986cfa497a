"""The book: notebook conventions, a smoke-scale build, the pages in a real offline browser, and
a chapter run the way a new Colab user runs it.

The chapters are executed once per session (fixture `executed`) and the HTML is built from those
executed notebooks, exactly as tools/build_book.py does for `make book`.
"""
import ast
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402

WORK = ROOT / "_build" / "test"  # this suite's build; `make book` owns _build/html
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"]


def _committed_chapters():
    """chapters/*.ipynb as committed (others' work in progress is not yet the book's)."""
    try:
        names = subprocess.run(["git", "ls-files", "chapters/*.ipynb"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: take what is there
        return sorted((ROOT / "chapters").glob("*.ipynb"))
    return sorted(ROOT / n for n in names if (ROOT / n).is_file())


CHAPTERS = _committed_chapters()


def _ids(paths):
    return [p.name for p in paths]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# ---------------------------------------------------------------- conventions (no execution)

def test_toc_lists_the_chapters_in_order():
    names = [p.relative_to(ROOT).with_suffix("").as_posix() for p in build_book.toc_files(ROOT)]
    assert names[:3] == ["chapters/intro", "chapters/01_rnn_api", "chapters/02_helo"]
    orphans = {p.relative_to(ROOT).with_suffix("").as_posix() for p in CHAPTERS} - set(names)
    assert not orphans, f"committed chapters missing from _toc.yml (add them): {sorted(orphans)}"


def test_colab_launch_buttons_use_the_repository():
    assert REPO_URL.startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert CONFIG["repository"]["branch"] == "main"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in the metadata"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_first_code_cell_installs_rnnkit_from_the_repository(path):
    first = _code_cells(nbformat.read(path, as_version=4))[0].source
    assert "import rnnkit" in first and "except ImportError" in first, f"{path.name}: no install cell"
    defaults = [node.args[1].value for node in ast.walk(ast.parse(first))
                if isinstance(node, ast.Call) and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == "RNNKIT_INSTALL_FROM"]
    assert defaults == [f"git+{REPO_URL}"], \
        f"{path.name}: install cell must default to git+{REPO_URL} (the URL in _config.yml)"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_one_parameters_cell_with_scale_and_seed(path):
    code = _code_cells(nbformat.read(path, as_version=4))
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [1], f"{path.name}: the second code cell (only) must be tagged 'parameters'"
    values = {node.targets[0].id: ast.literal_eval(node.value)
              for node in ast.parse(code[1].source).body if isinstance(node, ast.Assign)}
    assert values.get("scale") == "auto" and isinstance(values.get("seed"), int), \
        f"{path.name}: parameters must set scale = \"auto\" and seed = <int>, got {values}"


def test_missing_vendored_files_fall_back_to_the_cdn(tmp_path, monkeypatch):
    monkeypatch.setattr(build_book, "VENDOR", tmp_path / "no-vendor")
    src = build_book.prepare_sources(tmp_path / "src")
    sphinx = yaml.safe_load((src / "_config.yml").read_text())["sphinx"]["config"]
    assert sphinx["mathjax_path"].startswith("https://")
    scripts = sphinx["nb_ipywidgets_js"]
    assert [k for k in scripts if not k.startswith("https://")] == ["rnnkit-static/widgets-setup.js"]
    assert scripts["rnnkit-static/widgets-setup.js"]["data-manager-dist"].startswith("https://")


def test_a_failing_cell_is_reported_with_chapter_and_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('scale = "auto"\nseed = 0', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(build_book.ChapterError, match=r"^broken\.ipynb: cell index 3 .*ZeroDivisionError"):
        build_book.execute(path, "smoke", tmp_path)


# ---------------------------------------------------------------- execute once, build once

@pytest.fixture(scope="session")
def executed():
    """Every chapter run once at smoke scale in _build/test/src; failures kept, not raised."""
    subprocess.run(["bash", str(ROOT / "tools" / "vendor.sh")], check=True)
    src = build_book.prepare_sources(WORK / "src")
    # two at a time: conftest pins one thread per process, and the machine has two cores
    _, failures = build_book.execute_all(src, "smoke", jobs=2, log=lambda *_: None)
    return src, failures


@pytest.fixture(scope="session")
def html(executed):
    src, failures = executed
    if failures:
        pytest.fail("book not built: chapters failed to execute:\n" + "\n".join(failures))
    try:
        return build_book.build_html(src, WORK)
    except RuntimeError as err:
        pytest.fail(str(err))


def test_every_chapter_executes_at_smoke_scale(executed):
    _, failures = executed
    assert not failures, "\n".join(failures)


def test_book_builds_with_no_warnings(html):
    for page in _pages(html):
        assert page.is_file(), f"missing page {page}"


def test_chapters_have_colab_links(html):
    for nb in build_book.notebooks(ROOT):
        rel = nb.relative_to(ROOT).as_posix()
        page = (html / rel).with_suffix(".html").read_text()
        want = f"https://colab.research.google.com/github/{REPO_URL.removeprefix('https://github.com/')}/blob/main/{rel}"
        assert want in page, f"{rel}: no Colab launch link {want}"


def _pages(html):
    return [(html / p.relative_to(ROOT)).with_suffix(".html") for p in build_book.toc_files(ROOT)]


# ---------------------------------------------------------------- the pages in a real browser

# Known, harmless messages that are not ours: Jupyter Book 1 adds sphinx-thebe's config script
# twice to every page; the theme finds no saved light/dark choice under file://.
KNOWN_NOISE = ("Identifier 'THEBE_JS_URL' has already been declared", "Got invalid theme mode")


class OfflinePage:
    """A browser tab that may only read file:// URLs, recording whatever went wrong."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.blocked, self.failed, self.errors = [], [], []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path):
        self.page.goto(path.as_uri(), wait_until="load")
        return self.page

    def problems(self):
        errors = [e for e in self.errors if not e.startswith(KNOWN_NOISE)]
        return {"blocked (network)": self.blocked, "failed": self.failed, "errors": errors}


def test_every_page_renders_offline_with_typeset_math(html, browser):
    with_math = 0
    for path in _pages(html):
        tab = OfflinePage(browser)
        page = tab.open(path)
        heading = page.locator("article h1").first.inner_text().strip().rstrip("#").strip()
        assert heading and heading in page.title(), f"{path.name}: no title"
        assert len(page.locator("article").first.inner_text()) > 300, f"{path.name}: no content"
        if 'class="math notranslate' in path.read_text():
            page.wait_for_selector("mjx-container", timeout=20_000)
            assert page.locator("mjx-container[jax='CHTML']").count() > 0
            assert page.locator("mjx-merror").count() == 0, f"{path.name}: MathJax errors"
            with_math += 1
        page.wait_for_timeout(300)  # let late requests (fonts) settle
        assert not any(tab.problems().values()), f"{path.name}: {tab.problems()}"
        page.close()
    assert with_math, "no page with formulas was checked"


def test_temperature_slider_works_in_the_static_page(html, browser):
    pages = [p for p in _pages(html) if "rnnkit-temperature-slider" in p.read_text()]
    assert pages, "no chapter in _toc.yml shows a temperature slider"
    tab = OfflinePage(browser)
    page = tab.open(pages[0])
    widget = page.locator(".rnnkit-temperature-slider").first
    widget.locator(".noUi-handle").wait_for(timeout=30_000)  # the widget manager rendered it

    def shown():
        readout = widget.locator(".widget-readout").first.inner_text()
        texts = widget.locator(".rnnkit-sample").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent)")
        assert len(texts) == 1, f"expected one visible sample, got {len(texts)}"
        return readout, texts[0]

    before = shown()
    widget.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    after = shown()
    assert float(after[0]) < float(before[0]), f"the slider did not move: {before[0]} -> {after[0]}"
    assert after[1] != before[1], "moving the slider did not change the sample"

    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(WORK / "slider.png"))
    assert not any(tab.problems().values()), tab.problems()
    page.close()


# ---------------------------------------------------------------- a new Colab user

COLAB_PACKAGES = ["torch==2.13.0", "papermill", "ipykernel", "matplotlib", "ipywidgets"]  # what Colab has; torch: the local CPU wheel


def _colab_venv():
    """A venv with only what a fresh Colab kernel has that matters here; cached on pyproject."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + repr((COLAB_PACKAGES, sys.version)).encode())
    venv = ROOT / "_build" / "colab-venv" / key.hexdigest()[:12]
    if not (venv / ".ready").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *COLAB_PACKAGES],
                       check=True, timeout=900)
        (venv / ".ready").touch()
    return venv


def _checkout_copy(dest):
    """The repository as a clone would have it (tracked and new, not ignored, files)."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


def test_a_new_colab_user_installs_rnnkit_and_runs_a_chapter(tmp_path):
    venv = _colab_venv()
    python = str(venv / "bin" / "python")
    # A cached venv keeps rnnkit's dependencies (Colab has them too), but never rnnkit itself.
    # (Run away from the checkout: its rnnkit/ folder would be importable from the cwd.)
    subprocess.run([python, "-m", "pip", "uninstall", "-y", "-q", "rnnkit"], capture_output=True)
    assert subprocess.run([python, "-c", "import rnnkit"], cwd=tmp_path, capture_output=True).returncode != 0

    chapter = build_book.notebooks(ROOT)[0]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "RNNKIT_BOOK_BUILD",
                                                    "RNNKIT_BOOK_STATIC")}
    env.update(RNNKIT_INSTALL_FROM=str(_checkout_copy(tmp_path / "repo")),
               PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}")
    done = subprocess.run(
        [str(venv / "bin" / "papermill"), str(chapter), str(tmp_path / "out.ipynb"), "-p", "scale", "smoke",
         "-k", "python3", "--cwd", str(tmp_path), "--no-progress-bar"],
        env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{chapter.name} failed in a fresh venv:\n{done.stderr[-4000:]}"
    where = subprocess.run([python, "-c", "import rnnkit; print(rnnkit.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert str(venv) in where, f"rnnkit was not installed into the fresh venv: {where}"
