"""Corpora: find, download, verify and read the article's text files.

Every corpus has an entry in the registry, rnnkit/corpora.json (package data).
An entry names its text file by a path like `tinyshakespeare/input.txt`, and lists every
file that belongs to it (licence files travel with the text) with its size and sha256.
Each file says how to get it from its public origin:

  "url"                 a plain download (raw.githubusercontent.com at a fixed commit)
  "urls": [...]         the same file at several origins, tried in order until one gives the
                        right bytes (a permanent archive first, then today's address, ...)
  "url" + "prefix": n   keep only the first n bytes of that download ("urls" too)
  "from": key           build it from archive `key` of the entry's "archives" (tar, deb or zip,
                        with its own "url" or "urls"):
                        "member": one file of it, "concat": the files matching these globs
                        joined in byte order of their paths, "list": those paths, one a line
  "join": [paths]       the entry's other files joined, in this order (names = female + male)

fetch() looks for each file in three places, in order: the cache ($RNNKIT_CACHE, else
~/.cache/rnnkit), the mirror folder named by $RNNKIT_MIRROR (both laid out like the paths
above), and the origins, in order. Nothing is used before its sha256 matches, and a download
is moved into place only once it is complete and verified; a failed or wrong download from one
origin moves on to the next. A mirror file is read in place, so a cache that cannot be written
(/dev/null, read-only, full) only stops a download (a one-line DataError) or moves a built file
(a join) to a temporary folder of this process, with a warning.

read_text() decides what a "character" is:
  encoding="utf-8"   strict UTF-8; a leading BOM is dropped and CRLF or a lone CR become
                     LF, so the vocabulary is code points and line ends look alike.
  encoding="bytes"   one symbol per byte value, no changes at all (decoded as latin-1,
                     which maps byte b to code point b). This is what Lua char-rnn saw:
                     War and Peace then has the paper's 87 symbols.
  anything else      a Python codec name, e.g. "latin-1" or "utf-16" (a BOM picks the byte
                     order), decoded as is. A UTF-16 or UTF-32 file (it starts with a BOM)
                     read as anything else is refused with a message that says so.
"""
import atexit
import codecs
import functools
import hashlib
import http.client
import json
import lzma
import os
import sys
import tarfile
import shutil
import tempfile
import urllib.error
import urllib.request
import warnings
import zipfile
import zlib
from importlib import resources
from pathlib import Path

from . import archives
from . import files as fs
from .errors import RnnkitError, RnnkitWarning

CHUNK = 1 << 20


class DataError(RnnkitError):
    """A problem with a corpus that the user can fix; the message is one line."""


# ----------------------------------------------------------------------------- registry

@functools.lru_cache(maxsize=None)
def _registry():
    # the registry ships inside the package (pyproject.toml: package-data)
    return json.loads((resources.files("rnnkit") / "corpora.json").read_text("utf-8"))


def _entry(name):
    reg = _registry()
    if name not in reg:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(reg)} (or give a path to a text file)")
    return reg[name]


def _urls(spec):
    """The origins of a file or archive, in the order they are tried."""
    return list(spec["urls"]) if "urls" in spec else [spec["url"]]


def _origin(entry, rel):
    """The first URL a file ultimately comes from (for a join, its first part's)."""
    spec = entry["files"][rel]
    if "join" in spec:
        return _origin(entry, spec["join"][0])
    return _urls(spec if "from" not in spec else entry["archives"][spec["from"]])[0]


def cache_dir():
    """Where downloads and built files go: $RNNKIT_CACHE, else ~/.cache/rnnkit."""
    return Path(os.environ.get("RNNKIT_CACHE") or "~/.cache/rnnkit").expanduser()


def _mirror():
    m = os.environ.get("RNNKIT_MIRROR")
    return Path(m).expanduser() if m else None


def datasets():
    """One dict per registry entry, for `rnnkit datasets` and the book."""
    rows = []
    for name, entry in _registry().items():
        text = entry["files"][entry["path"]]
        # cached: every file that cannot be rebuilt locally is already here (size checked, not hashed)
        have = all(_present(rel, spec) for rel, spec in entry["files"].items() if "join" not in spec)
        rows.append(dict(name=name, title=entry["title"], description=entry["description"], size=text["size"],
                         licence=entry["licence"], url=_origin(entry, entry["path"]), cached=have))
    return rows


