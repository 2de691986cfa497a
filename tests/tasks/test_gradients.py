"""rnnkit.tasks.gradients: BPTT gradient norms, the adding problem, clipping."""
import math

import pytest
import torch

from rnnkit.errors import OptionError
from rnnkit.model import CharRNN
from rnnkit.tasks.gradients import (BASELINE_MSE, adding_batch, adding_grid, decay_per_step, gradient_norms,
                                    set_forget_bias, train_adding)


def test_adding_batch_and_its_baseline():
    x, y = adding_batch(20000, 30, torch.Generator().manual_seed(0))
    assert x.shape == (20000, 30, 2) and y.shape == (20000,)
    marks = x[:, :, 1]
    assert torch.all(marks.sum(1) == 2)
    assert torch.all(marks[:, :15].sum(1) == 1) and torch.all(marks[:, 15:].sum(1) == 1)
    assert torch.allclose(y, (x[:, :, 0] * marks).sum(1))
    mse_of_one = ((y - 1) ** 2).mean().item()
    assert abs(mse_of_one - BASELINE_MSE) < 0.005  # predicting 1 scores ~0.167
    with pytest.raises(OptionError):
        adding_batch(4, 1, torch.Generator())


def ids_for(V=20, rows=6, T=40, seed=0):
    return torch.randint(V, (rows, T + 1), generator=torch.Generator().manual_seed(seed))


def test_gradient_norms_vanish_for_tanh_rnn():
    torch.manual_seed(0)
    model = CharRNN(20, "rnn", 1, 32)
    norms = gradient_norms(model, ids_for())
    assert len(norms) == 40 and all(n >= 0 for n in norms)
    assert norms[20] < 1e-2 * norms[0]  # exponential decay with distance
    assert decay_per_step(norms) < 0.9


def test_gradient_norms_do_not_underflow_where_float32_would():
    # a tanh RNN whose recurrent weights are tiny: the gradient shrinks ~1e-3 per step, so by
    # distance 30 it is far below float32's range (~1e-38); in float64 the decay is measured
    torch.manual_seed(0)
    model = CharRNN(20, "rnn", 1, 32)
    with torch.no_grad():
        model.layers[0].weight_hh_l0.mul_(0.003)
    before = [p.clone() for p in model.parameters()]
    norms = gradient_norms(model, ids_for())
    assert 0 < norms[30] < 1e-45  # not representable in float32 at all
    rates = [norms[d + 1] / norms[d] for d in range(5, 35)]
    assert max(rates) / min(rates) < 10  # a steady geometric decay, no cliff to zero
    assert 0 < decay_per_step(norms, 1, 39) < 0.05
    # the caller's model is left as it was: float32, no gradients
    assert all(p.dtype == torch.float32 and p.grad is None for p in model.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_forget_bias_keeps_lstm_gradient_longer_than_tanh_rnn():
    torch.manual_seed(0)
    rnn = CharRNN(20, "rnn", 1, 32)
    torch.manual_seed(0)
    lstm = set_forget_bias(CharRNN(20, "lstm", 1, 32), 3.0)
    ids = ids_for()
    assert gradient_norms(lstm, ids)[20] > 100 * gradient_norms(rnn, ids)[20]
    assert torch.allclose(lstm.layers[0].bias_ih_l0[32:64], torch.full((32,), 3.0))
    with pytest.raises(ValueError):
        set_forget_bias(rnn, 1.0)
    with pytest.raises(ValueError):
        gradient_norms(CharRNN(20, "rnn", 2, 8), ids)


def test_gradient_norm_at_distance_zero_matches_autograd():
    torch.manual_seed(1)
    model = CharRNN(10, "gru", 1, 8)
    ids = ids_for(10, 1, 5, 1)
    h = model.init_state(1)
    for t in range(5):
        logits, h = model.step(ids[:, t], h)
    hl = h[0].detach().requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(model.head(hl), ids[:, 5], reduction="sum")
    (g,) = torch.autograd.grad(loss, hl)
    assert math.isclose(gradient_norms(model, ids)[0], g.norm().item(), rel_tol=1e-5)


def test_gru_learns_short_adding_problem():
    run = train_adding("gru", T=10, hidden=16, steps=300, batch_size=64, lr=1e-2, eval_every=50, n_test=300)
    assert run.curve[0] == (0, run.curve[0].test_mse) and run.curve[0].test_mse > 0.1
    assert [c.step for c in run.curve] == [0, 50, 100, 150, 200, 250, 300]
    assert run.best.test_mse < 0.05, run.curve
    assert run.best == min(run.curve, key=lambda c: c.test_mse)
    assert len(run.grad_norms) == len(run.losses) == run.steps == 300 and run.stopped == "done"


def test_clipping_prevents_the_explosion():
    kw = dict(cell="rnn", T=20, hidden=16, steps=40, batch_size=32, lr=0.5, optimizer="sgd", eval_every=20)
    wild = train_adding(grad_clip=None, **kw)
    tame = train_adding(grad_clip=1.0, **kw)
    assert not math.isfinite(wild.losses[-1]) and wild.steps < 40 and wild.stopped == "diverged"
    assert len(wild.grad_norms) == wild.steps  # the norm of the update that overflowed is kept
    assert all(math.isfinite(v) for v in tame.losses) and tame.steps == 40 and tame.stopped == "done"
    assert max(tame.grad_norms) < max(wild.grad_norms)


def test_the_grid_stops_each_run_when_solved_and_refuses_typos():
    grid = adding_grid(lengths=(6,), cells=("gru",), hidden=16, steps=400, batch_size=64, lr=2e-2, eval_every=20,
                       n_test=200, solved=0.05)
    run = grid[("gru", 6)]
    assert run.stopped == "target" and run.reached_at == run.curve[-1].step == run.steps < 400
    assert run.curve[-1].test_mse < 0.05 and all(c.test_mse >= 0.05 for c in run.curve[:-1])
    with pytest.raises(OptionError, match="no option 'step'"):
        adding_grid(lengths=(6,), cells=("gru",), step=3)
