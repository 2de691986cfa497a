"""rnnkit.runfolder on its own: names, keep the best and the latest, delete only what this run
wrote (never another run's file of the same name), a failed save keeps everything, the folder
proved writable before a run, stale temporary files; and a Trainer's state saved and restored."""
import errno
import os
import time

import pytest
import torch

from rnnkit import checkpoint, files, runfolder
from rnnkit.checkpoint import CheckpointError
from rnnkit.config import Config
from rnnkit.errors import OptionError
from rnnkit.runfolder import RunFolder
from rnnkit.train import Trainer

CFG = Config(cell="gru", n_layers=3, hidden=64)


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def evaluated(run, step, val, improved):
    """Save as the trainer does; the state records which file was the best when it was made."""
    return run.save_evaluated(CFG, step, val, improved, lambda: {"step": step, "best": str(run.best)})


def test_names_carry_the_model_the_step_and_the_val_loss():
    assert runfolder.checkpoint_name(CFG, 2500, 1.53214) == "gru3x64_step002500_val1.5321.pt"
    assert runfolder.checkpoint_name(CFG, 2500, 1.53214, copy=2) == "gru3x64_step002500_val1.5321-2.pt"
    assert runfolder.interrupted_name(CFG, 25) == "interrupted_gru3x64_step000025.pt"
    assert runfolder.interrupted_name(CFG, 25, copy=3) == "interrupted_gru3x64_step000025-3.pt"
    for copy in (1, 2):  # the names checkpoint.best_in and latest_in look for
        assert checkpoint.EVALUATED.match(runfolder.checkpoint_name(CFG, 10, 1.5, copy))["val"] == "1.5000"
        assert checkpoint.INTERRUPTED.match(runfolder.interrupted_name(CFG, 10, copy))["model"] == "gru3x64"
    assert not checkpoint.EVALUATED.match(runfolder.checkpoint_name(CFG, 10, 9.5, ranked=False))


def test_it_keeps_the_best_and_the_latest_and_deletes_what_it_superseded(tmp_path):
    run = RunFolder(tmp_path / "run")
    a = evaluated(run, 10, 2.0, improved=True)
    assert (run.best, run.latest) == (a, a) and names(run.folder) == [a.name]
    assert checkpoint.load(a)["best"] == str(a)  # the file knew it was the best when written
    b = evaluated(run, 20, 2.5, improved=False)
    assert (run.best, run.latest) == (a, b) and names(run.folder) == sorted([a.name, b.name])
    c = evaluated(run, 30, 1.5, improved=True)  # supersedes both: both were this run's
    assert (run.best, run.latest) == (c, c) and names(run.folder) == [c.name]
    assert set(run.written) == {c}
    interrupted = run.save_interrupted(CFG, 31, {"step": 31})
    evaluated(run, 40, 1.0, improved=True)
    assert interrupted.exists() and interrupted not in run.written  # what a user resumes from stays


def test_it_never_deletes_a_file_it_did_not_write(tmp_path):
    earlier = tmp_path / "lstm2x16_step000010_val2.0000.pt"
    earlier.write_bytes(b"an earlier run's best")
    other = tmp_path / "notes.pt"
    other.write_bytes(b"someone else's")
    run = RunFolder(tmp_path)
    run.best = earlier  # as after a resume: the best so far is the earlier run's file
    evaluated(run, 20, 1.0, improved=True)
    evaluated(run, 30, 0.5, improved=True)
    assert earlier.exists() and other.exists() and len(list(tmp_path.glob("gru3x64_*.pt"))) == 1


def test_a_failed_save_deletes_nothing_and_the_paths_still_exist(tmp_path, monkeypatch):
    run = RunFolder(tmp_path)
    a = evaluated(run, 10, 2.0, improved=True)
    b = evaluated(run, 20, 2.5, improved=False)

    def interrupted():
        raise KeyboardInterrupt  # Ctrl-C while the state is gathered

    with pytest.raises(KeyboardInterrupt):
        run.save_evaluated(CFG, 30, 1.0, True, interrupted)
    assert (run.best, run.latest) == (a, b) and names(tmp_path) == sorted([a.name, b.name])

    def full(path, ckpt, overwrite=True):
        raise CheckpointError(f"cannot save {path}: no space left on device")

    monkeypatch.setattr(checkpoint, "save", full)
    with pytest.raises(CheckpointError, match="no space left"):
        evaluated(run, 40, 0.5, improved=True)
    assert (run.best, run.latest) == (a, b) and a.exists() and b.exists() and set(run.written) == {a, b}


def test_without_a_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = RunFolder(None)
    assert evaluated(run, 10, 1.0, improved=True) is None
    assert run.best is None and run.latest is None and names(tmp_path) == []


def test_a_new_run_removes_only_temp_files_of_dead_rnnkit_writers(tmp_path):
    old = time.time() - 3600
    stale = tmp_path / f"gru3x64_step000010_val3.0000.pt.rnnkit-{files.host()}-999999-0123abcd.tmp"
    older_format = tmp_path / "gru3x64_step000010_val3.0000.pt.12345-0123abcd.tmp"  # no host, no lock: kept
    for p in (stale, older_format, tmp_path / "keep.pt.tmp"):
        p.write_bytes(b"PK\x03\x04")
        os.utime(p, (old, old))
    run = RunFolder(tmp_path)
    assert run.removed_stale == [stale] and names(tmp_path) == sorted(["keep.pt.tmp", older_format.name])


