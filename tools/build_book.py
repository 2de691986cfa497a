"""Build the book: run every chapter once with papermill, then build HTML from those notebooks.

    .venv/bin/python tools/build_book.py --scale smoke   # quick preview (about a minute)
    .venv/bin/python tools/build_book.py                 # scale auto: gpu with CUDA, else cpu

The book sources are copied to _build/src/ and executed there, so the checkout stays clean (the
committed notebooks have no outputs). HTML lands in _build/html. tests/test_book.py imports the
same functions, so the book is tested the way it is built. Chapters run one per core on a CPU.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK_SOURCES = ["_config.yml", "_toc.yml", "chapters"]
VENDOR = ROOT / "vendor" / "static"  # filled by tools/vendor.sh
OWN_STATIC = ROOT / "tools" / "book_static"  # our own small scripts, served as rnnkit-static/
# Used only for a file tools/vendor.sh could not fetch (no npm): the page then needs the network.
CDN = {
    "rnnkit-vendor/require.js": "https://cdn.jsdelivr.net/npm/requirejs@2.3.8/require.js",
    "rnnkit-vendor/html-manager/embed-amd.js":
        "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js",
    "rnnkit-vendor/katex/katex.min.js": "https://cdn.jsdelivr.net/npm/katex@0.16.22/dist/katex.min.js",
}


class ChapterError(RuntimeError):
    """A chapter failed to execute; the message names the chapter and the cell."""


def toc_files(book):
    """The source files listed in `book`/_toc.yml, in reading order."""
    toc = yaml.safe_load((Path(book) / "_toc.yml").read_text())
    names = []

    def walk(entry):
        if "file" in entry or "root" in entry:
            names.append(entry.get("file") or entry["root"])
        for key in ("parts", "chapters", "sections"):
            for sub in entry.get(key, []):
                walk(sub)

    walk(toc)
    files = []
    for name in names:
        found = [p for p in (Path(book) / f"{name}{s}" for s in ("", ".ipynb", ".md")) if p.is_file()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but there is no such file")
        files.append(found[0])
    return files


def notebooks(book):
    """The chapters that are notebooks (the ones to execute)."""
    return [p for p in toc_files(book) if p.suffix == ".ipynb"]


def prepare_sources(dest, book=ROOT):
    """Copy the book sources to `dest`, with the vendored browser libraries on the static path."""
    dest = Path(dest)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in BOOK_SOURCES:
        src = Path(book) / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    shutil.copytree(OWN_STATIC, dest / "_vendor" / "rnnkit-static")
    (dest / "_vendor" / "rnnkit-vendor").mkdir()
    _link_vendored(dest, ["katex"])  # the widget manager joins later, only if a page needs it
    _fall_back_to_cdn(dest / "_config.yml")
    return dest


def _link_vendored(src, names):
    for name in names:
        if (VENDOR / "rnnkit-vendor" / name).exists() and not (src / "_vendor" / "rnnkit-vendor" / name).exists():
            (src / "_vendor" / "rnnkit-vendor" / name).symlink_to(VENDOR / "rnnkit-vendor" / name)


def prepare_pages(src):
    """After execution, before the HTML: what the executed notebooks need in the pages.

    - The parameters cell and papermill's injected one are tagged `remove-cell`: the reader sees
      the scale in the chapter's words, not twice as code (the committed chapters keep theirs).
    - The widget manager (3.5 MB) goes into the site only if a page saved widget state; the
      temperature slider is plain HTML in the book and needs none.
    """
    import nbformat
    widgets = False
    for path in notebooks(src):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        widgets = widgets or bool(nb.metadata.get("widgets"))
        nbformat.write(nb, path)
    if widgets:
        _link_vendored(Path(src), ["require.js", "html-manager"])


def _fall_back_to_cdn(config_path):
    """Point the config at the CDN for each vendored file that is missing."""
    config = yaml.safe_load(config_path.read_text())
    sphinx = config["sphinx"]["config"]
    missing = [path for path in CDN if not (VENDOR / path).is_file()]
    if not missing:
        return
    print(f"build_book: not vendored (run tools/vendor.sh), using the CDN for: {', '.join(missing)}",
          file=sys.stderr)
    if "rnnkit-vendor/katex/katex.min.js" in missing:  # tools/book_static/math.js loads it from there
        sphinx["mathjax_options"]["data-katex"] = CDN["rnnkit-vendor/katex/katex.min.js"].rsplit("/", 1)[0]
    scripts = sphinx["nb_ipywidgets_js"]
    if "rnnkit-vendor/html-manager/embed-amd.js" in missing:
        for attrs in scripts.values():  # widgets-setup.js: where the manager's fonts are
            if "data-manager-dist" in attrs:
                attrs["data-manager-dist"] = CDN["rnnkit-vendor/html-manager/embed-amd.js"].rsplit("/", 1)[0]
    sphinx["nb_ipywidgets_js"] = {CDN.get(k, k) if k in missing else k: v for k, v in scripts.items()}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))


def execute(notebook, scale, src_root):
    """Run one notebook in place at `scale` and return the seconds it took."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook)
    params_at = _parameters_cell(notebook)  # read before papermill rewrites the file
    # The slider and friends check this to build their static (kernel-free) form.
    os.environ["RNNKIT_BOOK_BUILD"] = "1"
    # rnnkit.book.live writes the chapters' browser models here (the pages' static path).
    os.environ["RNNKIT_BOOK_STATIC"] = str(Path(src_root).resolve() / "_vendor")
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook), str(notebook), parameters={"scale": scale}, kernel_name="python3", language="python",
            cwd=str(notebook.parent), progress_bar=False, log_output=False)
    except PapermillExecutionError as err:
        # papermill ran one extra cell, its injected parameters, right after the parameters cell
        index = err.cell_index - 1 if err.cell_index > params_at else err.cell_index
        raise ChapterError(f"{notebook.relative_to(src_root)}: cell index {index} (execution count "
                           f"{err.exec_count}) raised {err.ename}: {err.evalue}") from None
    return time.perf_counter() - start


