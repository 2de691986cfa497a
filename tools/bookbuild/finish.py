"""Finishing the site: the executed notebooks made into pages, then the theme's HTML patched.

    html = build_html(src, out)     # prepare_pages, jupyter-book build, finish_site

- prepare_pages: what the executed notebooks need in the pages (parameters cells hidden, the
  widget manager only if a page saved widget state);
- finish_page: one page with the theme's extra scripts dropped, its accessibility workarounds and
  a description (its first paragraph);
- slim_site: what no page loads taken out of the site; strip_notebook: the download button's
  chapter as the repository has it.
"""
from html import escape, unescape
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from . import purgecss
from .sources import link_vendored, notebooks

CHECK_MIME = "application/vnd.rnnkit.check+json"  # rnnkit.book.exercises.core.MIME (tests/test_bookbuild.py)


def prepare_pages(src):
    """After execution, before the HTML: what the executed notebooks need in the pages.

    - The parameters cell and papermill's injected one are tagged `remove-cell`: the reader sees
      the scale in the chapter's words, not twice as code (the committed chapters keep theirs).
    - The widget manager (3.5 MB) goes into the site only if a page saved widget state; the
      temperature slider is plain HTML in the book and needs none.
    - The exercise checks' own output type (CHECK_MIME, which only `rnnkit.book.grade` reads) is
      dropped: myst-nb knows no renderer for it and would warn; the page shows the check's HTML.
    """
    import nbformat
    widgets = False
    for path in notebooks(src):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
            for output in cell.get("outputs", []):
                output.get("data", {}).pop(CHECK_MIME, None)
        widgets = widgets or bool(nb.metadata.get("widgets"))
        nbformat.write(nb, path)
    if widgets:
        link_vendored(Path(src), ["require.js", "html-manager"])


