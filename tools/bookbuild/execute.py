"""Executing the chapters: each one with papermill in its own kernel, through the execution cache.

    times, failures = execute_all(src, "cpu", jobs=2, cache=ExecutionCache(folder, library))

execute_all computes every chapter's key, takes from the cache the ones it has (their outputs
merged into the current notebook), runs the others `jobs` at a time, the longest first by the last
build's timings, stores each that ran to the end, and logs one line per chapter (progress.py).
Without a cache every chapter runs, as the test suite's own build does.

A chapter's outputs are its notebook and the files it writes to the static folder (its browser
models, rnnkit.book.live): each chapter writes to a folder of its own, _static-<chapter>, beside
the static folder (so its pages' relative URLs stay right), moved there once it has run, so that
the cache knows which files are whose while two chapters run at once.

The kernels' own messages (the TCP warning, the KeyboardInterrupt at shutdown) go to
<src>/../logs/<chapter>.log, not to the terminal; a failing chapter still reports its cell, the
line that failed and the error.
"""
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

from .cache import DamagedEntry, merge
from .progress import Progress
from .sources import STATIC, notebooks

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"^Cell In\[\d+\], line (\d+)")


class ChapterError(RuntimeError):
    """A chapter failed to execute; the message names the chapter, the cell, its line and the error."""


@contextmanager
def _output_to(path):
    """Send this process's stdout and stderr (and so its kernels') to the file at `path`."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = [os.dup(1), os.dup(2)]
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        os.dup2(target, 1)
        os.dup2(target, 2)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, target):
            os.close(fd)


def execute(notebook, scale, src_root, static=None, kernel_log=None):
    """Run one notebook in place at `scale` and return the seconds it took.
    static: the folder its browser files go to (a folder of src_root; default the static folder);
    kernel_log: the file that receives the kernel's own messages (default: none kept)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    import nbformat

    notebook = Path(notebook)
    cells = nbformat.read(notebook, as_version=4).cells  # read before papermill rewrites the file
    params_at = next((i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), -1)
    # The slider and friends check this to build their static (kernel-free) form.
    os.environ["RNNKIT_BOOK_BUILD"] = "1"
    # rnnkit.book.live writes the chapters' browser models here, and links them from its parent.
    os.environ["RNNKIT_BOOK_STATIC"] = str(Path(static or Path(src_root) / STATIC).resolve())
    start = time.perf_counter()
    try:
        with _output_to(kernel_log or os.devnull):
            papermill.execute_notebook(
                str(notebook), str(notebook), parameters={"scale": scale}, kernel_name="python3",
                language="python", cwd=str(notebook.parent), progress_bar=False, log_output=False)
    except PapermillExecutionError as err:
        # papermill ran one extra cell, its injected parameters, right after the parameters cell
        index = err.cell_index - 1 if err.cell_index > params_at else err.cell_index
        where = _failed_line(cells[index].source if 0 <= index < len(cells) else "", err)
        raise ChapterError(f"{notebook.relative_to(src_root)}: cell index {index} (execution count "
                           f"{err.exec_count}) raised {err.ename}: {err.evalue}{where}") from None
    return time.perf_counter() - start


def _failed_line(source, err):
    """'\n    line 3: json.loads(text)': the cell's line IPython's traceback points at, or ''."""
    frames = [_ANSI.sub("", frame) for frame in err.traceback]
    found = next((m for m in map(_CELL_FRAME.match, frames) if m), None)
    lines = source.splitlines()
    if not found or not 0 < int(found.group(1)) <= len(lines):
        return ""  # no frame in the cell: a dead kernel, an error raised by IPython itself
    return f"\n    line {found.group(1)}: {lines[int(found.group(1)) - 1].strip()}"


def default_jobs(scale):
    """One chapter per core on a CPU, one at a time on a GPU (they would only queue there)."""
    from rnnkit.presets import resolve_scale
    return 1 if resolve_scale(scale) == "gpu" else max(1, os.cpu_count() or 1)