def _parameters_cell(notebook):
    """Index of the cell tagged `parameters`, or -1 (papermill then injects at the top)."""
    import nbformat
    cells = nbformat.read(notebook, as_version=4).cells
    return next((i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), -1)


def default_jobs(scale):
    """One chapter per core on a CPU, one at a time on a GPU (they would only queue there)."""
    from rnnkit.presets import resolve_scale
    return 1 if resolve_scale(scale) == "gpu" else max(1, os.cpu_count() or 1)


def execute_all(src, scale, jobs=1, log=print):
    """Execute every chapter of the book at `src` once, `jobs` at a time, and go on past failures.

    Returns ({chapter: seconds}, [failure messages]).
    """
    from concurrent.futures import ProcessPoolExecutor

    if jobs > 1:
        # One thread per kernel when several run: as fast in total, and much steadier when a
        # neighbour is busy (2 threads on 2 shared cores stall each other; see CPU-NOTES).
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    times, failures = {}, []
    with ProcessPoolExecutor(max_workers=jobs) as pool:  # one process per chapter at a time
        running = {nb.relative_to(src).as_posix(): pool.submit(execute, nb, scale, src) for nb in notebooks(src)}
        log(f"executing {len(running)} chapters at scale={scale}, {jobs} at a time ...")
        for name, future in running.items():
            try:
                times[name] = future.result()
                log(f"  {times[name]:7.1f} s  {name}")
            except Exception as err:  # a dead kernel too, not only a failing cell
                failures.append(str(err) if isinstance(err, ChapterError) else f"{name}: {err!r}")
                log(f"  FAILED     {failures[-1]}")
    return times, failures


def build_html(src, path_output=ROOT):
    """jupyter-book build, warnings as errors, no execution; HTML goes to path_output/_build/html."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(src), "--path-output", str(path_output), "--builder", "html",
           "-W", "-n", "--keep-going", "--all"]
    prepare_pages(src)
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


def finish_page(text):
    """One built page with the theme's extra scripts dropped and its workarounds applied."""
    text = _FONTAWESOME_JS.sub("", text)
    for duplicate in _THEBE_CONFIG.findall(text)[1:]:
        head, _, tail = text.rpartition(duplicate)
        text = head + tail
    text = text.replace(_SEARCH_FIELD + ' aria-label="Search"', _SEARCH_FIELD)
    text = text.replace(_HIDDEN_CODE_SUMMARY, "<summary>")
    text = text.replace(_SCROLL_BOX, '<div class="rnnkit-scroll" tabindex="0">')
    if "rnnkit-full-size" not in text:  # once only
        text = _OUTPUT_IMG.sub(r'<a class="rnnkit-full-size" href="\2" title="open the figure full size">\1</a>', text)
    return text


def finish_site(html):
    """Every page through finish_page, then the unused files out (slim_site)."""
    for page in Path(html).rglob("*.html"):
        text = page.read_text()
        if (new := finish_page(text)) != text:
            page.write_text(new)
    return slim_site(html)


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="auto", choices=["auto", "smoke", "cpu", "gpu"])
    parser.add_argument("--jobs", type=int, help="chapters executed at once (default: one per core, "
                        "or 1 at gpu scale)")
    parser.add_argument("--out", type=Path, default=ROOT,
                        help="folder that receives _build/src and _build/html (default: the checkout)")
    args = parser.parse_args(argv)
    # As the Makefile does: corpora from the sibling mirror folder when there is one.
    mirror = ROOT.parent / "shared" / "data"
    if not os.environ.get("RNNKIT_MIRROR") and (mirror / "SOURCES.md").is_file():
        os.environ["RNNKIT_MIRROR"] = str(mirror)

    start = time.perf_counter()
    src = prepare_sources(args.out / "_build" / "src")
    _, failures = execute_all(src, args.scale, jobs=args.jobs or default_jobs(args.scale))
    if failures:
        sys.exit("build_book: chapters failed, no HTML built:\n" + "\n".join(failures))
    t_exec = time.perf_counter()
    try:
        html = build_html(src, args.out)
    except RuntimeError as err:
        sys.exit(f"build_book: {err}")
    print(f"\n  {t_exec - start:7.1f} s  all chapters (scale={args.scale})\n"
          f"  {time.perf_counter() - t_exec:7.1f} s  jupyter-book build\nbook: {html / 'index.html'}")


if __name__ == "__main__":
    main()
