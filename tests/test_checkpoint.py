"""Checkpoint files: atomic saves, two writers, a full disk, the choice of the best and the
latest file in a folder (only files rnnkit wrote), archives that fail their CRC-32, weights
that are not finite, and checkpoints whose parts do not fit together (temp files and their
cleaning: tests/test_files.py)."""
import errno
import os
import subprocess
import threading
from pathlib import Path

import pytest
import torch

from rnnkit import checkpoint, files
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
    assert files.TEMP.match(tmp1.name)
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
    if not mounted:  # writes to temp files in `disk` fail with ENOSPC once 1 MB is written there
        used, real_write = {"bytes": 0}, os.write

        def write(fd, data):
            if os.readlink(f"/proc/self/fd/{fd}").startswith(str(disk)):
                used["bytes"] += len(data)
                if used["bytes"] > 1 << 20:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", write)
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


def test_a_save_never_overwrites_when_asked_not_to(tmp_path):
    theirs = checkpoint.save(tmp_path / "lstm1x8_step000010_val2.0000.pt", {**tiny_ckpt(), "who": "first run"})
    with pytest.raises(FileExistsError):
        checkpoint.save(theirs, {**tiny_ckpt(), "who": "second run"}, overwrite=False)
    assert checkpoint.load(theirs)["who"] == "first run" and temp_files(tmp_path) == []


def test_best_in_picks_only_finite_losses_of_files_rnnkit_wrote(tmp_path):
    for name in ("lstm1x8_step000010_valnan.pt", "lstm1x8_step000020_val-inf.pt", "lstm1x8_step000005_val2.5000.pt",
                 "lstm1x8_step000008_val3.0000.pt", "lstm1x8_step000009_val1.0000_worse-than-uniform.pt"):
        checkpoint.save(tmp_path / name, tiny_ckpt())
    torch.save({"weights": torch.zeros(3)}, tmp_path / "lstm1x8_step000001_val0.1000.pt")  # someone else's .pt
    (tmp_path / "lstm1x8_step000002_val0.2000.pt").write_bytes(b"PK\x03\x04 a stray file")
    assert checkpoint.best_in(tmp_path).name == "lstm1x8_step000005_val2.5000.pt"
    only_stray = tmp_path / "stray"
    only_stray.mkdir()
    torch.save({"weights": torch.zeros(3)}, only_stray / "lstm1x8_step000001_val0.1000.pt")
    checkpoint.save(only_stray / "lstm1x8_step000010_valnan.pt", tiny_ckpt())
    with pytest.raises(CheckpointError, match="no rnnkit checkpoint with a val loss"):
        checkpoint.best_in(only_stray)


def test_latest_in_picks_the_furthest_step_of_one_model(tmp_path):
    for name in ("lstm1x8_step000010_val2.0000.pt", "lstm1x8_step000030_val2.5000.pt",
                 "interrupted_lstm1x8_step000025.pt", "notes.pt"):
        checkpoint.save(tmp_path / name, tiny_ckpt())
    assert checkpoint.latest_in(tmp_path).name == "lstm1x8_step000030_val2.5000.pt"
    checkpoint.save(tmp_path / "interrupted_lstm1x8_step000030.pt", tiny_ckpt())  # a tie: the interrupted one
    assert checkpoint.latest_in(tmp_path).name == "interrupted_lstm1x8_step000030.pt"
    checkpoint.save(tmp_path / "interrupted_gru1x8_step000040.pt", tiny_ckpt())
    with pytest.raises(CheckpointError, match="checkpoints of 2 models .*gru1x8, lstm1x8.*give the checkpoint file"):
        checkpoint.latest_in(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CheckpointError, match="no rnnkit checkpoint in"):
        checkpoint.latest_in(tmp_path / "empty")


def flip_a_bit_in(path, member_suffix):
    """Flip one bit in the middle of a zip member's stored bytes (a damaged disk or copy)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        info = next(i for i in z.infolist() if i.filename.endswith(member_suffix))
    data = bytearray(path.read_bytes())
    name_len, extra_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x40
    path.write_bytes(bytes(data))


def test_a_flipped_bit_in_a_weight_is_refused_by_its_crc(tmp_path):
    ckpt = tiny_ckpt()
    path = checkpoint.save(tmp_path / "a.pt", ckpt)
    weight = max(ckpt["model"], key=lambda k: ckpt["model"][k].numel())
    index = list(ckpt["model"]).index(weight)  # torch stores the tensors as data/0, data/1... in order
    flip_a_bit_in(path, f"data/{index}")
    import zipfile
    with zipfile.ZipFile(path) as z:  # the damage is real: the archive still opens and reads
        assert z.testzip() is not None
    with pytest.raises(CheckpointError, match=r"a.pt is corrupt: data/\d+ fails its CRC-32 check") as e:
        checkpoint.load(path)
    assert "\n" not in str(e.value)
    torch.serialization.set_crc32_options(False)  # a caller that turned CRCs off: rnnkit's saves keep them
    try:
        again = checkpoint.save(tmp_path / "b.pt", ckpt)
    finally:
        torch.serialization.set_crc32_options(True)
    assert checkpoint.load(again)["model"].keys() == ckpt["model"].keys()


def test_weights_that_are_not_finite_cannot_be_sampled(tmp_path):
    ckpt = tiny_ckpt()
    ckpt["model"]["head.weight"][0, 0] = float("nan")
    path = checkpoint.save(tmp_path / "nan.pt", ckpt)
    with pytest.raises(CheckpointError, match="not finite numbers .*head.weight"):
        checkpoint.load_model(path)


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
