import math

import pytest
import torch

from rnnkit import checkpoint, presets
from rnnkit.checkpoint import CheckpointError
from rnnkit.sample import sample
from rnnkit.train import Trainer


@pytest.fixture(scope="module")
def text(mirror):
    return (mirror / "tinyshakespeare" / "input.txt").read_text()[:20000]


def small(**kw):
    base = dict(n_layers=2, hidden=16, dropout=0.2, batch_size=4, seq_len=16, max_steps=40,
                eval_every=10, eval_batches=2, split=(0.8, 0.1, 0.1))
    return presets.get("tinyshakespeare", "smoke").replace(**{**base, **kw})


def weights(trainer):
    return {k: v.clone() for k, v in trainer.model.state_dict().items()}


def test_training_lowers_the_loss(text):
    t = Trainer(small(max_steps=120, dropout=0.0, lr=1e-2, hidden=32), text=text, device="cpu")
    t.fit(progress=False)
    first, last = t.history["val"][0][1], t.history["val"][-1][1]
    chance = math.log(len(t.vocab))  # an untrained model's loss is about this
    assert last < first and last < chance - 0.8
    assert len(t.history["train"]) == 120


def test_resume_continues_exactly(text, tmp_path):
    straight = Trainer(small(), text=text, device="cpu")  # 40 steps wrap the 250-char streams
    straight.fit(progress=False)

    half = Trainer(small(), out_dir=tmp_path, text=text, device="cpu")
    half.fit(max_steps=20, progress=False)
    path = half.save(tmp_path / "half.pt")
    resumed = Trainer.resume(path, text=text, device="cpu")
    resumed.fit(progress=False)

    assert resumed.step == straight.step == 40
    for k, v in weights(straight).items():
        assert torch.equal(v, resumed.model.state_dict()[k]), k
    assert resumed.history["val"] == straight.history["val"]


def test_ctrl_c_saves_a_checkpoint_that_resumes_exactly(text, tmp_path):
    def interrupt(trainer):
        if trainer.step == 25:
            raise KeyboardInterrupt

    straight = Trainer(small(), text=text, device="cpu")
    straight.fit(progress=False)
    t = Trainer(small(), out_dir=tmp_path, text=text, device="cpu")
    t.fit(callback=interrupt, every=1, progress=False)
    assert t.interrupted and t.step == 25
    saved = tmp_path / "interrupted_step000025.pt"
    assert saved.exists()
    resumed = Trainer.resume(saved, text=text, device="cpu")
    resumed.fit(progress=False)
    for k, v in weights(straight).items():
        assert torch.equal(v, resumed.model.state_dict()[k]), k


def test_checkpoints_keep_best_and_latest_with_val_in_the_name(text, tmp_path):
    t = Trainer(small(max_steps=60, lr=1e-2), out_dir=tmp_path, text=text, device="cpu")
    t.fit(progress=False)
    names = sorted(p.name for p in tmp_path.glob("*.pt"))
    assert 1 <= len(names) <= 2 and t.best_path.name in names and t.latest_path.name in names
    assert f"_val{t.best_val:.4f}.pt" in t.best_path.name
    assert checkpoint.best_in(tmp_path) == t.best_path
    model, vocab, ckpt = checkpoint.load_model(tmp_path)
    assert ckpt["step"] == int(t.best_path.name.split("_step")[1][:6])
    assert all(v.device.type == "cpu" for v in ckpt["model"].values())  # samples anywhere
    assert sample(model, vocab, length=20, prime="ROMEO", seed=0).startswith("ROMEO")


def test_callback_runs_every_n_steps(text):
    seen = []
    Trainer(small(max_steps=30), text=text, device="cpu").fit(callback=lambda tr: seen.append(tr.step), every=10,
                                                              progress=False)
    assert seen == [10, 20, 30]


def test_lr_decay_schedule():
    cfg = small(lr=1e-2, lr_decay=0.5, lr_decay_every=10, min_lr=2e-3)
    t = Trainer(cfg, text="abcdefghij" * 200, device="cpu")
    assert [t.lr_at(s) for s in (0, 9, 10, 25, 100)] == [1e-2, 1e-2, 5e-3, 2.5e-3, 2e-3]


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


def test_truncated_checkpoint(text, tmp_path):
    t = Trainer(small(max_steps=5), text=text, device="cpu")
    good = t.save(tmp_path / "good.pt")
    data = good.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        checkpoint.load(tmp_path / "cut.pt")
    with pytest.raises(CheckpointError, match="no checkpoint"):
        checkpoint.load(tmp_path / "missing.pt")


def test_resume_refuses_a_different_text(text, tmp_path):
    t = Trainer(small(max_steps=5), text=text, device="cpu")
    path = t.save(tmp_path / "a.pt")
    with pytest.raises(CheckpointError, match="vocabulary differs"):
        Trainer.resume(path, text="only these letters " * 200, device="cpu")