def build_html(src, path_output):
    """jupyter-book build, warnings as errors, no execution; HTML goes to path_output/_build/html."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(src), "--path-output", str(path_output), "--builder", "html",
           "-W", "-n", "--keep-going", "--all"]
    prepare_pages(src)
    for stale in ("html", ".doctrees", "jupyter_execute"):
        # A clean HTML build each time: pages then depend only on the notebooks (Sphinx adds
        # ?v=<checksum> to a stylesheet only when an earlier build left it in html/).
        shutil.rmtree(Path(path_output) / "_build" / stale, ignore_errors=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"jupyter-book build failed:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}")
    html = Path(path_output) / "_build" / "html"
    finish_site(html)
    return html


# Scripts the theme puts on every page that the book does not need:
# - Font Awesome's SVG-with-JS (1.5 MB): the theme's CSS already draws the same icons from its web
#   fonts, which every page loads anyway;
# - sphinx-thebe's configuration, added twice by Jupyter Book 1, which redeclares a `const` (a
#   console error on every page): the second copy goes.
_FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_THEBE_CONFIG = re.compile(r'<script>const THEBE_JS_URL = [^<]*</script>')
# Files in _static that no page loads: the SVG script's files, TrueType copies of the theme's
# fonts (every browser the theme supports reads the woff2 beside them), the theme's message
# catalogues (used at build time).
_UNUSED = ["scripts/fontawesome.js", "scripts/fontawesome.js.map", "scripts/fontawesome.js.LICENSE.txt",
           "vendor/fontawesome/webfonts/*.ttf", "locales"]


# The theme's search field is named "Search" while it shows "Search Ctrl+K": a name that does not
# contain the visible text (axe: label-content-name-mismatch). Without the aria-label its name is
# its text.
_SEARCH_FIELD = 'class="btn search-button-field search-button__button pst-js-only" title="Search"'
# myst-nb's hidden-code toggle is named "Toggle hidden content" while it shows "Show code cell
# source": the same mismatch. Its name becomes the text it shows.
_HIDDEN_CODE_SUMMARY = '<summary aria-label="Toggle hidden content">'
# A table box that scrolls sideways must be reachable by keyboard (axe: scrollable-region-focusable).
_SCROLL_BOX = '<div class="rnnkit-scroll">'
# A figure from a cell output opens full size in the browser when clicked.
_OUTPUT_IMG = re.compile(r'(<img [^>]*?src="(\.\./_images/[^"]+)"[^>]*>)')


# A page's description (search results, link previews): its first paragraph after the title.
_FIRST_PARAGRAPH = re.compile(r"<h1[^>]*>.*?</h1>.*?<p>(.*?)</p>", re.S)


def description(text, limit=160):
    """The first paragraph of a built page as plain text, cut at a word near `limit` characters."""
    found = _FIRST_PARAGRAPH.search(text[text.find("<article"):])
    if not found:
        return ""
    words = " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())
    if len(words) > limit:
        words = words[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return words


# What a phone waits for before it paints (Lighthouse mobile, issue 20): the scripts in <head>
# run after the page is parsed (defer keeps their order; documentation_options.js stays as it is:
# the inline lines after it use it at once), the search index included; sphinx-thebe (no page
# has a live-code button) and sphinx-design (no page uses its components) go where unused, and the
# search index (160 KB at smoke scale) is loaded only by search.html, the one page that reads it
# (the theme's search box submits to it).
_HEAD_SCRIPT = re.compile(r'<script (?:data-[\w-]+="[^"]*" )?src="([^"]+)"></script>')
_THEBE = [re.compile(r'\s*<link rel="stylesheet" type="text/css" href="[^"]*_static/sphinx-thebe\.css[^"]*" />'),
          re.compile(r'\s*<script async="async" src="[^"]*_static/sphinx-thebe\.js[^"]*"></script>'),
          re.compile(r'\s*<script type="text/x-thebe-config">.*?</script>', re.S),
          re.compile(r'\s*<script>const THEBE_JS_URL = [^<]*</script>')]
_DESIGN = [re.compile(r'\s*<link rel="stylesheet" type="text/css" href="[^"]*_static/sphinx-design\.min\.css[^"]*" />'),
           re.compile(r'\s*<script [^>]*src="[^"]*_static/design-tabs\.js[^"]*"></script>')]


_SEARCH = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools|_static/language_data|searchindex)\.js"></script>')


def lighten_head(text):
    """A page's <head> without what it does not use, its scripts deferred."""
    if '<div id="search-results"' not in text:
        text = _SEARCH.sub("", text)
    if "thebe-launch" not in text and 'class="thebe' not in text:
        for pattern in _THEBE:
            text = pattern.sub("", text)
    if 'class="sd-' not in text:
        for pattern in _DESIGN:
            text = pattern.sub("", text)
    head, sep, body = text.partition("</head>")
    defer = lambda m: m.group(0) if "documentation_options.js" in m.group(1) else m.group(0).replace(
        "<script ", "<script defer ", 1)
    return _HEAD_SCRIPT.sub(defer, head) + sep + body


