"""rnnkit.runfolder on its own: names, keep the best and the latest, delete only what this run
wrote, a failed save keeps everything, stale temporary files; and a Trainer's state saved and
restored."""
import os
import subprocess
import sys

import pytest
import torch

from rnnkit import checkpoint, runfolder
from rnnkit.checkpoint import CheckpointError
from rnnkit.config import Config
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
    assert runfolder.interrupted_name(25) == "interrupted_step000025.pt"


def test_it_keeps_the_best_and_the_latest_and_deletes_what_it_superseded(tmp_path):
    run = RunFolder(tmp_path / "run")
    a = evaluated(run, 10, 2.0, improved=True)
    assert (run.best, run.latest) == (a, a) and names(run.folder) == [a.name]
    assert checkpoint.load(a)["best"] == str(a)  # the file knew it was the best when written
    b = evaluated(run, 20, 2.5, improved=False)
    assert (run.best, run.latest) == (a, b) and names(run.folder) == sorted([a.name, b.name])
    c = evaluated(run, 30, 1.5, improved=True)  # supersedes both: both were this run's
    assert (run.best, run.latest) == (c, c) and names(run.folder) == [c.name]
    assert run.written == {c}
    interrupted = run.save_interrupted(31, {"step": 31})
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

    def full(path, ckpt):
        raise CheckpointError(f"cannot save {path}: no space left on device")

    monkeypatch.setattr(checkpoint, "save", full)
    with pytest.raises(CheckpointError, match="no space left"):
        evaluated(run, 40, 0.5, improved=True)
    assert (run.best, run.latest) == (a, b) and a.exists() and b.exists() and run.written == {a, b}


def test_without_a_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = RunFolder(None)
    assert evaluated(run, 10, 1.0, improved=True) is None
    assert run.best is None and run.latest is None and names(tmp_path) == []


def test_a_new_run_removes_only_stale_temp_files_of_its_own_format(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"gru3x64_step000010_val3.0000.pt.{dead.pid}-0123abcd.tmp"
    live = tmp_path / f"gru3x64_step000010_val3.0000.pt.{os.getpid()}-0123abcd.tmp"
    for p in (stale, live, tmp_path / "keep.tmp"):
        p.write_bytes(b"PK\x03\x04")
    run = RunFolder(tmp_path)
    assert run.removed_stale == [stale] and names(tmp_path) == sorted(["keep.tmp", live.name])


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CheckpointError, match="cannot create .*file/run") as e:
        RunFolder(tmp_path / "file" / "run")
    assert "\n" not in str(e.value)


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
