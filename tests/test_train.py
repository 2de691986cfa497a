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
    saved = tmp_path / "interrupted_lstm2x16_step000025.pt"  # the model is in the name
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
    for field, value, message in (("seq_len", 0, "seq_len must be .* at least 1"), ("seq_len", True, "whole number"),
                                  ("hidden", 16.0, "hidden must be a whole number, got 16.0"),
                                  ("hiden", 16, "unknown config option")):
        with pytest.raises(OptionError, match=message):
            setattr(cfg, field, value)  # refused when set, and the old value kept
    assert (cfg.seq_len, cfg.hidden) == (16, 16)
    cfg.hidden = 8
    assert cfg.hidden == 8
    object.__setattr__(cfg, "seq_len", 0)  # past the check: the Trainer checks before it builds anything
    with pytest.raises(OptionError, match="seq_len must be .* at least 1"):
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
    import os
    import time

    from rnnkit import files
    stale = tmp_path / f"lstm2x16_step000010_val3.0000.pt.rnnkit-{files.host()}-999999-0123abcd.tmp"
    stale.write_bytes(b"PK\x03\x04 half a checkpoint")
    (tmp_path / "keep.tmp").write_bytes(b"not ours")
    os.utime(stale, (time.time() - 3600,) * 2)
    t = Trainer(tiny_config(max_steps=5), out_dir=tmp_path, text=shakespeare, device="cpu")
    assert t.run.removed_stale == [stale] and not stale.exists() and (tmp_path / "keep.tmp").exists()


def test_a_failed_save_stops_the_run_and_keeps_what_was_saved(shakespeare, tiny_config, tmp_path, monkeypatch):
    import errno
    t = Trainer(tiny_config(max_steps=30), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(max_steps=10, progress=False)
    kept = pt_files(tmp_path)
    import os
    real_write = os.write

    def full(fd, data):  # the disk fills up: every write to a checkpoint's temp file fails
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(CheckpointError, match="no space left on device"):
        t.fit(progress=False)
    assert pt_files(tmp_path) == kept and t.latest_path.exists() and t.best_path.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_a_model_too_big_for_memory_is_a_clear_error(shakespeare, tiny_config, tmp_path):
    from rnnkit import memory
    from rnnkit.train import build_model
    with pytest.raises(OptionError, match="training a lstm 1x1000000000000 model .* needs at least .* GB of memory"):
        Trainer(tiny_config(hidden=10 ** 12, n_layers=1), out_dir=tmp_path / "o", text=shakespeare, device="cpu")
    assert not (tmp_path / "o").exists()  # the run never started: the folder it made is gone
    free = memory.available("cpu")
    # weights that fit, gradients, Adam's state and the batch that do not: refused before step 1
    hidden = int((free / 4 / 4 / 2) ** 0.5)  # a 1-layer LSTM: ~16 h^2 bytes of weights, ~4x that to train
    assert memory.training_bytes(tiny_config(hidden=hidden, n_layers=1), 65) > free
    with pytest.raises(OptionError, match="needs at least .* GB of memory on cpu; about .* GB is available"):
        Trainer(tiny_config(hidden=hidden, n_layers=1), text=shakespeare, device="cpu")
    with pytest.raises(OptionError, match="model does not fit in memory on cpu: its weights take .* GB"):
        build_model(tiny_config(hidden=10 ** 12, n_layers=1), 65, "cpu")  # the net under the estimate


def test_out_of_memory_during_a_step_is_an_option_error(shakespeare, tiny_config, monkeypatch):
    t = Trainer(tiny_config(), text=shakespeare, device="cpu")

    def too_big(*a, **k):
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")

    monkeypatch.setattr(t, "ddp_model", too_big)
    with pytest.raises(OptionError, match="out of memory at step 1 on cpu .*make the model or the batches smaller"):
        t.fit(progress=False)


def test_every_check_runs_before_training_and_a_failed_setup_leaves_no_folder(shakespeare, tiny_config, tmp_path):
    from rnnkit.errors import TextError
    with pytest.raises(TextError, match="the val split has .* fewer than seq_len\\+1"):
        Trainer(tiny_config(seq_len=2000, split=(0.9, 0.05, 0.05)), out_dir=tmp_path / "a" / "b", text=shakespeare,
                device="cpu")
    with pytest.raises(TextError, match="the val split has 0 characters"):
        Trainer(tiny_config(split=(1.0, 0.0, 0.0)), out_dir=tmp_path / "a" / "b", text=shakespeare, device="cpu")
    assert not (tmp_path / "a").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(CheckpointError, match="cannot write checkpoints to .*: .*file is not a folder"):
        Trainer(tiny_config(), out_dir=tmp_path / "file" / "run", text=shakespeare, device="cpu")
    with pytest.raises(OptionError, match="empty name"):
        Trainer(tiny_config(), out_dir="", text=shakespeare, device="cpu")
    with pytest.raises(OptionError, match="empty name"):
        Trainer.resume("", text=shakespeare, device="cpu")
    with pytest.raises(CheckpointError, match="path is empty"):
        checkpoint.load_model("")


def test_a_second_signal_during_the_interrupted_save_does_not_cut_it(shakespeare, tiny_config, tmp_path, monkeypatch):
    import os
    import signal
    import time
    real_save = checkpoint.save

    def save_under_fire(path, ckpt, overwrite=True):
        if "interrupted" in str(path):
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGTERM):
                os.kill(os.getpid(), signum)
                time.sleep(0.01)  # each one is handled here, in the middle of the save
        return real_save(path, ckpt, overwrite)

    monkeypatch.setattr(checkpoint, "save", save_under_fire)
    # what fit must put back: Python's handler, or SIG_IGN where the tests run as a background job
    int_before = signal.getsignal(signal.SIGINT)
    for first in (signal.SIGINT, signal.SIGTERM):
        out = tmp_path / first.name
        t = Trainer(tiny_config(), out_dir=out, text=shakespeare, device="cpu")
        t.fit(callback=lambda tr: tr.step == 12 and os.kill(os.getpid(), first), every=1, progress=False)
        assert t.interrupted == first.name and t.step in (12, 13)
        saved = checkpoint.load(next(out.glob("interrupted_*.pt")))
        assert saved["step"] == t.step
    assert signal.getsignal(signal.SIGINT) is int_before  # restored after fit
    t = Trainer(tiny_config(), out_dir=tmp_path / "late", text=shakespeare, device="cpu")
    t.ignore_late_signals = True  # as the command line does: the process is about to exit
    before = signal.getsignal(signal.SIGTERM)
    try:
        t.fit(callback=lambda tr: tr.step == 5 and os.kill(os.getpid(), signal.SIGINT), every=1, progress=False)
        assert signal.getsignal(signal.SIGINT) is signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGTERM)  # late: it changes nothing
        time.sleep(0.01)
    finally:
        signal.signal(signal.SIGINT, int_before)
        signal.signal(signal.SIGTERM, before)
    assert t.interrupted == "SIGINT"