# Chapter 10's views (the top-5 tables, the neuron heat maps) are thousands of elements and most
# of its 720 KB of HTML: a phone parses, styles and lays out all of them before it paints the
# page's first paragraph (Lighthouse mobile 66 on the cpu book). Each cell output of more than
# LAZY_TAGS elements with no control in it moves to a small script of its own under
# _static/rnnkit-lazy/ (a script, not a fetch: it loads from file:// too), which the page loads when
# the output's place comes within a screen of the viewport; without JavaScript a line says what
# is missing. window.rnnkitDrawAll() loads every one (a promise): printing and the tests use it.
LAZY_TAGS = 300
LAZY_DIR = "rnnkit-lazy"
_OUTPUT_HTML = '<div class="output text_html">'
_INTERACTIVE = re.compile(r"<(?:script|input|form|button|select|textarea|iframe|details)\b")
_DIV = re.compile(r"<div\b|</div>")
_LAZY_NOTE = '<p class="rnnkit-lazy-note">This view is drawn when it scrolls into view, with JavaScript.</p>'
_LAZY_SCRIPT = """<script>(function () {
  var boxes = [].slice.call(document.querySelectorAll(".rnnkit-lazy[data-src]")), done = {};
  window.rnnkitLazy = function (id, html) {
    var box = document.getElementById(id), t = document.createElement("template");
    t.innerHTML = html;
    if (box) box.replaceWith(t.content);
    if (done[id]) done[id]();
  };
  function load(box) {
    if (!box.loading) box.loading = new Promise(function (ok) {
      var s = document.createElement("script");
      done[box.id] = ok;
      s.onerror = function () { box.lastChild.textContent = "This view could not be loaded."; ok(); };
      s.src = box.getAttribute("data-src");
      document.body.appendChild(s);
    });
    return box.loading;
  }
  window.rnnkitDrawAll = function () { return Promise.all(boxes.map(load)); };
  window.addEventListener("beforeprint", window.rnnkitDrawAll);
  if (!("IntersectionObserver" in window)) return window.rnnkitDrawAll();
  var near = new IntersectionObserver(function (seen) {
    seen.forEach(function (e) { if (e.isIntersecting) { near.unobserve(e.target); load(e.target); } });
  }, {rootMargin: "600px 0px"});
  boxes.forEach(function (box) { near.observe(box); });
})();</script>"""


def _div_end(text, start):
    """Where the <div> whose content begins at `start` closes (the index of its '</div>'), or -1."""
    depth = 1
    for m in _DIV.finditer(text, start):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return m.start()
    return -1


def defer_heavy_outputs(text, page, html):
    """The page `text` (of the file `page` in the site `html`) with every heavy output (see above)
    moved to a script in _static/rnnkit-lazy, and the loader once if any moved. Idempotent."""
    parts, pos, n = [], 0, 0
    folder = Path(html) / "_static" / LAZY_DIR
    while (at := text.find(_OUTPUT_HTML, pos)) >= 0:
        start = at + len(_OUTPUT_HTML)
        end = _div_end(text, start)
        if end < 0:
            break
        inner = text[start:end]
        tags = inner.count("<") - inner.count("</")
        if tags > LAZY_TAGS and not _INTERACTIVE.search(inner):
            n += 1
            digest = hashlib.sha256(inner.encode()).hexdigest()[:10]
            box = f"rnnkit-lazy-{n}"
            name = f"{Path(page).stem}-{n}-{digest}.js"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(f"rnnkitLazy({json.dumps(box)}, {json.dumps(inner)});\n")
            src = os.path.relpath(folder / name, Path(page).parent).replace(os.sep, "/")
            inner = f'<div class="rnnkit-lazy" id="{box}" data-src="{src}">{_LAZY_NOTE}</div>'
        parts += [text[pos:start], inner]
        pos = end
    text = "".join(parts) + text[pos:]
    if n and "window.rnnkitDrawAll" not in text:
        head, sep, tail = text.rpartition("</body>")
        text = head + _LAZY_SCRIPT + "\n" + sep + tail
    return text


def finish_page(text):
    """One built page with the theme's extra scripts dropped and its workarounds applied."""
    if '<meta name="description"' not in text and (about := description(text)):
        text = text.replace("</title>", f'</title>\n    <meta name="description" content="{escape(about)}">', 1)
    text = _FONTAWESOME_JS.sub("", text)
    for duplicate in _THEBE_CONFIG.findall(text)[1:]:
        head, _, tail = text.rpartition(duplicate)
        text = head + tail
    text = lighten_head(text)
    text = text.replace(_SEARCH_FIELD + ' aria-label="Search"', _SEARCH_FIELD)
    text = text.replace(_HIDDEN_CODE_SUMMARY, "<summary>")
    text = text.replace(_SCROLL_BOX, '<div class="rnnkit-scroll" tabindex="0">')
    if "rnnkit-full-size" not in text:  # once only
        text = _OUTPUT_IMG.sub(r'<a class="rnnkit-full-size" href="\2" title="open the figure full size">\1</a>', text)
    return text


