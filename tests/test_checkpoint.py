"""Checkpoint files: atomic saves, two writers, a full disk, stale temporary files, the choice
of the best file in a folder, and checkpoints whose parts do not fit together."""
import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

from rnnkit import checkpoint
from rnnkit.checkpoint import CheckpointError
from rnnkit.model import CharRNN
from rnnkit.text import Vocab

TEXT = "the quick brown fox jumps over the lazy dog\n" * 20


def tiny_ckpt(pad=0):
    v = Vocab.from_text(TEXT)
    m = CharRNN(len(v), "lstm", 1, 8)
    ckpt = {"model_args": m.args, "model": m.state_dict(), "vocab": v.state_dict()}
    if pad:
        ckpt["pad"] = torch.zeros(pad // 4)  # float32: pad bytes
    return ckpt


def temp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_save_writes_a_temp_file_beside_syncs_and_renames(tmp_path, monkeypatch):
    synced, renamed = [], []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: renamed.append((Path(a), Path(b))) or real_replace(a, b))
    path = checkpoint.save(tmp_path / "sub" / "a.pt", tiny_ckpt())
    checkpoint.save(path, tiny_ckpt())
    assert [p.name for p in path.parent.iterdir()] == ["a.pt"]
    assert len(renamed) == 2 and len(synced) >= 2
    (tmp1, dst1), (tmp2, dst2) = renamed
    assert dst1 == dst2 == path and tmp1.parent == path.parent and tmp1 != tmp2  # same folder, own names
    assert checkpoint.TMP.match(tmp1.name)
    model, vocab, _ = checkpoint.load_model(path)
    assert len(vocab) == model.vocab_size


def test_two_writers_on_one_path_never_collide(tmp_path):
    path, errors = tmp_path / "shared.pt", []
    ckpts = [tiny_ckpt(pad=4096 * (k + 1)) for k in range(2)]

    def writer(k):
        try:
            for _ in range(15):
                checkpoint.save(path, ckpts[k])
        except Exception as e:  # noqa: BLE001 (the test reports whatever went wrong)
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ckpt = checkpoint.load(path)  # whole: one writer's file, never a mix or a truncation
    assert ckpt["pad"].numel() in (4096 // 4, 8192 // 4)
    assert temp_files(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A folder on a 1 MB disk: a real tmpfs where this machine lets us mount one (root on
    Linux), else a folder whose checkpoint writes fail with ENOSPC past 1 MB."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                                 capture_output=True).returncode == 0
    except OSError:  # no mount command
        mounted = False
    if not mounted:
        used = {"bytes": 0}
        real_open = open

        class Full:
            def __init__(self, f):
                self.f = f

            def write(self, data):
                used["bytes"] += len(data)
                if used["bytes"] > 1 << 20:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return self.f.write(data)

            def __getattr__(self, name):
                return getattr(self.f, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

        monkeypatch.setattr(checkpoint, "open", lambda *a, **k: Full(real_open(*a, **k)), raising=False)
    yield disk
    if mounted:
        subprocess.run(["umount", str(disk)], check=True)


def test_full_disk_says_so_keeps_the_previous_checkpoint_and_cleans_up(small_disk):
    good = checkpoint.save(small_disk / "good.pt", tiny_ckpt(pad=100_000))
    with pytest.raises(CheckpointError, match="no space left on device") as e:
        checkpoint.save(small_disk / "big.pt", tiny_ckpt(pad=2_000_000))
    assert "\n" not in str(e.value)
    assert sorted(p.name for p in small_disk.iterdir()) == ["good.pt"]  # no temp file fills the disk
    assert checkpoint.load(good)["pad"].numel() == 25_000
    with pytest.raises(CheckpointError, match="no space left on device"):  # overwriting: the old one stays
        checkpoint.save(good, tiny_ckpt(pad=2_000_000))
    assert checkpoint.load(good)["pad"].numel() == 25_000


def test_only_our_stale_temp_files_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = time.time() - 3600
    names = {
        f"a.pt.{dead.pid}-0123abcd.tmp": True,      # a killed save of this format: removed
        f"b.pt.{os.getpid()}-0123abcd.tmp": False,  # a save in progress (this process): kept
        "c.pt.tmp": True,                           # the old fixed name, an hour old: removed
        "d.pt.tmp": False,                          # the old fixed name, just written: kept
        "notes.tmp": False, "e.pt": False, "f.pt.backup.tmp": False,  # not ours: kept
    }
    for name in names:
        (tmp_path / name).write_bytes(b"PK\x03\x04")
    os.utime(tmp_path / "c.pt.tmp", (old, old))
    removed = checkpoint.clean_stale(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)


def test_best_in_never_picks_a_non_finite_loss(tmp_path):
    for name in ("lstm1x8_step000010_valnan.pt", "lstm1x8_step000020_val-inf.pt", "lstm1x8_step000005_val2.5000.pt",
                 "lstm1x8_step000008_val3.0000.pt"):
        (tmp_path / name).write_bytes(b"")
    assert checkpoint.best_in(tmp_path).name == "lstm1x8_step000005_val2.5000.pt"
    only_nan = tmp_path / "nan"
    only_nan.mkdir()
    (only_nan / "lstm1x8_step000010_valnan.pt").write_bytes(b"")
    with pytest.raises(CheckpointError, match="finite"):
        checkpoint.best_in(only_nan)


def test_a_vocabulary_smaller_than_the_output_layer_is_a_clear_error(tmp_path):
    ckpt = tiny_ckpt()
    ckpt["vocab"] = {**ckpt["vocab"], "chars": ckpt["vocab"]["chars"][:-3]}
    path = checkpoint.save(tmp_path / "short.pt", ckpt)
    with pytest.raises(CheckpointError, match="vocabulary has .* symbols but the model's output layer"):
        checkpoint.load_model(path)


def test_missing_or_wrong_shaped_weights_are_a_clear_error(tmp_path):
    ckpt = tiny_ckpt()
    del ckpt["model"]["head.bias"]
    with pytest.raises(CheckpointError, match="missing or mismatched"):
        checkpoint.load_model(checkpoint.save(tmp_path / "a.pt", ckpt))
    ckpt = tiny_ckpt()
    ckpt["model"]["head.weight"] = torch.zeros(3, 3)
    with pytest.raises(CheckpointError, match="missing or mismatched"):
        checkpoint.load_model(checkpoint.save(tmp_path / "b.pt", ckpt))


def test_a_missing_path_says_no_such_file(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        checkpoint.load(tmp_path / "absent.pt")


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: p.write_bytes(b"not a checkpoint at all" * 10), "corrupt or truncated"),
    (lambda p: torch.save({"weights": torch.zeros(3)}, p), "not an rnnkit checkpoint"),
    (lambda p: torch.save({"obj": object.__new__(type("Evil", (), {}))}, p), "refuses|corrupt"),
])
def test_bad_checkpoints_get_clear_errors(tmp_path, make, message):
    p = tmp_path / "bad.pt"
    try:
        make(p)
    except Exception:  # a local class cannot even be pickled: write a raw pickle instead
        import pickle
        import zipfile
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("bad/data.pkl", pickle.dumps({"x": 1}))
    with pytest.raises(CheckpointError, match=message):
        checkpoint.load(p)


def test_truncated_checkpoint(tmp_path):
    good = checkpoint.save(tmp_path / "good.pt", tiny_ckpt())
    data = good.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        checkpoint.load(tmp_path / "cut.pt")
    with pytest.raises(CheckpointError, match="no checkpoint"):
        checkpoint.load(tmp_path / "missing.pt")