def test_resume_from_a_folder_continues_its_furthest_checkpoint_there(shakespeare, tiny_config, tmp_path):
    out = tmp_path / "run"
    Trainer(tiny_config(max_steps=20), out_dir=out, text=shakespeare, device="cpu").fit(progress=False)
    t = Trainer.resume(out, text=shakespeare, device="cpu", max_steps=30)
    assert t.step == 20 and t.resumed_from.parent == out and t.run.folder == out  # not out's parent
    t.fit(progress=False)
    assert t.latest_path.parent == out and not list(tmp_path.glob("*.pt"))


def test_a_model_worse_than_uniform_is_warned_about_and_never_the_best(shakespeare, tiny_config, tmp_path,
                                                                       monkeypatch):
    from rnnkit.errors import RnnkitWarning
    t = Trainer(tiny_config(max_steps=20), out_dir=tmp_path, text=shakespeare, device="cpu")
    t.fit(max_steps=10, progress=False)
    best, best_val = t.best_path, t.best_val
    monkeypatch.setattr(t, "evaluate", lambda which="val": 40.0)  # far above ln(65) = 4.17
    with pytest.warns(RnnkitWarning, match="step 20: the val loss 40 is worse than a uniform guess"):
        t.fit(progress=False)
    assert (t.best_path, t.best_val) == (best, best_val) and t.latest_path.name.endswith("_worse-than-uniform.pt")
    assert checkpoint.best_in(tmp_path) == best


def test_resume_refuses_weights_that_are_not_finite(shakespeare, tiny_config, tmp_path):
    state = Trainer(tiny_config(max_steps=10), text=shakespeare, device="cpu").state()
    state["model"]["head.bias"][0] = float("inf")
    path = checkpoint.save(tmp_path / "inf.pt", state)
    with pytest.raises(CheckpointError, match="not finite numbers .*head.bias"):
        Trainer.resume(path, text=shakespeare, device="cpu")