def finish_site(html):
    """Every page through finish_page, defer_heavy_outputs and bundle_styles (the theme's unused icon
    rules out first), then the unused files out (slim_site and an earlier build's deferred views)."""
    prune_icons(html)
    words = purgecss.site_words(html)  # every page's classes and ids (finished or not) and scripts' words
    used = set()
    for page in Path(html).rglob("*.html"):
        text = page.read_text()
        new = lazy_figures(defer_heavy_outputs(finish_page(text), page, html), page)
        if (new := bundle_styles(new, page, html, words)) != text:
            page.write_text(new)
        used.update(_LAZY_SRC.findall(new) + _BUNDLE_HREF.findall(new))
    for old in [*(Path(html) / "_static" / LAZY_DIR).glob("*.js"), *(Path(html) / "_static" / "styles").glob("bundle-*.css")]:
        if old.name not in used:  # an earlier build's deferred views and stylesheets
            old.unlink()
    return slim_site(html)


_BUNDLE_HREF = re.compile(r'<link rel="stylesheet" href="[^"]*/(bundle-[0-9a-f]+\.css)" />')


# The figures of cell outputs load as they near the viewport and keep their place while they do:
# a phone's first paint no longer shares its slow link with every figure of the page (chapter
# 10: 270 KB of PNGs before its first paragraph showed).
_PLAIN_OUTPUT_IMG = re.compile(r'<img (?![^>]*loading=)([^>]*?src="(\.\./_images/[^"]+\.png)"[^>]*?)\s*/?>')


def lazy_figures(text, page):
    """Every output figure of a page with loading="lazy", decoding="async" and its PNG's size."""
    def lazy(m):
        size = ""
        try:
            with open(Path(page).parent / m.group(2), "rb") as f:
                head = f.read(24)
            if head[:8] == b"\x89PNG\r\n\x1a\n":
                size = ' width="%d" height="%d"' % struct.unpack(">II", head[16:24])
        except OSError:
            pass
        return f'<img {m.group(1)}{size} loading="lazy" decoding="async" />'
    return _PLAIN_OUTPUT_IMG.sub(lazy, text)


_LAZY_SRC = re.compile(r'class="rnnkit-lazy" id="[^"]+" data-src="[^"]*/([^"/]+\.js)"')


# A phone on a slow link waits for every stylesheet in <head> before it paints: eight files, one of
# them (theme.css) importing a ninth. They become one file, the same for every page that has the
# same list; url()s rewritten for its folder, @imports inlined. documentation_options.js (0.3 KB,
# the only script left blocking) goes inline.
_STYLESHEET = re.compile(r'\s*<link (?:rel="stylesheet" type="text/css" href="([^"]+)"|href="([^"]+)" rel="stylesheet") />')
_CSS_URL = re.compile(r'url\((["\']?)([^)"\']+)\1\)')
_CSS_IMPORT = re.compile(r'@import (?:url\()?["\']([^"\']+)["\']\)?;')
_DOC_OPTIONS = re.compile(r'<script src="([^"]*_static/documentation_options\.js)[^"]*"></script>')


def _css(path, folder):
    """A stylesheet's text for a file in `folder`: its @imports inlined, its url()s relative to folder."""
    def move(m):
        url = m.group(2)
        if re.match(r"[a-z]+:|/|#", url):
            return m.group(0)
        return f'url("{Path(os.path.relpath(path.parent / url, folder)).as_posix()}")'
    text = _CSS_IMPORT.sub(lambda m: _css(path.parent / m.group(1), folder), path.read_text())
    return _CSS_URL.sub(move, text)


