"""The book build's execution cache: each chapter's executed notebook and the files it wrote, kept
under a key of everything its outputs depend on, so a chapter runs again only when one of those
changed, and its outputs are merged into the current notebook (a markdown edit shows at once).

A chapter's key (sha256) covers
- its path in the book and its code cells in order: their sources, and the tags that change how
  papermill runs them (EXECUTION_TAGS); not its markdown and not the other tags;
- the parameters given to papermill (the scale asked for) and the scale that runs (auto: cpu/gpu);
- the library files its imports reach, modules and their data files (deps.Library.digest), and
  the files its code names by path (deps.named_files);
- the versions of torch and Python, and FORMAT (raised when what an entry holds changes).
The corpora: their sha256 are in the registry, rnnkit/corpora.json, a data file of rnnkit.data, so
every chapter that can load a corpus has them in its key (a rule that errs on the side of
re-running: a new sha256 for one corpus re-runs every such chapter). rnnkit.data refuses a file
whose sha256 is not the registry's, so the text a chapter reads cannot change under the same key.

An entry is a folder, entries/<chapter>.<scale>.<key>/: notebook.ipynb (as papermill wrote it),
files/ (what the chapter wrote to the book's static folder: its browser models) and entry.json
(their sha256, written last). It is assembled in tmp/ and renamed into place whole: a reader sees a
complete entry or none, and two builds storing at once both finish (the last rename wins). A
damaged entry (unreadable, a file missing or not matching its sha256) raises DamagedEntry, whose
message is the one line the build prints before running the chapter again.

Why not jupyter-cache (installed with Jupyter Book): its key is the code cells and the kernelspec,
so the library, corpora and versions would have to be smuggled into the notebook's metadata; its
merge pairs code cells one to one, which papermill's injected parameters cell breaks; it stores
the database record before the files (a killed build leaves a record of a partial entry) and keeps
no checksum to notice; and the browser models a chapter writes next to the book are not in the
notebook's folder, where it looks for artifacts.
"""
import hashlib
import json
import os
import platform
import shutil
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from .deps import Library, chapter_imports, named_files

FORMAT = 2
EXECUTION_TAGS = {"parameters", "raises-exception"}      # tags papermill acts on
EXECUTION_METADATA = ("language_info", "papermill", "widgets")  # notebook metadata a run writes
CELL_METADATA = ("execution", "papermill")                       # and cell metadata
WHY = {"code": "its code changed", "library": "the library it imports changed",
       "files": "a file it names changed", "run": "the parameters, torch or Python changed"}


class DamagedEntry(Exception):
    """A cache entry that cannot be used; the message says what is wrong, in one line."""

    def __init__(self, message):
        super().__init__(" ".join(str(message).split()))


@dataclass
class Entry:
    notebook: object   # nbformat.NotebookNode, as executed
    files: dict        # {path under the static folder: bytes}
    seconds: float