def _present(rel, spec):
    places = [cache_dir(), _mirror()]
    return any(p and (p / rel).is_file() and (p / rel).stat().st_size == spec["size"] for p in places)


# ----------------------------------------------------------------------------- verification

_GOOD = set()  # (path, size, mtime) already hashed this process: big corpora are hashed once


def _problem(path, spec):
    """None when path has the expected size and sha256, else what is wrong with it."""
    st = path.stat()
    if st.st_size != spec["size"]:
        return f"has {st.st_size:,} bytes, expected {spec['size']:,}"
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _GOOD:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                h.update(block)
        if h.hexdigest() != spec["sha256"]:
            return f"has sha256 {h.hexdigest()[:16]}..., expected {spec['sha256'][:16]}..."
        _GOOD.add(key)
    return None


def _locate(name, rel, spec):
    """A verified copy of rel in the cache or the mirror, else None."""
    cached = cache_dir() / rel
    if cached.is_file() and _problem(cached, spec) is None:
        return cached  # a bad cache copy is simply replaced by a fresh one
    mirror = _mirror()
    if mirror and (mirror / rel).is_file():
        if (why := _problem(mirror / rel, spec)) is None:
            return mirror / rel
        raise DataError(f"mirror file {mirror / rel} of {name} {why}; fix or remove it")
    return None