def bundle_styles(text, page, html, words=None):
    """The page with its stylesheets as one file in _static/styles/ (written once per content),
    without the rules the site cannot use when `words` (purgecss.site_words) are given."""
    head, sep, body = text.partition("</head>")
    links = [(m.group(0), m.group(1) or m.group(2)) for m in _STYLESHEET.finditer(head)]
    files = [(page.parent / href.split("?")[0]).resolve() for _, href in links]
    if len(links) < 2 or not all(f.is_file() for f in files):
        return text
    folder = Path(html).resolve() / "_static" / "styles"
    joined = "\n".join(_css(f, folder) for f in files)
    if words is not None:
        joined = purgecss.purge(joined, words)
    bundle = folder / f"bundle-{hashlib.sha256(joined.encode()).hexdigest()[:12]}.css"
    if not bundle.is_file():
        bundle.write_text(joined)
    head = head.replace(links[0][0], f'\n    <link rel="stylesheet" href="{os.path.relpath(bundle, page.parent)}" />', 1)
    for tag, _ in links[1:]:
        head = head.replace(tag, "", 1)
    if m := _DOC_OPTIONS.search(head):
        inline = (page.parent / m.group(1)).read_text()
        head = head.replace(m.group(0), f"<script>{inline}</script>", 1)
    return head + sep + body


# The theme's stylesheet (400 KB, render-blocking) names all of Font Awesome's ~2,000 icons, one
# rule each; the site shows a dozen. The rules of icons no page or script names go.
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"[^"]*"\}')
_ICON_NAME = re.compile(r"fa-[a-z0-9-]+")


def prune_icons(html):
    """Drop the icon rules of the theme's stylesheet that nothing in the site names; returns bytes."""
    html = Path(html)
    sheet = html / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not sheet.is_file():
        return 0
    used = set()
    for path in [*html.rglob("*.html"), *(html / "_static").rglob("*.js")]:
        used.update(_ICON_NAME.findall(path.read_text(errors="replace")))

    def keep(m):
        names = [sel for sel in m.group(1).rstrip(",").split(",") if sel.split(":")[0][1:] in used]
        return ",".join(names) + m.group(0)[len(m.group(1)):] if names else ""
    text = sheet.read_text()
    new = _ICON_RULE.sub(keep, text)
    sheet.write_text(new)
    return len(text) - len(new)


_MAP_COMMENT = re.compile(r"\n?(//|/\*)# sourceMappingURL=[^\s*]+\.map( \*/)?")


def slim_site(html):
    """Take out of the built site what no page loads; returns the bytes removed.

    - the files in _UNUSED;
    - the theme's source maps (1.8 MB; only a browser's developer tools read them), with the
      comment that points to each, so the tools do not report a missing map;
    - the outputs in _sources: the page's download button then gives the chapter as the
      repository has it, ready to run (the executed notebook is 3 MB at cpu scale, and its
      outputs are the page itself).
    """
    html = Path(html)
    removed = 0
    for pattern in _UNUSED:
        for path in (html / "_static").glob(pattern):
            files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
            removed += sum(f.stat().st_size for f in files)
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for source in (html / "_static").rglob("*.map"):
        removed += source.stat().st_size
        source.unlink()
    for path in [*(html / "_static").rglob("*.js"), *(html / "_static").rglob("*.css")]:
        text = path.read_text(errors="surrogateescape")
        if "sourceMappingURL" in text and (new := _MAP_COMMENT.sub("", text)) != text:
            removed += len(text) - len(new)
            path.write_text(new, errors="surrogateescape")
    for notebook in (html / "_sources").rglob("*.ipynb"):
        before = notebook.stat().st_size
        notebook.write_text(strip_notebook(notebook.read_text()))
        removed += before - notebook.stat().st_size
    return removed


def strip_notebook(text):
    """An executed chapter (JSON text) as the repository has it: no outputs, no execution counts,
    no cell papermill injected, no papermill metadata, the parameters cell not hidden."""
    import nbformat
    nb = nbformat.reads(text, as_version=4)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags:  # prepare_pages hid it from the page; the reader's copy shows it
            cell.metadata["tags"] = [t for t in tags if t != "remove-cell"]
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("papermill", None)
    return nbformat.writes(nb) + "\n"
