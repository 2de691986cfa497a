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
    assert fig.axes[0].get_ylabel().startswith("loss")
    slider = exp.slider(prime="ROMEO:", length=30, live=False)
    assert slider.shown.startswith("ROMEO:")
    assert exp.heldout(200) == exp.vocab.decode(exp.trainer.splits["test"][:200].tolist())


def test_smooth_is_a_running_mean():
    assert smooth([1, 2, 3, 4], 2) == [1, 1.5, 2.5, 3.5]
