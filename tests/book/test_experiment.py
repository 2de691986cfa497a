import matplotlib

matplotlib.use("Agg")

from rnnkit.book.experiment import Experiment
from rnnkit.book.plots import smooth


def test_experiment_runs_a_chapter_at_smoke_scale(mirror):
    exp = Experiment("tinyshakespeare", "smoke", seed=3)
    d = exp.describe()
    assert d["characters"] == 1115394 and d["vocabulary"] == 65 and d["scale"] == "smoke"
    assert d["train"] + d["val"] + d["test"] == d["characters"]
    before = exp.samples([1.0], prime="ROMEO:", length=50)
    assert before == exp.samples([1.0], prime="ROMEO:", length=50, untrained=True)
    exp.train(progress=False)
    assert exp.trainer.step == exp.cfg.max_steps and exp.trainer.history["val"]
    after = exp.samples([0.5, 1.0], prime="ROMEO:", length=50)
    assert len(after) == 2 and after[1] != before[0]
    assert exp.samples([1.0], prime="ROMEO:", length=50, untrained=True) == before  # the copy stays untrained
    fig = exp.plot(marks=[10])
    assert fig.axes[0].get_ylabel() == "loss (nats per character)" and exp.unit == "char"
    slider = exp.slider(prime="ROMEO:", length=30, live=False)
    assert slider.shown.startswith("ROMEO:")
    first = list(slider._samples)
    slider.resample(seed=99)  # what "new samples" does: a new seed reaches the model's sampler
    assert slider.seed == 99 and list(slider._samples) != first
    assert exp.heldout(200) == exp.vocab.decode(exp.trainer.splits["test"][:200].tolist())


def test_smooth_is_a_running_mean():
    assert smooth([1, 2, 3, 4], 2) == [1, 1.5, 2.5, 3.5]


def test_glue_facts_compare_and_the_book_build_summary(mirror, monkeypatch, capsys):
    exp = Experiment("tinyshakespeare", "smoke", seed=3, max_steps=4, eval_every=2)
    facts = exp.glue_facts("sh")
    assert facts["chars"] == "1,115,394" and facts["vocab"] == "65" and facts["uniform"] == "4.17"
    assert "val" not in facts  # not trained yet: no training facts to cite
    monkeypatch.setenv("RNNKIT_BOOK_BUILD", "1")
    exp.train()
    out = capsys.readouterr()
    assert out.out.startswith("Trained a 1-layer, 32-cell LSTM on tinyshakespeare for 4 steps in ")
    assert out.out.rstrip().endswith(" nats/char.")
    assert "step/s" not in out.err  # no progress bar in the built page
    facts = exp.glue_facts("sh", chars="bytes")
    assert "bytes" in facts and float(facts["val"]) > 0 and facts["minutes"] == f"{exp.trainer.elapsed / 60:.1f}"
    texts = exp.compare(3, 40, prime="A", temperatures=(1.0, 0.5))
    assert list(texts) == ["model, T=1", "model, T=0.5", "held-out real text", "untrained model, T=1"]
    assert [len(t) for t in texts["held-out real text"]] == [40, 40, 40]
    assert all(len(v) == 3 and all(t.startswith("A") for t in v) for k, v in texts.items() if "model" in k)
    assert exp.compare(2, 40, real=100)["held-out real text"] == [exp.heldout(100)]
    assert exp.compare(1, 40, real=lambda t: [t[:7]])["held-out real text"] == [exp.heldout(7)]
    view = exp.show_samples([0.5, 1.0], prime="A", length=20)
    assert "temperature 0.5" in view.html and "pre-wrap" in view.html


def test_a_byte_level_corpus_is_measured_per_byte(mirror):
    exp = Experiment("wikipedia", "smoke", seed=0, max_steps=2, eval_every=2)
    exp.train(progress=False)
    assert exp.unit == "byte" and exp.summary().endswith(" nats/byte.")
    assert exp.plot().axes[0].get_ylabel() == "loss (nats per byte)"