def _write_verified(name, rel, data, spec, origin):
    """Put bytes built in memory into the cache, atomically and only if they hash right."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec["sha256"] or len(data) != spec["size"]:
        raise DataError(f"{rel} of {name} built from {origin} does not match the registry "
                        f"({len(data):,} bytes, sha256 {digest[:16]}...); the origin may have changed")
    for folder in (cache_dir, _scratch):  # the cache at /dev/null, read-only or full: this process's own copy
        try:
            (folder() / rel).parent.mkdir(parents=True, exist_ok=True)
            return fs.write(folder() / rel, data)
        except OSError as e:
            if folder is _scratch:
                raise DataError(f"cannot write {rel} of {name} to the cache or a temp folder: {fs.reason(e)}") from e
            warnings.warn(f"cannot write {rel} to the cache {cache_dir()} ({fs.reason(e)}); using a temporary "
                          "copy (set RNNKIT_CACHE to a writable folder to keep it)", RnnkitWarning, stacklevel=2)


@functools.lru_cache(maxsize=None)
def _scratch():
    """A temporary folder of this process, removed when it exits."""
    path = Path(tempfile.mkdtemp(prefix="rnnkit-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# ----------------------------------------------------------------------------- fetch

def fetch(name, entry=None):
    """Path of the verified text file of dataset `name` (pass `entry` to use one not in the registry)."""
    entry = entry or _entry(name)
    files = entry["files"]
    found = {rel: _locate(name, rel, spec) for rel, spec in files.items()}
    missing = [rel for rel, p in found.items() if p is None and "join" not in files[rel]]
    if missing:  # downloads ahead: a cache that cannot take them is one error, not one per origin
        try:
            fs.prepare_folder(cache_dir())
        except OSError as e:
            raise DataError(f"cannot download {name}: the cache {cache_dir()} cannot be written ({fs.reason(e)}); "
                            "set RNNKIT_CACHE to a writable folder, or RNNKIT_MIRROR to a folder of corpora") from None
    for rel in [r for r in missing if "url" in files[r] or "urls" in files[r]]:
        spec = files[rel]
        found[rel] = _first_origin(name, _urls(spec), lambda url: _download(
            name, url, cache_dir() / rel, spec, prefix=spec.get("prefix")))
    for key in dict.fromkeys(files[r]["from"] for r in missing if "from" in files[r]):
        wanted = {r: files[r] for r in missing if files[r].get("from") == key}
        found.update(_from_archive(name, entry["archives"][key], wanted))
    for rel, spec in files.items():
        if found[rel] is None:  # a join: its parts are all here now
            data = b"".join(found[part].read_bytes() for part in spec["join"])
            found[rel] = _write_verified(name, rel, data, spec, "its parts")
    return found[entry["path"]]


def corpus_file(name, rel):
    """Path of one verified file of corpus `name`, by its path in the registry (e.g.
    "names/cmu/female.txt" of "names"): the corpus is fetched first if need be."""
    files = _entry(name)["files"]
    if rel not in files:
        raise DataError(f"{name} has no file {rel!r}; its files: {', '.join(files)}")
    fetch(name)
    return _locate(name, rel, files[rel])


def _first_origin(name, urls, attempt):
    """attempt(url) for each origin in turn until one returns; DataError naming every failure
    if none does (a wrong or missing file at one origin is not the end)."""
    failures = []
    for i, url in enumerate(urls):
        try:
            return attempt(url)
        except DataError as e:
            failures.append(str(e))
            if i + 1 < len(urls):
                print(f"rnnkit: {e}; trying the next origin", file=sys.stderr)
    if len(failures) == 1:
        raise DataError(failures[0])
    raise DataError(f"no origin of {name} gave the right file ({len(urls)} tried): " + " | ".join(failures))


def _download(name, url, dest, spec=None, prefix=None):
    """Stream url to dest via a temp file beside it, hashed as it goes; in place only once whole and verified."""
    dest.parent.mkdir(parents=True, exist_ok=True)  # fetch() proved the cache writable
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=dest.name + ".", suffix=".part")
    h, got, total, broken = hashlib.sha256(), 0, None, False
    try:
        with os.fdopen(fd, "wb") as out:
            print(f"rnnkit: downloading {name} from {url}", file=sys.stderr)
            try:
                response = urllib.request.urlopen(url, timeout=60)
            except urllib.error.HTTPError as e:
                raise DataError(f"download of {name} from {url} failed: HTTP {e.code} {e.reason}") from None
            except (urllib.error.URLError, OSError) as e:
                mirror = f"RNNKIT_MIRROR={_mirror()} lacks it" if _mirror() else "RNNKIT_MIRROR is not set"
                raise DataError(f"cannot get {name}: {url} is unreachable ({getattr(e, 'reason', e)}), it is not "
                                f"in the cache {cache_dir()} and {mirror}; go online or set RNNKIT_MIRROR "
                                f"to a folder of corpora") from None
            with response:
                length = int(response.headers.get("Content-Length") or 0) or None
                total = prefix or length or (spec or {}).get("size")
                try:
                    while block := response.read(CHUNK if total is None else min(CHUNK, total - got)):
                        h.update(block)
                        _write_block(out, block, name)
                        got += len(block)
                except (OSError, http.client.HTTPException):  # reset, or a chunked body cut short
                    broken = True
        # a body that simply stops early (fewer bytes than Content-Length) ends the loop quietly
        if broken or (total is not None and got < total):
            of = f" of {total:,}" if total else ""
            raise DataError(f"download of {name} interrupted after {got:,}{of} bytes ({url})")
        if spec and h.hexdigest() != spec["sha256"]:
            raise DataError(f"download of {name} from {url}: checksum mismatch (sha256 {h.hexdigest()[:16]}..., "
                            f"expected {spec['sha256'][:16]}...); nothing was kept")
        os.replace(tmp, dest)
        return dest
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_block(out, block, name):
    try:
        out.write(block)
    except OSError as e:  # the cache's disk, not the network: say so (and keep nothing)
        raise DataError(f"cannot download {name}: writing to the cache {cache_dir()} failed ({fs.reason(e)})") from None


# ----------------------------------------------------------------------------- archives

def _from_archive(name, archive, wanted):
    """Build every wanted file from the archive's first origin that gives files that verify."""
    return _first_origin(name, _urls(archive), lambda url: _build_from(name, archive, url, wanted))