def test_a_second_run_with_the_same_settings_keeps_the_first_runs_files(tmp_path):
    first, second = RunFolder(tmp_path), RunFolder(tmp_path)
    a = first.save_evaluated(CFG, 10, 2.0, True, lambda: {"run": "first"})
    b = second.save_evaluated(CFG, 10, 2.0, True, lambda: {"run": "second"})  # the same name is wanted
    assert b.name == "gru3x64_step000010_val2.0000-2.pt" and checkpoint.load(a)["run"] == "first"
    assert checkpoint.load(b)["run"] == "second"
    second.save_evaluated(CFG, 20, 1.0, True, lambda: {"run": "second"})  # supersedes its own only
    assert a.exists() and not b.exists() and checkpoint.load(a)["run"] == "first"
    i1 = first.save_interrupted(CFG, 25, {"run": "first"})
    i2 = second.save_interrupted(Config(cell="lstm", n_layers=3, hidden=64), 25, {"run": "second"})
    i3 = second.save_interrupted(CFG, 25, {"run": "second"})
    assert [p.name for p in (i1, i2, i3)] == ["interrupted_gru3x64_step000025.pt", "interrupted_lstm3x64_step000025.pt",
                                              "interrupted_gru3x64_step000025-2.pt"]
    assert checkpoint.load(i1)["run"] == "first"


def test_a_file_replaced_after_the_run_wrote_it_is_not_deleted(tmp_path):
    run = RunFolder(tmp_path)
    a = evaluated(run, 10, 2.0, improved=True)
    a.unlink()
    a.write_bytes(b"someone else's file under the same name")
    evaluated(run, 20, 1.0, improved=True)
    assert a.read_bytes() == b"someone else's file under the same name"


def test_a_model_worse_than_uniform_is_kept_as_latest_never_as_best(tmp_path):
    run = RunFolder(tmp_path)
    a = evaluated(run, 10, 2.0, improved=True)
    worse = run.save_evaluated(CFG, 20, 40.0, False, lambda: {"step": 20}, ranked=False)
    assert worse.name == "gru3x64_step000020_val40.0000_worse-than-uniform.pt"
    assert (run.best, run.latest) == (a, worse) and checkpoint.best_in(tmp_path) == a


def test_a_folder_that_cannot_be_written_is_one_line_before_any_training(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CheckpointError, match="cannot write checkpoints to .*file/run: .*file is not a folder") as e:
        RunFolder(tmp_path / "file" / "run")
    assert "\n" not in str(e.value)
    with pytest.raises(CheckpointError, match="name too long"):
        RunFolder(tmp_path / ("x" * 300))
    with pytest.raises(OptionError, match="empty name"):
        RunFolder("")
    real_open = os.open

    def read_only(path, flags, *a, **k):  # root ignores chmod: a read-only file system instead
        if str(path).startswith(str(tmp_path / "ro")) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", read_only)
    (tmp_path / "ro").mkdir()
    with pytest.raises(CheckpointError, match="cannot write checkpoints to .*ro: read-only file system"):
        RunFolder(tmp_path / "ro")
    assert list((tmp_path / "ro").iterdir()) == []


def test_a_disk_without_room_for_one_checkpoint_and_the_folders_a_failed_setup_made(tmp_path, monkeypatch):
    run = RunFolder(tmp_path / "a" / "b")
    assert run.created == [tmp_path / "a", tmp_path / "a" / "b"]
    run.check_space(1000)
    monkeypatch.setattr(runfolder.shutil, "disk_usage", lambda p: type("U", (), {"free": 10 ** 6})())
    with pytest.raises(CheckpointError, match="1.0 MB free, and one checkpoint of this model takes about 5.0 MB"):
        run.check_space(5 * 10 ** 6)
    run.discard()
    assert not (tmp_path / "a").exists()


def test_a_checkpoint_config_that_does_not_read_is_a_checkpoint_error():
    assert runfolder.stored_config({"config": {"hidden": 8, "split": [0.8, 0.1, 0.1]}}, "a.pt").hidden == 8
    for ckpt in ({}, {"config": {"hiden": 8}}, {"config": {"hidden": "8"}}, {"config": None}):
        with pytest.raises(CheckpointError, match="a.pt has a missing or unreadable config"):
            runfolder.stored_config(ckpt, "a.pt")


def test_a_trainer_state_restores_into_a_fresh_trainer(shakespeare, tiny_config):
    t = Trainer(tiny_config(max_steps=7), text=shakespeare, device="cpu")
    t.fit(progress=False)
    ckpt = t.state()
    assert all(v.device.type == "cpu" for v in ckpt["model"].values())
    fresh = Trainer(tiny_config(max_steps=7), text=shakespeare, device="cpu")
    runfolder.restore(fresh, ckpt, "a.pt")
    assert fresh.step == 7 and fresh.batches.pos == t.batches.pos and fresh.history == t.history
    assert all(torch.equal(a, b) for a, b in zip(fresh.hidden[0], t.hidden[0]))
    assert all(torch.equal(v, t.model.state_dict()[k]) for k, v in fresh.model.state_dict().items())
    assert torch.equal(torch.get_rng_state(), ckpt["rng"]["torch"])
    other = Trainer(tiny_config(max_steps=7), text=shakespeare.upper(), device="cpu")
    with pytest.raises(CheckpointError, match="a.pt: the text's vocabulary differs"):
        runfolder.restore(other, ckpt, "a.pt")
