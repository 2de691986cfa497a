"""The book: notebook conventions, a smoke-scale build, the pages in a real offline browser, and
a chapter run the way a new Colab user runs it.

RNNKIT_BOOK_HTML=path/to/_build/html runs the page tests on a book built before (`make book`),
without executing the chapters again.

The chapters are executed once per session (fixture `executed`) and the HTML is built from those
executed notebooks with tools/bookbuild's functions, as `make book` does (without its cache:
this build checks that every chapter runs). tests/test_build_cache.py tests the cache.
"""
import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild import execute, finish, sources  # noqa: E402

WORK = ROOT / "_build" / "test"  # this suite's build (conftest.WORK); `make book` owns _build/html
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
    names = [p.relative_to(ROOT).with_suffix("").as_posix() for p in sources.toc_files(ROOT)]
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


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_bookkeeping_cells_are_hidden_in_the_page(path):
    """A cell that glues numbers or sentences for the prose is bookkeeping: the page hides it
    (remove-cell; remove-input where its output must show), so a reader sees the calls that do
    the work and their results. The cell stays in the notebook, for Jupyter and Colab."""
    for i, cell in enumerate(_code_cells(nbformat.read(path, as_version=4))):
        if re.search(r"(?m)^\s*(_ = )?glue\(", cell.source):
            tags = set(cell.metadata.get("tags", []))
            assert tags & {"remove-cell", "remove-input"}, f"{path.name}: code cell {i} glues but is shown"


def test_missing_vendored_files_fall_back_to_the_cdn(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "VENDOR", tmp_path / "no-vendor")
    src = sources.prepare_sources(tmp_path / "src")
    sphinx = yaml.safe_load((src / "_config.yml").read_text())["sphinx"]["config"]
    assert sphinx["mathjax_path"] == "rnnkit-static/math.js"  # ours, always there; KaTeX from the CDN:
    assert sphinx["mathjax_options"]["data-katex"].startswith("https://")
    scripts = sphinx["nb_ipywidgets_js"]
    assert [k for k in scripts if not k.startswith("https://")] == ["rnnkit-static/widgets-setup.js"]
    assert scripts["rnnkit-static/widgets-setup.js"]["data-manager-dist"].startswith("https://")


def test_finish_page_drops_the_theme_extras_and_applies_the_workarounds():
    thebe = '<script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>'
    page = (f'<head><script defer src="../_static/scripts/fontawesome.js?digest=1"></script>{thebe}\n{thebe}</head>'
            '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
            'aria-label="Search" data-x="1">Search <kbd>Ctrl</kbd></button>'
            '<button class="btn btn-sm pst-navbar-icon search-button search-button__button pst-js-only" '
            'title="Search" aria-label="Search"><i></i></button>'
            '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
            '<div class="rnnkit-scroll"><table></table></div><img alt="a chart" src="../_images/f.png" />')
    done = finish.finish_page(page)
    assert "fontawesome.js" not in done and "THEBE_JS_URL" not in done  # no page has a live-code button
    assert 'search-button-field search-button__button pst-js-only" title="Search" data-x' in done
    assert done.count('aria-label="Search"') == 1  # the icon-only button keeps its name
    assert "<summary><p>" in done and '<div class="rnnkit-scroll" tabindex="0">' in done
    assert '<a class="rnnkit-full-size" href="../_images/f.png"' in done
    assert finish.finish_page(done) == done  # once only


