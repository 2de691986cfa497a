"""The Trainer: learning, exact resume, Ctrl-C, divergence, and the rules of a resumed run
(tests/test_runfolder.py has the run folder's rules on their own; the shared fixtures
`shakespeare` and `tiny_config` are in conftest.py)."""
import math

import pytest
import torch

from rnnkit import checkpoint
from rnnkit.checkpoint import CheckpointError
from rnnkit.errors import OptionError, TrainingDiverged
from rnnkit.sample import sample
from rnnkit.train import Trainer


def weights(trainer):
    return {k: v.clone() for k, v in trainer.model.state_dict().items()}


def pt_files(folder):
    return sorted(p.name for p in folder.glob("*.pt"))


def test_training_lowers_the_loss(shakespeare, tiny_config):
    t = Trainer(tiny_config(max_steps=120, dropout=0.0, lr=1e-2, hidden=32), text=shakespeare, device="cpu")
    t.fit(progress=False)
    first, last = t.history["val"][0][1], t.history["val"][-1][1]
    chance = math.log(len(t.vocab))  # an untrained model's loss is about this
    assert last < first and last < chance - 0.8
    assert len(t.history["train"]) == 120


def test_resume_continues_exactly(shakespeare, tiny_config, tmp_path):
    straight = Trainer(tiny_config(), text=shakespeare, device="cpu")  # 40 steps wrap the 250-char streams
    straight.fit(progress=False)

    half = Trainer(tiny_config(), out_dir=tmp_path, text=shakespeare, device="cpu")
    half.fit(max_steps=20, progress=False)
    path = half.save(tmp_path / "half.pt")
    resumed = Trainer.resume(path, text=shakespeare, device="cpu")
    resumed.fit(progress=False)

    assert resumed.step == straight.step == 40
    for k, v in weights(straight).items():
        assert torch.equal(v, resumed.model.state_dict()[k]), k
    assert resumed.history["val"] == straight.history["val"]