def _build_from(name, archive, url, wanted):
    """Download the archive from url, build every wanted file from it, then delete the archive."""
    own = f"{os.getpid()}-{os.urandom(4).hex()}-{url.rsplit('/', 1)[-1]}"  # two builders at once: one copy each
    path = _download(name, url, cache_dir() / "downloads" / own, archive if "sha256" in archive else None)
    try:
        members = {}  # only the members some wanted file needs, stripped of leading folders
        for member, read in archives.members(archive, path):
            member = member.removeprefix("./").split("/", archive.get("strip", 0))[-1]
            if any(archives.wants(spec, member) for spec in wanted.values()):
                members[member] = read()
    except (tarfile.TarError, zipfile.BadZipFile, lzma.LZMAError, zlib.error, EOFError, OSError, ValueError) as e:
        raise DataError(f"cannot unpack {url} for {name}: {e}") from None
    finally:
        path.unlink()
    built = {}
    for rel, spec in wanted.items():
        if "member" in spec:
            if spec["member"] not in members:
                raise DataError(f"{url} has no {spec['member']} (needed for {rel} of {name})")
            data = members[spec["member"]]
        else:
            names = sorted((m for m in members if archives.wants(spec, m)), key=lambda m: m.encode("utf-8", "surrogateescape"))
            data = b"".join(members[m] for m in names) if "concat" in spec else "".join(m + "\n" for m in names).encode()
        built[rel] = _write_verified(name, rel, data, spec, url)
    return built


# ----------------------------------------------------------------------------- reading text

_CONTROL = bytes(set(range(32)) - set(b"\t\n\v\f\r\x1b") | {127})  # bytes no text file is made of


def read_text(path, encoding="utf-8"):
    """The contents of a text file as a str (see the module docstring for `encoding`)."""
    path = Path(path)
    try:
        codec = "bytes" if encoding == "bytes" else codecs.lookup(encoding).name
        text = codec == "bytes" or getattr(codecs.lookup(codec), "_is_text_encoding", True)  # not base64, rot13
    except (LookupError, TypeError, ValueError):
        text = False
    if not text:
        raise DataError(f"unknown encoding {encoding!r} for {path}; use 'utf-8', 'bytes' "
                        f"or a Python codec name such as 'latin-1'") from None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"cannot read {path}: no such file") from None
    except OSError as e:
        raise DataError(f"cannot read {path}: {fs.reason(e)}") from None
    if not data:
        raise DataError(f"{path} is empty")
    wide = _wide_bom(data)
    if wide and not codec.startswith(wide):
        raise DataError(f"{path} is {wide.upper()} text (it starts with a {wide.upper()} byte-order mark); "
                        f"read it with encoding='{wide}' (command line: --encoding {wide})")
    if wide:  # two or four bytes a character: NULs are normal, decode before the binary check
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as e:
            raise DataError(f"{path} is not valid {encoding}: {e.reason} at byte {e.start:,}") from None
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = len(data) - len(data.translate(None, _CONTROL))
    if b"\0" in data or control > 0.05 * len(data):
        why = "contains NUL bytes" if b"\0" in data else f"{control / len(data):.0%} of its bytes are control codes"
        raise DataError(f"{path} looks like a binary file, not text ({why})")
    if codec == "bytes":
        return data.decode("latin-1")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise DataError(f"{path} is not valid {encoding}: byte 0x{data[e.start]:02x} at offset {e.start:,} "
                        f"({e.reason}); try encoding='bytes' or encoding='latin-1'") from None
    if codec == "utf-8":
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text


def _wide_bom(data):
    """'utf-32' or 'utf-16' when data starts with that byte-order mark, else None."""
    if data[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return "utf-32"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    return None


def resolve(name_or_path):
    """A registry name as it is, an existing file as its absolute path (so a checkpoint that
    stores it works from any folder); else a DataError: "no such file" for what looks like a
    path, "unknown dataset" for a bare name."""
    if isinstance(name_or_path, str) and name_or_path in _registry():
        return name_or_path
    path = Path(name_or_path).expanduser()
    try:
        if path.is_file():
            return str(path.resolve())
        exists = path.exists()
    except OSError as e:  # a name too long, a folder that cannot be searched
        raise DataError(f"cannot read {path}: {fs.reason(e)}") from None
    if exists:
        raise DataError(f"{path} is not a file; give a dataset name or a path to a text file")
    if len(path.parts) > 1 or path.suffix or str(name_or_path).startswith(("~", ".")):
        raise DataError(f"no such file: {path}")
    _entry(str(name_or_path))  # raises "unknown dataset ..."


def load(name_or_path, encoding="utf-8"):
    """The text of a registry corpus (by name) or of any text file (by path)."""
    where = resolve(name_or_path)
    return read_text(fetch(where) if where in _registry() else Path(where), encoding)