def _own_static(src, chapter):
    return Path(src) / f"_static-{Path(chapter).stem}"


def _run(src, chapter, scale):
    """One chapter, in a worker process: its browser files and kernel log to folders of its own."""
    logs = Path(src).parent / "logs"
    logs.mkdir(exist_ok=True)
    static = _own_static(src, chapter)
    shutil.rmtree(static, ignore_errors=True)
    log = logs / f"{Path(chapter).stem}.log"
    log.unlink(missing_ok=True)
    return execute(Path(src) / chapter, scale, src, static=static, kernel_log=log)


def install(src, chapter, current, executed, files):
    """Put a chapter's page notebook (current + the outputs of `executed`) and its files into src."""
    import nbformat
    nbformat.write(merge(current, executed), Path(src) / chapter)
    for name, data in files.items():
        (Path(src) / STATIC / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(src) / STATIC / name).write_bytes(data)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def _take_cached(src, current, cache, scale, fresh, progress, log):
    """Install every chapter the cache has; returns ({chapter: (key, parts)}, {chapter: why it
    runs}, [chapters to run])."""
    keys, why, todo = {}, {}, []
    run_parts = cache.run_parts(scale) if cache else None
    if cache and fresh:
        log("a fresh build: every chapter runs, whatever the cache holds (and is stored again)")
    for chapter, notebook in current.items():
        entry = None
        if cache:
            keys[chapter] = cache.key(notebook, chapter, run_parts, (src / chapter).parent)
            try:
                entry = None if fresh else cache.load(chapter, scale, keys[chapter][0])
            except DamagedEntry as err:
                log(f"cache: {err}; executing {Path(chapter).stem} again")
            why[chapter] = "" if fresh else cache.why(chapter, scale, keys[chapter][1])
        if entry:
            install(src, chapter, notebook, entry.notebook, entry.files)
            progress.cached(chapter)
        else:
            todo.append(chapter)
    return keys, why, todo


def execute_all(src, scale, jobs=1, log=print, cache=None, fresh=False):
    """Execute the chapters of the book at `src` that the cache lacks (all without one; all but
    stored afresh with fresh=True), `jobs` at a time, going on past failures.

    Returns ({chapter: seconds} of those executed, [failure messages]); a chapter in neither came
    from the cache.
    """
    import nbformat

    src = Path(src)
    current = {nb.relative_to(src).as_posix(): nbformat.read(nb, as_version=4) for nb in notebooks(src)}
    progress = Progress(list(current), cache.timings(scale) if cache else {}, jobs, log)
    keys, why, todo = _take_cached(src, current, cache, scale, fresh, progress, log)
    times, failures = {}, []
    if not todo:
        return times, failures
    if jobs > 1:
        # One thread per kernel when several run: as fast in total, and much steadier when a
        # neighbour is busy (2 threads on 2 shared cores stall each other; see CPU-NOTES).
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    todo = progress.order(todo)
    progress.start(todo, scale, len(current) - len(todo))
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:  # one process per chapter at a time
        running = {pool.submit(_run, src, c, scale): c for c in todo}  # started in this order
        for future in as_completed(running):
            chapter = running[future]
            static = _own_static(src, chapter)
            try:
                times[chapter] = future.result()
            except Exception as err:  # a dead kernel too, not only a failing cell
                failures.append(str(err) if isinstance(err, ChapterError) else f"{chapter}: {err!r}")
                progress.failed(chapter, failures[-1])
                shutil.rmtree(static, ignore_errors=True)
                continue
            if cache:
                cache.store(chapter, scale, *keys[chapter], src / chapter, static, times[chapter])
            install(src, chapter, current[chapter], nbformat.read(src / chapter, as_version=4), _files(static))
            shutil.rmtree(static, ignore_errors=True)
            progress.executed(chapter, times[chapter], why.get(chapter, ""))
    if cache and times:
        cache.record_timings(scale, times)
    return times, failures
