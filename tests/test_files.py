"""rnnkit.files: atomic writes that never overwrite when asked not to and never leave a temp
file behind; folders proved writable before a run; and a stale-temp cleaner that removes only
this writer's files whose writer provably died (a held lock is a live writer, whatever its PID
says: another container, another PID namespace)."""
import errno
import os
import subprocess
import sys
import time

import pytest

from rnnkit import files

OLD = time.time() - 3600


def temp_name(target, host=None, pid=999999):
    return f"{target}.rnnkit-{host or files.host()}-{pid}-0123abcd.tmp"


def aged(path, data=b"PK\x03\x04 half a file"):
    path.write_bytes(data)
    os.utime(path, (OLD, OLD))
    return path


def test_a_write_is_whole_or_nothing_and_names_its_temp_file_by_host_pid_and_a_random_part(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: seen.append(os.path.basename(a)) or real_replace(a, b))
    files.write(tmp_path / "a.pt", b"one")
    files.write(tmp_path / "a.pt", b"two")
    assert (tmp_path / "a.pt").read_bytes() == b"two" and os.listdir(tmp_path) == ["a.pt"]
    m = files.TEMP.match(seen[0])
    assert m["name"] == "a.pt" and m["host"] == files.host() and int(m["pid"]) == os.getpid()
    assert seen[0] != seen[1]  # a random part: two writers in one process never share a temp file


def test_overwrite_false_keeps_the_file_that_is_there(tmp_path):
    files.write(tmp_path / "a.pt", b"first")
    with pytest.raises(FileExistsError):
        files.write(tmp_path / "a.pt", b"second", overwrite=False)
    assert (tmp_path / "a.pt").read_bytes() == b"first" and os.listdir(tmp_path) == ["a.pt"]


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_full_disk_or_ctrl_c_mid_write_leaves_no_temp_file_and_the_old_file(tmp_path, monkeypatch, failure):
    files.write(tmp_path / "a.pt", b"old")
    real_write, calls = os.write, []

    def failing(fd, data):
        calls.append(fd)
        if len(calls) > 1:
            raise failure
        return real_write(fd, bytes(data[:3]))  # a short write first: the loop writes the rest

    monkeypatch.setattr(os, "write", failing)
    with pytest.raises(type(failure)):
        files.write(tmp_path / "a.pt", b"new data")
    assert os.listdir(tmp_path) == ["a.pt"] and (tmp_path / "a.pt").read_bytes() == b"old"


def test_prepare_folder_makes_it_proves_it_and_says_what_it_made(tmp_path, monkeypatch):
    made = files.prepare_folder(tmp_path / "a" / "b")
    assert made == [tmp_path / "a", tmp_path / "a" / "b"] and os.listdir(tmp_path / "a" / "b") == []
    assert files.prepare_folder(tmp_path / "a" / "b") == []
    files.undo_folders(made)
    assert os.listdir(tmp_path) == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="file is not a folder"):
        files.prepare_folder(tmp_path / "file" / "sub")
    with pytest.raises(OSError) as e:
        files.prepare_folder(tmp_path / ("n" * 300))
    assert e.value.errno == errno.ENAMETOOLONG and files.reason(e.value) == "file name too long"
    real_open = os.open

    def read_only(path, flags, *a, **k):  # tests run as root, which ignores chmod
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(PermissionError):
        files.prepare_folder(tmp_path)


def test_the_cleaner_removes_only_dead_writers_files_of_its_own_kind_on_this_host(tmp_path):
    dead = aged(tmp_path / temp_name("a.pt"))
    young = tmp_path / temp_name("b.pt")
    young.write_bytes(b"a save that may not have locked its file yet")
    other_host = aged(tmp_path / temp_name("c.pt", host="another-machine"))
    others = [aged(tmp_path / n) for n in ("d.pt.tmp", "e.pt.12345-0123abcd.tmp", "notes.tmp", "f.pt")]
    assert files.clean_stale(tmp_path) == [dead]
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in [young, other_host, *others])


def test_a_locked_temp_file_is_a_live_writer_even_when_its_pid_is_gone_here(tmp_path):
    # A save running in another container: its PID means nothing in ours (999999 is no
    # process here), but it holds the lock, so its file is never removed.
    live = aged(tmp_path / temp_name("a.pt", pid=999999))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(live)!r}, os.O_RDONLY)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert files.clean_stale(tmp_path) == [] and live.exists()
    finally:
        holder.kill()
        holder.wait()
    assert files.clean_stale(tmp_path) == [live] and not live.exists()  # its writer died: now it goes


def test_a_writer_holds_the_lock_while_it_writes(tmp_path, monkeypatch):
    real_write, checked = os.write, []

    def write_and_try_to_clean(fd, data):
        for p in tmp_path.glob("*.tmp"):
            os.utime(p, (OLD, OLD))  # old enough to be cleaned, were its writer dead
        checked.append(files.clean_stale(tmp_path))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write_and_try_to_clean)
    files.write(tmp_path / "a.pt", b"data")
    assert checked == [[]] and (tmp_path / "a.pt").read_bytes() == b"data"
