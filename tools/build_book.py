"""Build the book: run every chapter once with papermill, then build HTML from those notebooks.

    .venv/bin/python tools/build_book.py --scale smoke   # quick preview (about a minute)
    .venv/bin/python tools/build_book.py                 # scale auto: gpu with CUDA, else cpu

The book sources are copied to _build/src/ and executed there, so the checkout stays clean (the
committed notebooks have no outputs). HTML lands in _build/html. tests/test_book.py imports the
same functions, so the book is tested the way it is built. Chapters run one per core on a CPU.
"""
import argparse
import os
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
    "rnnkit-vendor/mathjax/tex-mml-chtml.js": "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-mml-chtml.js",
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
    if (VENDOR / "rnnkit-vendor").is_dir():
        (dest / "_vendor" / "rnnkit-vendor").symlink_to(VENDOR / "rnnkit-vendor", target_is_directory=True)
    _fall_back_to_cdn(dest / "_config.yml")
    return dest


def _fall_back_to_cdn(config_path):
    """Point the config at the CDN for each vendored file that is missing."""
    config = yaml.safe_load(config_path.read_text())
    sphinx = config["sphinx"]["config"]
    missing = [path for path in CDN if not (VENDOR / path).is_file()]
    if not missing:
        return
    print(f"build_book: not vendored (run tools/vendor.sh), using the CDN for: {', '.join(missing)}",
          file=sys.stderr)
    if sphinx.get("mathjax_path") in missing:
        sphinx["mathjax_path"] = CDN[sphinx["mathjax_path"]]
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
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"jupyter-book build failed:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}")
    return Path(path_output) / "_build" / "html"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="auto", choices=["auto", "smoke", "cpu", "gpu"])
    parser.add_argument("--jobs", type=int, help="chapters executed at once (default: one per core, "
                        "or 1 at gpu scale)")
    args = parser.parse_args(argv)
    # As the Makefile does: corpora from the sibling mirror folder when there is one.
    mirror = ROOT.parent / "shared" / "data"
    if not os.environ.get("RNNKIT_MIRROR") and (mirror / "SOURCES.md").is_file():
        os.environ["RNNKIT_MIRROR"] = str(mirror)

    start = time.perf_counter()
    src = prepare_sources(ROOT / "_build" / "src")
    _, failures = execute_all(src, args.scale, jobs=args.jobs or default_jobs(args.scale))
    if failures:
        sys.exit("build_book: chapters failed, no HTML built:\n" + "\n".join(failures))
    t_exec = time.perf_counter()
    try:
        html = build_html(src)
    except RuntimeError as err:
        sys.exit(f"build_book: {err}")
    print(f"\n  {t_exec - start:7.1f} s  all chapters (scale={args.scale})\n"
          f"  {time.perf_counter() - t_exec:7.1f} s  jupyter-book build\nbook: {html / 'index.html'}")


if __name__ == "__main__":
    main()
