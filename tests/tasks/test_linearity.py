"""rnnkit.tasks.linearity: the two bit streams, the models of equal size, the training loop."""
import pytest
import torch

from rnnkit.errors import OptionError
from rnnkit.tasks import linearity
from rnnkit.tasks.minrnn import CharMinGRU


def test_parity_is_the_running_count_of_ones_mod_2():
    x, y = linearity.bits("parity", 5, 40, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (5, 40) and set(x.unique().tolist()) == {0, 1}
    for row_x, row_y in zip(x.tolist(), y.tolist()):
        count = 0
        for bit, want in zip(row_x, row_y):
            count += bit
            assert want == count % 2


def test_depth_is_a_bracket_walk_between_0_and_max_depth():
    x, y = linearity.bits("depth", 50, 200, torch.Generator().manual_seed(1), max_depth=3)
    prev = torch.cat([torch.zeros(50, 1, dtype=torch.long), y[:, :-1]], 1)
    assert torch.equal(y - prev, 2 * x - 1)  # 1 opens (+1), 0 closes (-1)
    assert y.min() == 0 and y.max() == 3  # reaches both walls and never passes them
    assert linearity.classes("depth", 3) == 4 and linearity.classes("parity", 3) == 2


def test_the_lstm_gets_the_mingrus_number_of_parameters():
    mingru = linearity.make_model("mingru", 9, layers=2, width=32, expand=2)
    lstm = linearity.make_model("lstm", 9, layers=2, width=32, expand=2)
    assert isinstance(mingru, CharMinGRU) and lstm.cell == "lstm" and len(lstm.layers) == 1
    n, m = lstm.n_params(), mingru.n_params()
    assert m - 4 * lstm.hidden - 200 < n <= m  # the largest LSTM within the budget
    with pytest.raises(OptionError, match="unknown cell 'gru'"):
        linearity.make_model("gru", 2, 1, 8, 2)
    with pytest.raises(OptionError, match="unknown task 'sum'"):
        linearity.bits("sum", 2, 4, torch.Generator())


def test_an_lstm_learns_parity_and_the_run_records_both_lengths():
    run = linearity.train_tracker("parity", "lstm", T=8, layers=1, width=8, expand=2, steps=200, batch=32, lr=2e-2,
                                  eval_every=100, n_test=128)
    assert [c.step for c in run.curve] == [100, 200] and run.steps == 200 and len(run.losses) == 200
    assert run.best.accuracy >= 0.95 and run.curve[-1].accuracy_long >= 0.9  # the flip-flop holds at 4T
    assert run.options["task"] == "parity" and run.cpu_seconds > 0
    with pytest.raises(OptionError, match="no option 'length'"):
        linearity.train_tracker(length=8)


def test_compare_runs_every_task_and_cell():
    runs = linearity.compare(T=6, layers=1, width=8, expand=2, steps=2, batch=4, eval_every=1, n_test=8)
    assert list(runs) == [(t, c) for t in linearity.TASKS for c in linearity.CELLS]
    assert all(0 <= c.accuracy <= 1 and 0 <= c.accuracy_long <= 1 for r in runs.values() for c in r.curve)