def _sha(data):
    return hashlib.sha256(data if isinstance(data, bytes) else json.dumps(data, sort_keys=True).encode()).hexdigest()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class ExecutionCache:
    """The cache in `folder` (the build's _build/cache), for chapters using the package at `library`;
    `variant` "instructor" keys the instructor's book apart (the student keys stay as they were)."""

    def __init__(self, folder, library, variant="student"):
        self.folder = Path(folder)
        self.library = Library(library)
        self.variant = variant

    # ------------------------------------------------------------------ keys

    def run_parts(self, scale):
        """What every chapter's key shares: parameters, the scale that runs, versions."""
        from rnnkit.presets import resolve_scale
        return {"format": FORMAT, "parameters": {"scale": scale}, "runs_as": resolve_scale(scale),
                "torch": version("torch"), "python": platform.python_version(),
                **({"book": self.variant} if self.variant != "student" else {})}

    def key(self, notebook, rel, run_parts, folder=None):
        """(key, parts) of the chapter at `rel` (in `folder`, for the files its code names):
        parts names what went into the key, one digest each."""
        code = [(c.source, sorted(EXECUTION_TAGS & set(c.metadata.get("tags", []))))
                for c in notebook.cells if c.cell_type == "code"]
        kernel = notebook.metadata.get("kernelspec", {}).get("name")
        sources = [source for source, _ in code]
        modules = chapter_imports(sources, self.library)
        parts = {"chapter": rel, "code": _sha([kernel, code]), "library": self.library.digest(modules),
                 "files": _sha(named_files(sources, folder) if folder else {}), "run": _sha(run_parts)}
        return _sha(parts), parts

    def _name(self, rel, scale):
        return f"{Path(rel).stem}.{scale}."

    def _entry(self, rel, scale, key):
        return self.folder / "entries" / f"{self._name(rel, scale)}{key[:32]}"

    # ------------------------------------------------------------------ read

    def load(self, rel, scale, key):
        """The entry stored under key, verified, or None when there is none (DamagedEntry if bad)."""
        folder = self._entry(rel, scale, key)
        if not folder.is_dir():
            return None
        import nbformat
        try:
            manifest = json.loads((folder / "entry.json").read_text())
            data = {name: (folder / name).read_bytes() for name in manifest["files"]}
            seconds = float(manifest["seconds"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise DamagedEntry(f"{folder.name} is incomplete ({type(err).__name__}: {err})") from None
        bad = [name for name, sha in manifest["files"].items() if _sha(data[name]) != sha]
        if bad or manifest.get("key") != key or "notebook.ipynb" not in data:
            raise DamagedEntry(f"{folder.name}: {', '.join(bad) or 'notebook.ipynb'} does not match its checksum")
        try:
            notebook = nbformat.reads(data.pop("notebook.ipynb").decode(), as_version=4)
        except Exception as err:  # nbformat raises several kinds for a bad notebook
            raise DamagedEntry(f"{folder.name}: notebook.ipynb does not read ({err})") from None
        files = {name.removeprefix("files/"): blob for name, blob in data.items()}
        return Entry(notebook, files, seconds)

    def why(self, rel, scale, parts):
        """Why a chapter is not in the cache, in a few words: what differs from its last entry."""
        for folder in (self.folder / "entries").glob(f"{self._name(rel, scale)}*"):
            try:
                old = json.loads((folder / "entry.json").read_text())["parts"]
            except (OSError, ValueError, KeyError):
                continue
            changed = [WHY[k] for k in WHY if old.get(k) != parts[k]]
            return ", ".join(changed) or "it was stored under another key"
        return "not run before"

    # ------------------------------------------------------------------ write

    def store(self, rel, scale, key, parts, notebook, files_dir, seconds):
        """Keep a chapter that ran to the end: its executed notebook and the files under files_dir.
        Replaces the chapter's older entries at this scale."""
        tmp = self.folder / "tmp" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        (tmp / "files").mkdir(parents=True)
        shutil.copyfile(notebook, tmp / "notebook.ipynb")
        if Path(files_dir).is_dir():
            shutil.copytree(files_dir, tmp / "files", dirs_exist_ok=True)
        files = {p.relative_to(tmp).as_posix(): _sha(p.read_bytes()) for p in sorted(tmp.rglob("*")) if p.is_file()}
        (tmp / "entry.json").write_text(json.dumps(
            {"chapter": rel, "scale": scale, "key": key, "parts": parts, "seconds": round(seconds, 1),
             "files": files}, indent=1))
        final = self._entry(rel, scale, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        self._remove(final)  # a FRESH build replaces what was there
        try:
            os.rename(tmp, final)
        except OSError:  # another build put the same entry there just now: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
        for old in final.parent.glob(f"{self._name(rel, scale)}*"):
            if old != final:
                self._remove(old)
        self._sweep()
        return final

    def _remove(self, folder):
        """Take an entry out of sight first (one rename), then delete it."""
        gone = self.folder / "tmp" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            os.rename(folder, gone)
        except OSError:
            return
        shutil.rmtree(gone, ignore_errors=True)

    def _sweep(self):
        """Delete what builds that died left in tmp/ (their process is gone)."""
        for path in (self.folder / "tmp").iterdir():
            pid = path.name.split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)

    # ------------------------------------------------------------------ timings

    def timings(self, scale):
        """{chapter: seconds} of the last run of each chapter at this scale (for the time left)."""
        try:
            return json.loads((self.folder / "timings.json").read_text()).get(scale, {})
        except (OSError, ValueError, AttributeError):
            return {}

    def record_timings(self, scale, seconds):
        try:
            every = json.loads((self.folder / "timings.json").read_text())
        except (OSError, ValueError):
            every = {}
        every.setdefault(scale, {}).update({k: round(v, 1) for k, v in seconds.items()})
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"timings.json.{os.getpid()}"
        tmp.write_text(json.dumps(every, indent=1, sort_keys=True))
        os.replace(tmp, self.folder / "timings.json")


def merge(current, executed):
    """The current notebook with the outputs of `executed` (the same code cells, run): markdown,
    tags and cell ids from the current one; outputs, run metadata and papermill's injected
    parameters cell from the run."""
    import copy
    run = [c for c in executed.cells if c.cell_type == "code"]
    injected = [i for i, c in enumerate(run) if "injected-parameters" in c.metadata.get("tags", [])]
    code_run = [c for c in run if "injected-parameters" not in c.metadata.get("tags", [])]
    merged = copy.deepcopy(current)
    code = [c for c in merged.cells if c.cell_type == "code"]
    if len(code) != len(code_run) or len(injected) > 1:
        raise DamagedEntry(f"the stored notebook has {len(code_run)} code cells, the chapter {len(code)}")
    for cell, done in zip(code, code_run):
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
        cell.metadata.update({k: done.metadata[k] for k in CELL_METADATA if k in done.metadata})
    if injected:  # papermill put it right after the parameters cell (at the top when there is none)
        after = code[injected[0] - 1] if injected[0] else None
        at = next(i + 1 for i, c in enumerate(merged.cells) if c is after) if after is not None else 0
        merged.cells.insert(at, run[injected[0]])
    merged.metadata.update({k: executed.metadata[k] for k in EXECUTION_METADATA if k in executed.metadata})
    return merged
