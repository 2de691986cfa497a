"""Build the book: execute the chapters whose inputs changed, then build the HTML from them.

    .venv/bin/python tools/build_book.py --scale smoke   # quick preview (about a minute)
    .venv/bin/python tools/build_book.py                 # scale auto: gpu with CUDA, else cpu
    .venv/bin/python tools/build_book.py --fresh         # execute every chapter, cache or not
    .venv/bin/python tools/build_book.py --instructor    # the instructor's book (solutions in place)

The sources are copied to _build/src and executed there (the committed notebooks keep no
outputs); a chapter whose code, parameters, imported library files and torch are unchanged takes
its outputs from the cache, _build/cache (`make clean` clears it). HTML lands in _build/html.
--instructor builds in _build/instructor instead (its own sources, cache and _build/html): every
exercise stub replaced by the solution from solutions/, the notes after each check. The student
build never reads solutions/.
The parts live in tools/bookbuild/ (its __init__ lists them); the tests import the same functions.
"""
import argparse
import fcntl
import functools
import importlib.util
import time
from contextlib import contextmanager
from pathlib import Path

from bookbuild.cache import ExecutionCache
from bookbuild.execute import default_jobs, execute_all
from bookbuild.finish import build_html
from bookbuild.instructor import solve
from bookbuild.mirror import use_default_mirror
from bookbuild.progress import duration
from bookbuild.sources import ROOT, notebooks, prepare_sources

SCALES = ["auto", "smoke", "cpu", "gpu"]


@contextmanager
def one_build_at_a_time(folder, log):
    """A second build in the same folder waits: it would clear the first one's _build/src."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"another build is using {folder}; waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(out, scale="auto", jobs=None, fresh=False, cache=None, book=ROOT, library=None, log=print,
          instructor=False):
    """Execute what changed and build the HTML into out/_build/html. Returns (html, {chapter:
    seconds} executed); a chapter that fails raises SystemExit with every failure, no HTML built."""
    build_dir = Path(out) / "_build"
    library = library or Path(importlib.util.find_spec("rnnkit").origin).parent
    with one_build_at_a_time(build_dir, log):
        start = time.perf_counter()
        src = prepare_sources(build_dir / "src", book=book)
        if instructor:
            solved = solve(src)
            log(f"instructor build: {sum(map(len, solved.values()))} exercises solved in {len(solved)} chapters")
        chapters = len(notebooks(src))
        store = ExecutionCache(cache or build_dir / "cache", library,
                               variant="instructor" if instructor else "student")
        times, failures = execute_all(src, scale, jobs=jobs or default_jobs(scale), log=log, cache=store,
                                      fresh=fresh)
        if failures:
            raise SystemExit("build_book: chapters failed, no HTML built:\n" + "\n".join(failures))
        t_exec = time.perf_counter()
        try:
            html = build_html(src, out)
        except RuntimeError as err:
            raise SystemExit(f"build_book: {err}") from None
    # src may be another build's from here on: it was waiting for this one
    end = time.perf_counter()
    log(f"{chapters} chapters ({len(times)} executed, {chapters - len(times)} cached) in "
        f"{duration(t_exec - start)}, jupyter-book {duration(end - t_exec)}: {duration(end - start)} in all")
    log(f"book: {html / 'index.html'}")
    return html, times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="auto", choices=SCALES)
    parser.add_argument("--jobs", type=int, help="chapters executed at once (default: one per core, "
                        "or 1 at gpu scale)")
    parser.add_argument("--out", type=Path, help="folder that receives _build/src, _build/cache and "
                        "_build/html (default: the checkout, or _build/instructor with --instructor)")
    parser.add_argument("--fresh", action="store_true", help="execute every chapter, whatever the cache holds "
                        "(the results are cached)")
    parser.add_argument("--cache", type=Path, help="the execution cache (default: OUT/_build/cache)")
    parser.add_argument("--book", type=Path, default=ROOT, help="the book's sources (default: the checkout)")
    parser.add_argument("--instructor", action="store_true", help="the instructor's book: every exercise "
                        "solved from solutions/, with its notes (default out: _build/instructor)")
    args = parser.parse_args(argv)
    out = args.out or (ROOT / "_build" / "instructor" if args.instructor else ROOT)
    use_default_mirror()  # corpora from the sibling mirror folder when there is one
    build(out.resolve(), args.scale, args.jobs, args.fresh, args.cache, args.book.resolve(),
          log=functools.partial(print, flush=True), instructor=args.instructor)


if __name__ == "__main__":
    main()