def test_ctrl_c_saves_a_checkpoint_that_resumes_exactly(shakespeare, tiny_config, tmp_path):
    def interrupt(trainer):
        if trainer.step == 25:
            raise KeyboardInterrupt

    straight = Trainer(tiny_config(), text=shakespeare, device="cpu")
    straight.fit(progress=False)
    t = Trainer(tiny_config(), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(callback=interrupt, every=1, progress=False)
    assert t.interrupted and t.step == 25
    saved = tmp_path / "interrupted_step000025.pt"
    assert saved.exists()
    resumed = Trainer.resume(saved, text=shakespeare, device="cpu")
    resumed.fit(progress=False)
    for k, v in weights(straight).items():
        assert torch.equal(v, resumed.model.state_dict()[k]), k


def test_checkpoints_keep_best_and_latest_with_val_in_the_name(shakespeare, tiny_config, tmp_path):
    t = Trainer(tiny_config(max_steps=60, lr=1e-2), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(progress=False)
    names = sorted(p.name for p in tmp_path.glob("*.pt"))
    assert 1 <= len(names) <= 2 and t.best_path.name in names and t.latest_path.name in names
    assert f"_val{t.best_val:.4f}.pt" in t.best_path.name
    assert checkpoint.best_in(tmp_path) == t.best_path
    model, vocab, ckpt = checkpoint.load_model(tmp_path)
    assert ckpt["step"] == int(t.best_path.name.split("_step")[1][:6])
    assert all(v.device.type == "cpu" for v in ckpt["model"].values())  # samples anywhere
    assert sample(model, vocab, length=20, prime="ROMEO", seed=0).startswith("ROMEO")


def test_callback_runs_every_n_steps(shakespeare, tiny_config):
    seen = []
    t = Trainer(tiny_config(max_steps=30), text=shakespeare, device="cpu")
    t.fit(callback=lambda tr: seen.append(tr.step), every=10, progress=False)
    assert seen == [10, 20, 30]


def test_lr_decay_schedule(tiny_config):
    cfg = tiny_config(lr=1e-2, lr_decay=0.5, lr_decay_every=10, min_lr=2e-3)
    t = Trainer(cfg, text="abcdefghij" * 200, device="cpu")
    assert [t.lr_at(s) for s in (0, 9, 10, 25, 100)] == [1e-2, 1e-2, 5e-3, 2.5e-3, 2e-3]


def test_resume_refuses_a_different_text(shakespeare, tiny_config, tmp_path):
    t = Trainer(tiny_config(max_steps=5), text=shakespeare, device="cpu")
    path = t.save(tmp_path / "a.pt")
    with pytest.raises(CheckpointError, match="vocabulary differs"):
        Trainer.resume(path, text="only these letters " * 200, device="cpu")


def test_a_diverging_run_stops_and_keeps_its_good_checkpoints(shakespeare, tiny_config, tmp_path):
    t = Trainer(tiny_config(max_steps=20), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(progress=False)
    before, best = pt_files(tmp_path), t.best_path
    t.cfg = t.cfg.replace(lr=1e36, grad_clip=0.0)  # the weights overflow within two steps
    with pytest.raises(TrainingDiverged, match=r"diverged at step 2\d: the training loss is (nan|inf).*kept") as e:
        t.fit(max_steps=40, progress=False)
    assert e.value.last_good == best and best.exists()
    assert pt_files(tmp_path) == before  # nothing written, nothing deleted
    assert checkpoint.best_in(tmp_path) == best


def test_a_non_finite_val_loss_is_never_saved(shakespeare, tiny_config, tmp_path, monkeypatch):
    t = Trainer(tiny_config(max_steps=20), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(max_steps=10, progress=False)
    before = pt_files(tmp_path)
    monkeypatch.setattr(t, "evaluate", lambda which="val": float("nan"))
    with pytest.raises(TrainingDiverged, match="val loss is nan"):
        t.fit(progress=False)
    assert pt_files(tmp_path) == before and not any("nan" in n for n in before)


def test_resume_deletes_only_files_this_run_wrote(shakespeare, tiny_config, tmp_path):
    run1, run2 = tmp_path / "run1", tmp_path / "run2"
    first = Trainer(tiny_config(max_steps=20, lr=1e-2), out_dir=run1, text=shakespeare, device="cpu")
    first.fit(progress=False)
    run1_files = pt_files(run1)
    run2.mkdir()
    (run2 / "lstm2x16_step000001_val9.9999.pt").write_bytes(b"someone else's")
    resumed = Trainer.resume(first.latest_path, out_dir=run2, text=shakespeare, device="cpu", max_steps=60)
    resumed.fit(progress=False)
    assert resumed.best_path.parent == run2  # it improved, so it superseded run1's best ...
    assert pt_files(run1) == run1_files  # ... without deleting it
    assert "lstm2x16_step000001_val9.9999.pt" in pt_files(run2)
    assert len(pt_files(run2)) <= 3  # its own superseded checkpoints are gone
    # resuming into the same folder keeps the files of the run it resumed from
    again = Trainer.resume(first.latest_path, text=shakespeare, device="cpu", max_steps=60)
    again.fit(progress=False)
    assert set(run1_files) <= set(pt_files(run1))


def test_resume_may_change_the_schedule_but_not_the_shapes(shakespeare, tiny_config, tmp_path):
    path = Trainer(tiny_config(max_steps=10), text=shakespeare, device="cpu").save(tmp_path / "a.pt")
    t = Trainer.resume(path, text=shakespeare, device="cpu", lr=5e-3, max_steps=12, eval_every=3, eval_batches=1)
    assert (t.cfg.lr, t.cfg.max_steps, t.cfg.eval_every) == (5e-3, 12, 3)
    t.fit(progress=False)
    assert t.step == 12
    assert Trainer.resume(path, text=shakespeare, device="cpu", hidden=16).cfg.hidden == 16  # unchanged: fine
    for change in (dict(hidden=32), dict(cell="gru"), dict(n_layers=1), dict(optimizer="rmsprop"),
                   dict(batch_size=8), dict(seq_len=8)):
        (name, value), = change.items()
        with pytest.raises(OptionError, match=f"cannot change {name} .*asked {value!r}"):
            Trainer.resume(path, text=shakespeare, device="cpu", **change)
    with pytest.raises(OptionError, match="unknown option"):
        Trainer.resume(path, text=shakespeare, device="cpu", hiden=32)
    done = t.save(tmp_path / "done.pt")  # at step 12 of max_steps 12
    with pytest.raises(OptionError, match="nothing to train: .* step 12 and max_steps is 12"):
        Trainer.resume(done, text=shakespeare, device="cpu")


def test_resume_from_a_broken_checkpoint_is_a_clear_error(shakespeare, tiny_config, tmp_path):
    good = Trainer(tiny_config(max_steps=10), text=shakespeare, device="cpu").state()
    breakages = {
        "no optimizer": lambda c: c.pop("optimizer"),
        "no config": lambda c: c.pop("config"),
        "wrong shapes": lambda c: c["model"].__setitem__("head.weight", torch.zeros(2, 2)),
        "no step": lambda c: c.pop("step"),
    }
    for what, breaking in breakages.items():
        ckpt = {**good, "model": dict(good["model"])}
        breaking(ckpt)
        path = checkpoint.save(tmp_path / f"{what}.pt", ckpt)
        with pytest.raises(CheckpointError, match="missing|mismatched|unreadable"):
            Trainer.resume(path, text=shakespeare, device="cpu")


def test_resume_with_a_relative_data_path_from_another_folder(shakespeare, tiny_config, tmp_path, monkeypatch):
    from rnnkit.data import DataError
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "corpus.txt").write_text(shakespeare)
    monkeypatch.chdir(tmp_path / "a")
    path = Trainer(tiny_config(data="corpus.txt", max_steps=10), text=None, device="cpu").save(tmp_path / "a.pt")
    monkeypatch.chdir(tmp_path / "b")
    with pytest.raises(DataError, match="no such file: corpus.txt.*--data"):
        Trainer.resume(path, device="cpu")
    t = Trainer.resume(path, device="cpu", data="../a/corpus.txt", max_steps=12)
    t.fit(progress=False)
    assert t.step == 12 and t.cfg.data == "../a/corpus.txt"
    (tmp_path / "other.txt").write_text(shakespeare.upper())
    with pytest.raises(CheckpointError, match="vocabulary differs"):
        Trainer.resume(path, device="cpu", data="../other.txt")


def test_a_config_changed_after_it_was_made_is_checked_again(shakespeare, tiny_config):
    cfg = tiny_config()
    cfg.seq_len = 0  # a dataclass field can be set: the Trainer checks before it builds anything
    with pytest.raises(OptionError, match="seq_len must be .* at least 1"):
        Trainer(cfg, text=shakespeare, device="cpu")
    cfg.seq_len, cfg.hidden = 16, 16.0
    with pytest.raises(OptionError, match="hidden must be a whole number, got 16.0"):
        Trainer(cfg, text=shakespeare, device="cpu")


def test_the_names_say_what_they_are(shakespeare, tiny_config):
    t = Trainer(tiny_config(max_steps=3), text=shakespeare, device="cpu")
    assert t.ddp_model is t.model  # one process: the step calls the model itself
    assert t.hidden is None and t.step == 0
    t.fit(progress=False)
    assert t.step == 3 and len(t.hidden) == t.cfg.n_layers  # the carried (h, c) of each layer
    state = t.state()
    assert state["step"] == 3 and torch.equal(state["rnn_state"][0][0], t.hidden[0][0])


def test_a_new_run_removes_temp_files_of_killed_saves_in_its_folder(shakespeare, tiny_config, tmp_path):
    import subprocess
    import sys
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"lstm2x16_step000010_val3.0000.pt.{dead.pid}-0123abcd.tmp"
    stale.write_bytes(b"PK\x03\x04 half a checkpoint")
    (tmp_path / "keep.tmp").write_bytes(b"not ours")
    t = Trainer(tiny_config(max_steps=5), out_dir=tmp_path, text=shakespeare, device="cpu")
    assert t.run.removed_stale == [stale] and not stale.exists() and (tmp_path / "keep.tmp").exists()


def test_a_failed_save_stops_the_run_and_keeps_what_was_saved(shakespeare, tiny_config, tmp_path, monkeypatch):
    import errno
    t = Trainer(tiny_config(max_steps=30), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(max_steps=10, progress=False)
    kept = pt_files(tmp_path)
    real_open = open

    def full(path, mode="r", *a, **k):
        if "x" in mode:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr(checkpoint, "open", full, raising=False)
    with pytest.raises(CheckpointError, match="no space left on device"):
        t.fit(progress=False)
    assert pt_files(tmp_path) == kept and t.latest_path.exists() and t.best_path.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_a_model_too_big_for_memory_is_a_clear_error(shakespeare, tiny_config):
    with pytest.raises(OptionError, match="model does not fit in memory on cpu: .* GB"):
        Trainer(tiny_config(hidden=10 ** 12, n_layers=1), text=shakespeare, device="cpu")  # > any address space