def test_finish_page_defers_the_head_scripts_and_describes_the_page():
    head = ('<head><title>A page</title>'
            '<script src="../_static/documentation_options.js?v=1"></script>'
            '<script src="../_static/doctools.js?v=2"></script>'
            '<script data-sd-tabs-storage-prefix="x" src="../_static/design-tabs.js?v=3"></script>'
            '<link rel="stylesheet" type="text/css" href="../_static/sphinx-design.min.css?v=4" />'
            '<script src="../_static/searchtools.js"></script><script src="../searchindex.js"></script></head>')
    body = ('<body><article class="bd-article"><h1>A page<a class="headerlink" href="#">#</a></h1>'
            '<p>An <em>opening</em> paragraph &amp; more, ' + "word " * 60 + '</p><p>Second.</p></article></body>')
    done = finish.finish_page(head + body)
    assert '<script src="../_static/documentation_options.js?v=1"></script>' in done  # used at once, inline
    assert '<script defer src="../_static/doctools.js?v=2"></script>' in done
    assert "design-tabs" not in done and "sphinx-design" not in done and "searchindex" not in done
    about = re.search(r'<meta name="description" content="([^"]*)">', done).group(1)
    assert about.startswith("An opening paragraph &amp; more, word") and about.endswith("word\u2026")
    assert len(about) <= 165 and "Second" not in about
    search = head + '<body><div id="search-results"></div></body>'  # the one page that reads the index
    assert '<script defer src="../searchindex.js"></script>' in finish.finish_page(search)
    assert finish.finish_page(done) == done


