"""Writing files without ever harming one that rnnkit did not write: every file rnnkit writes
(checkpoints, exported models, cached corpora) goes through here.

    write(path, data)                    # atomic: a temp file beside it, synced, renamed over it
    write(path, data, overwrite=False)   # the same, but FileExistsError if path exists (no race)
    prepare_folder(folder)               # make it and prove it writable, before any long work
    clean_stale(folder)                  # remove temp files of writers that provably died

Temp files. A write goes to `<name>.rnnkit-<host>-<pid>-<random>.tmp` in the target's folder,
created exclusively and locked (flock) by its writer for as long as it exists. The lock is
what proves a writer dead: the kernel drops it when the process dies, whatever its PID
namespace (a container), and NFS carries it to the server. clean_stale() removes only files
with this exact pattern, written on this host, older than a minute (the instant between
creating and locking), whose lock it can take. Anything else, old rnnkit temp names
included, is left alone: a PID alone proves nothing across containers or machines.

No overwrite. overwrite=False publishes with a hard link, which fails if the name exists
(atomic, unlike a check before a rename); a file system without hard links falls back to a
check then a rename. Errors are OSError; reason(e) says one in words ("no space left on device").
"""
import errno
import os
import re
import secrets
import socket
import stat
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no locks, so no temp file can be proved stale
    fcntl = None

TEMP = re.compile(r"^(?P<name>.*)\.rnnkit-(?P<host>[A-Za-z0-9.-]+)-(?P<pid>\d+)-(?P<rand>[0-9a-f]{8})\.tmp$")
MIN_AGE = 60  # seconds: a temp file younger than this may be one a writer has not locked yet


def host():
    """This machine's name as it appears in temp file names."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:64] or "host"


def reason(e):
    """One OSError in a few words."""
    if e.errno == errno.ENOSPC:
        return "no space left on device"
    text = e.strerror or str(e)
    return text[:1].lower() + text[1:]


def _temp_path(path):
    return path.with_name(f"{path.name[:120]}.rnnkit-{host()}-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _open_locked(tmp):
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without locks: the file is then never proved stale
            pass
    return fd


def write(path, data, overwrite=True):
    """Write bytes `data` to `path` atomically (never a half-written file, even on Ctrl-C or a
    full disk: the temp file is removed and an existing file is kept). overwrite=False raises
    FileExistsError when path exists. Returns path."""
    path = Path(path)
    tmp = _temp_path(path)
    fd = _open_locked(tmp)
    try:
        view = memoryview(data).cast("B")
        while view:
            view = view[os.write(fd, view[:1 << 24]):]
        os.fsync(fd)  # the data is on disk before the name points at it
        _publish(tmp, path, overwrite)
        _fsync_dir(path.parent)
    except BaseException:  # any error, Ctrl-C included: no partial file stays behind
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
    finally:
        os.close(fd)  # after the rename: the lock was held for as long as the temp name existed
    return path


def _publish(tmp, path, overwrite):
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails with EEXIST if the name is taken: no window between check and act
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(path):  # no hard links here (FAT, some network file systems)
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_dir(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every system opens folders (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def prepare_folder(folder):
    """Make `folder` (and its parents) and prove it writable by writing and removing a temp
    file of our own. Returns the folders it created, deepest last (what undo_folders() may
    remove). OSError (ENOTDIR, ENAMETOOLONG, EROFS, EACCES, ENOSPC...) if it cannot be used."""
    folder = Path(folder)
    missing = []
    for p in (folder, *folder.parents):
        if os.path.lexists(p):
            if not p.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, f"{p} is not a folder", str(p))
            break
        missing.append(p)
    folder.mkdir(parents=True, exist_ok=True)
    probe = _temp_path(folder / "probe")
    os.close(_open_locked(probe))
    probe.unlink()
    return missing[::-1]


def undo_folders(created):
    """Remove the folders prepare_folder() made, deepest first, as long as they are empty."""
    for p in reversed(created):
        try:
            p.rmdir()
        except OSError:
            return


def clean_stale(folder, min_age=MIN_AGE):
    """Remove the temp files in `folder` whose writer provably died (see the module docstring).
    Returns the removed paths."""
    if fcntl is None:
        return []
    removed, me = [], host()
    for p in Path(folder).glob("*.rnnkit-*.tmp"):
        m = TEMP.match(p.name)
        if not m or m["host"] != me:
            continue
        try:
            if _dead_writer(p, min_age):
                removed.append(p)
        except OSError:
            continue
    return removed


def _dead_writer(p, min_age):
    """Unlink p if it is a regular file older than min_age whose lock nobody holds."""
    fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime > min_age):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: its writer is alive (or locks do not work here: leave it)
            return False
        if os.stat(p, follow_symlinks=False).st_ino != st.st_ino:  # replaced meanwhile
            return False
        os.unlink(p)
        return True
    finally:
        os.close(fd)