def test_the_stylesheets_become_one_file_that_keeps_their_urls(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("div { background: url(file.png) }")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";')
    (static / "styles" / "pydata.css").write_text('@font-face { src: url("../vendor/fa.woff2") } i { x: url(data:a) }')
    (static / "own.css").write_text("p { color: red }")
    (static / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {};")
    (tmp_path / "chapters").mkdir()
    page = tmp_path / "chapters" / "a.html"
    head = ('<head><link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
            '<link href="../_static/styles/pydata.css?digest=1" rel="stylesheet" />\n'
            '    <link rel="stylesheet" type="text/css" href="../_static/own.css?v=2" />\n'
            '<script src="../_static/documentation_options.js?v=3"></script></head><body></body>')
    done = finish.bundle_styles(head, page, tmp_path)
    bundle, = (static / "styles").glob("bundle-*.css")
    assert done.count("stylesheet") == 1 and f'href="../_static/styles/{bundle.name}"' in done
    assert "<script>const DOCUMENTATION_OPTIONS = {};</script>" in done
    assert bundle.read_text() == ('div { background: url("../file.png") }\n'
                                  '@font-face { src: url("../vendor/fa.woff2") } i { x: url(data:a) }\np { color: red }')
    assert finish.bundle_styles(done, page, tmp_path) == done


def test_a_failing_cell_is_reported_with_chapter_and_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('scale = "auto"\nseed = 0', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(execute.ChapterError, match=r"^broken\.ipynb: cell index 3 .*ZeroDivisionError") as err:
        execute.execute(path, "smoke", tmp_path)
    assert str(err.value).splitlines()[1:] == ["    line 1: 1 / 0"], "the line that failed is not shown"


# ---------------------------------------------------------------- execute once, build once

# The fixtures `executed` (every chapter run once at smoke scale) and `html` (the book built from
# them) live in tests/conftest.py: tests/test_exercises_site.py reads the same build.


def test_every_chapter_executes_at_smoke_scale(executed):
    _, failures = executed
    assert not failures, "\n".join(failures)


def _glued(notebook):
    """name -> text of every value a notebook glued (myst-nb stores them as papermill records)."""
    out = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = next(iter(o["data"].values()))
    return out


def test_at_smoke_scale_the_verdicts_take_the_not_reproduced_branch(executed):
    # untrained-size models reproduce none of the article's claims: the pages must say so, in the
    # sentence chosen from the run (the other branch is taken by the cpu and gpu builds)
    src, failures = executed
    verdicts = {f"{nb.stem}:{k}": v for nb in sorted((src / "chapters").glob("*.ipynb"))
                for k, v in _glued(nb).items() if k.endswith("_reproduced")}
    chapters = {k.split(":")[0] for k in verdicts}
    assert len(chapters) >= 8 or failures, f"verdicts found only in {sorted(chapters)}"
    for key, text in verdicts.items():
        assert text.startswith("At this scale the page does not reproduce it:"), f"{key}: {text[:120]}"


def _references(notebook, role):
    """The glue keys a notebook's markdown cites with `role` ("glue" or "glue:md")."""
    text = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")
    return set(re.findall(r"\{" + re.escape(role) + r"\}`([^`:]+)", text))


def test_sentences_cited_as_plain_text_hold_no_markup(executed):
    # {glue:} shows a value as typed: markup in it (`code`, **bold**, $math$) would reach the
    # reader raw. Such sentences are glued with md=True and cited with {glue:md}.
    src, _ = executed
    for nb in sorted((src / "chapters").glob("*.ipynb")):
        glued = _glued(nb)
        for key in _references(nb, "glue") & set(glued):
            assert not re.search(r"`|\*\*|\$", str(glued[key])), f"{nb.stem}: {key} = {glued[key]!r}"


def test_the_scale_sentence_shows_once_per_page(html):
    for path in _pages(html):
        glues_it = "page_scale" in (ROOT / "chapters" / f"{path.stem}.ipynb").read_text(errors="replace") \
            if (ROOT / "chapters" / f"{path.stem}.ipynb").is_file() else False
        assert path.read_text().count("This page was built at") == int(glues_it), path.name


def test_book_builds_with_no_warnings(html):
    for page in _pages(html):
        assert page.is_file(), f"missing page {page}"


def test_chapters_have_colab_links(html):
    for nb in sources.notebooks(ROOT):
        rel = nb.relative_to(ROOT).as_posix()
        page = (html / rel).with_suffix(".html").read_text()
        want = f"https://colab.research.google.com/github/{REPO_URL.removeprefix('https://github.com/')}/blob/main/{rel}"
        assert want in page, f"{rel}: no Colab launch link {want}"


def _pages(html):
    return [(html / p.relative_to(ROOT)).with_suffix(".html") for p in sources.toc_files(ROOT)]


# ---------------------------------------------------------------- the pages in a real browser

class OfflinePage:
    """A browser tab that may only read file:// URLs, recording whatever went wrong."""

    def __init__(self, browser, dark=False):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900},
                                     color_scheme="dark" if dark else "light")
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
        # the heavy views wait in <template>s until they near the viewport: checks see them all
        self.page.evaluate("window.rnnkitDrawAll && window.rnnkitDrawAll()")
        # formulas are typeset as they near the viewport: checks see every one typeset
        self.page.evaluate("window.rnnkitTypesetAll && window.rnnkitTypesetAll()")
        return self.page

    def problems(self):
        return {"blocked (network)": self.blocked, "failed": self.failed, "console errors": self.errors}


def test_built_pages_hide_the_parameters_cells(html):
    for path in _pages(html):
        text = path.read_text()
        assert "tag_parameters" not in text and "tag_injected-parameters" not in text, \
            f"{path.name}: a parameters cell is shown (bookbuild.finish.prepare_pages tags them remove-cell)"


def test_the_site_ships_only_what_pages_load(html):
    static = html / "_static"
    assert not (static / "scripts" / "fontawesome.js").exists()
    assert not (static / "rnnkit-vendor" / "html-manager").exists(), "widget manager shipped, no page has widgets"
    assert (static / "rnnkit-vendor" / "katex" / "katex.min.js").is_file()
    for path in _pages(html):
        text = path.read_text()
        assert text.count("const THEBE_JS_URL") <= 1, f"{path.name}: sphinx-thebe's config twice"
        assert "fontawesome.js" not in text and "embed-amd.js" not in text, path.name
        head = text.split("</head>")[0]
        assert head.count('rel="stylesheet"') == 1, f"{path.name}: more than one stylesheet blocks the first paint"
        assert not re.search(r"<script src=", head), f"{path.name}: a script in <head> blocks the first paint"
    assert not list(static.rglob("*.map")), "source maps shipped (only developer tools read them)"
    for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
        assert "sourceMappingURL" not in path.read_text(errors="replace"), f"{path.name} points to a map"


def test_the_download_button_gives_the_chapter_ready_to_run(html):
    """_sources holds each chapter as the repository has it: outputs stripped, the reader's own
    parameters cell (visible, scale "auto"), no papermill cell or metadata."""
    sources = sorted((html / "_sources").rglob("*.ipynb"))
    assert sources, "no notebook in _sources"
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        assert not any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
        assert sum("parameters" in t for t in tags) == 1, path.name
        assert "papermill" not in nb.metadata and not any("injected-parameters" in t for t in tags), path.name
        repo = nbformat.read(ROOT / "chapters" / path.name, as_version=4)
        assert [c.source for c in nb.cells] == [c.source for c in repo.cells], f"{path.name} differs from chapters/"
        # the tags as committed: the parameters cell shown (the page hid it), bookkeeping cells
        # keep the remove-cell they have in the repository
        assert tags == [c.metadata.get("tags", []) for c in repo.cells], f"{path.name}: tags differ from chapters/"


# Runs in every page: what a reader would hit. Figures: <img> of _images/ (cell outputs and
# figure directives). A table is clipped when it overflows the article with no ancestor that
# scrolls sideways.
_PAGE_AUDIT = """() => {
  const article = document.querySelector("article");
  const right = article.getBoundingClientRect().right + 1;
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== article; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  const clipped = [...article.querySelectorAll("table")]
    .filter((t) => t.getBoundingClientRect().right > right && !scrolls(t))
    .map((t) => (t.className || "table") + ": " + t.textContent.trim().slice(0, 60));
  const figures = [...article.querySelectorAll("img")].filter((i) => i.src.includes("/_images/"))
    .map((i) => i.getAttribute("alt") || "");
  return {clipped, figures,
          math: document.querySelectorAll(".math").length, katex: document.querySelectorAll(".math .katex").length,
          mathErrors: document.querySelectorAll(".katex-error").length};
}"""


def _is_path(alt):
    return not alt.strip() or "/" in alt or alt.strip().lower().endswith((".png", ".svg", ".jpg", ".jpeg"))


AXE = ROOT / "vendor" / "test" / "axe.min.js"  # axe-core, from tools/vendor.sh


def _open_typeset(browser, path, dark=False):
    tab = OfflinePage(browser, dark=dark)
    page = tab.open(path)
    if 'class="math notranslate' in path.read_text():
        # attached, not visible: a page's first formula may sit in a closed <details> (a hint)
        page.wait_for_selector(".math .katex", state="attached", timeout=20_000)
    # The theme sets light or dark by script after load, and buttons fade their colour over
    # 0.15 s: measure contrast once those transitions are over, not halfway through one.
    page.wait_for_function("document.getAnimations().every(a => !(a instanceof CSSTransition)"
                           " || a.playState !== 'running')", timeout=5_000)
    return tab, page


def _axe(page, path, **options):
    """axe-core's serious and critical violations in the open page, one line each."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run tools/vendor.sh (npm)")
    page.add_script_tag(path=str(AXE))
    # preload: false, or axe fetches every stylesheet by XHR, which file:// pages refuse
    result = page.evaluate("options => axe.run(document, options)",
                           {"resultTypes": ["violations"], "preload": False, **options})
    return [f"{path.name}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes'][:3]]}: "
            f"{v['nodes'][0].get('failureSummary', '')[:200]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="session")
def pages_seen(html, browser):
    """Every page opened once offline at 1280 px in light mode: its problems, _PAGE_AUDIT's
    findings and axe-core's serious violations."""
    seen = {}
    for path in _pages(html):
        tab, page = _open_typeset(browser, path)
        page.wait_for_timeout(300)  # let late requests (fonts) settle
        heading = page.locator("article h1").first.inner_text().strip().rstrip("#").strip()
        seen[path.name] = {"title": page.title(), "heading": heading, "theme": page.evaluate(
                           "document.documentElement.dataset.theme"),
                           "text": len(page.locator("article").first.inner_text()),
                           **page.evaluate(_PAGE_AUDIT), **{k: list(v) for k, v in tab.problems().items()}}
        seen[path.name]["axe"] = _axe(page, path)
        page.close()
    return seen


def test_every_page_has_a_description_and_a_favicon(html):
    described = {}
    for path in _pages(html):
        text = path.read_text()
        about = re.search(r'<meta name="description" content="([^"]+)">', text)
        assert about and len(about.group(1)) > 40, f"{path.name}: no description"
        described[about.group(1)] = path.name
        icon = re.search(r'<link rel="icon" href="([^"]+)"', text)
        assert icon and (path.parent / icon.group(1)).resolve().is_file(), f"{path.name}: no favicon"
    assert len(described) == len(_pages(html)), "two pages share a description"


def test_a_heavy_view_is_drawn_when_it_nears_the_viewport(html, browser):
    path = html / "chapters" / "10_inside_lstm.html"
    assert path.read_text().count('<div class="rnnkit-lazy" id=') >= 1, "chapter 10 defers no view"
    page = browser.new_page(viewport={"width": 390, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page.goto(path.as_uri(), wait_until="load")
    waiting = page.locator(".rnnkit-lazy")
    n = waiting.count()
    assert n >= 1 and page.locator(".rnnkit-lazy .rnnkit-topk").count() == 0  # in its script: not in the page
    tables = page.locator(".rnnkit-topk").count()
    waiting.last.scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelectorAll('.rnnkit-lazy').length < {n}", timeout=5_000)
    page.evaluate("window.rnnkitDrawAll()")  # a promise: evaluate waits for every script
    assert page.locator(".rnnkit-lazy").count() == 0 and page.locator(".rnnkit-topk").count() > tables
    assert not errors
    page.close()


def test_every_page_renders_offline_with_typeset_math(pages_seen):
    for name, seen in pages_seen.items():
        assert seen["heading"] and seen["heading"] in seen["title"], f"{name}: no title"
        assert seen["text"] > 300, f"{name}: no content"
        assert seen["katex"] == seen["math"] and not seen["mathErrors"], f"{name}: formulas not typeset"
    assert any(seen["math"] for seen in pages_seen.values()), "no page with formulas was checked"


def test_no_page_has_console_errors_or_network_requests(pages_seen):
    bad = {name: {k: seen[k] for k in ("blocked (network)", "failed", "console errors") if seen[k]}
           for name, seen in pages_seen.items()}
    assert not any(bad.values()), {k: v for k, v in bad.items() if v}


def test_every_figure_has_alt_text_that_is_not_a_path(pages_seen):
    bad = {name: [alt for alt in seen["figures"] if _is_path(alt)] for name, seen in pages_seen.items()}
    assert not any(bad.values()), f"figures whose alt text is empty or a file path: { {k: v for k, v in bad.items() if v} }"


def test_no_table_is_clipped_at_1280_px(pages_seen):
    bad = {name: seen["clipped"] for name, seen in pages_seen.items() if seen["clipped"]}
    assert not bad, f"tables wider than the column that do not scroll: {bad}"


def test_axe_finds_no_serious_accessibility_violation(pages_seen):
    assert {seen["theme"] for seen in pages_seen.values()} == {"light"}
    found = [line for seen in pages_seen.values() for line in seen["axe"]]
    assert not found, "\n".join(found)


def test_axe_finds_no_contrast_failure_in_dark_mode(html, browser):
    """Only colours change with the mode, so the dark pass runs axe's contrast rule alone."""
    found = []
    for path in _pages(html):
        tab, page = _open_typeset(browser, path, dark=True)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", f"{path.name}: not dark"
        found += _axe(page, path, runOnly=["color-contrast"])
        page.close()
    assert not found, "\n".join(found)


# The real contrast of the book's own text in the open page: each element with text of its own,
# its colour against the background actually behind it (the nearest backgrounds up the tree,
# blended), by WCAG's formula. axe only says "needs review" for these (it cannot tell the
# background), so a caption in the dark background's colour passed it.
_CONTRAST = """(selector) => {
  const ctx = Object.assign(document.createElement("canvas"), {width: 1, height: 1}).getContext("2d");
  const rgba = (css) => {  // any CSS colour -> [r, g, b, a], as the browser paints it
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data, a = d[3] / 255;
    return a ? [d[0] / a, d[1] / a, d[2] / a, a] : [0, 0, 0, 0];
  };
  const over = (top, under) => under.map((u, i) => top[i] * top[3] + u * (1 - top[3]));
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
  };
  const lum = (c) => c.slice(0, 3).map((x) => (x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)
    .reduce((s, x, i) => s + x * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const seen = new Set(), out = [];
  for (const root of document.querySelectorAll(selector))
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (seen.has(el) || !ownText(el)) continue;
      seen.add(el);
      const style = getComputedStyle(el), box = el.getBoundingClientRect();
      if (style.visibility !== "visible" || !box.width || !box.height) continue;
      const bg = behind(el), fg = over(rgba(style.color), bg);
      out.push({tag: el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""),
                text: el.textContent.trim().slice(0, 40), ratio: Math.round(ratio(fg, bg) * 100) / 100,
                fg: fg.map(Math.round).join(","), bg: bg.map(Math.round).join(",")});
    }
  return out;
}"""
# What the book itself styles: table and figure captions, the slider's caption, prime and samples,
# every cell output (the views' light boxes keep dark text in both modes).
_OWN_TEXT = "article caption, article figcaption, .rnnkit-temperature-slider, .rnnkit-prime, .cell_output"


def test_the_books_own_text_keeps_its_contrast_in_both_modes(html, browser):
    """Captions, primes and outputs at >= 4.5:1 against what is really behind them, dark and light."""
    found, checked = [], 0
    for dark in (True, False):
        for path in _pages(html):
            tab, page = _open_typeset(browser, path, dark=dark)
            assert page.evaluate("document.documentElement.dataset.theme") == ("dark" if dark else "light")
            seen = page.evaluate(_CONTRAST, _OWN_TEXT)
            checked += len(seen)
            found += [f"{path.name} ({'dark' if dark else 'light'}): {s['tag']} {s['text']!r} at {s['ratio']}:1 "
                      f"(text {s['fg']} on {s['bg']})" for s in seen if s["ratio"] < 4.5]
            page.close()
    assert checked > 100, f"only {checked} elements checked: the selectors miss the book's text"
    assert not found, f"{len(found)} elements below 4.5:1:\n" + "\n".join(found[:40])


def test_temperature_slider_works_in_the_static_page(html, browser):
    pages = [p for p in _pages(html) if "rnnkit-temperature-slider" in p.read_text()]
    assert pages, "no chapter in _toc.yml shows a temperature slider"
    tab = OfflinePage(browser)
    page = tab.open(pages[0])
    widget = page.locator(".rnnkit-temperature-slider").first
    slider = widget.get_by_role("slider", name="temperature")  # its accessible name

    def shown():
        visible = widget.locator(".rnnkit-sample").evaluate_all(
            "els => els.filter(e => getComputedStyle(e).visibility === 'visible')"
            ".map(e => [e.dataset.temperature, e.textContent])")
        assert len(visible) == 1, f"expected one visible sample, got {len(visible)}"
        value = slider.get_attribute("aria-valuetext")
        assert value == visible[0][0] == widget.locator("output").inner_text(), \
            "the slider must report the temperature it shows"
        return float(value), visible[0][1], widget.bounding_box()["height"]

    before = shown()
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    after = shown()
    assert after[0] < before[0], f"the slider did not move: {before[0]} -> {after[0]}"
    assert after[1] != before[1], "moving the slider did not change the sample"
    assert after[2] == before[2], "the slider's box changed height: the page shifts"
    sizes = page.evaluate("""() => [getComputedStyle(document.querySelector('.rnnkit-sample')).fontSize,
                                    getComputedStyle(document.querySelector('article p')).fontSize]""")
    assert sizes[0] == sizes[1], f"sample text at {sizes[0]}, body text at {sizes[1]}"

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

    chapter = sources.notebooks(ROOT)[0]
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
