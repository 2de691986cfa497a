"""Remembering across distance: vanishing and exploding gradients, measured.

Backpropagation through time multiplies one Jacobian dh_j/dh_{j-1} per step between the
loss at step T and the state at step t, so the size of dL_T/dh_t against the distance
T - t shows whether a cell can learn from that far back:

  gradient_norms(model, ids)      ||dL_T/dh_t|| for every t < T, for a 1-layer CharRNN of any
                                  cell (rnn, gru, lstm), stepped by hand so every h_t is a node
  adding_batch(n, T, gen)         the adding problem (Hochreiter & Schmidhuber 1997): a random
                                  value and a marker per step; the target is the sum of the
                                  two marked values; always answering 1 scores MSE 1/6 ~ 0.167
  AddingModel, train_adding(...)  a cell + a linear read-out of its last state, trained by
                                  Adam on fresh batches, test MSE on a fixed set as it goes;
                                  records the gradient norm (before clipping) of every update
"""
import copy
import math
import time
from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..errors import OptionError
from ..loop import update
from ..model import CELLS, CharRNN
from ..config import Config
from ..train import Trainer
from .common import Run, strict_options

BASELINE_MSE = 1 / 6  # predicting 1 for a sum of two U(0,1) values: its variance, 2 x 1/12

# Chapter 14's sizes, one experiment per section.
PRESETS = {
    # Vanishing gradients (bptt_study): 1-layer char models (rnn, gru, lstm) on Tiny Shakespeare
    # whose ||dL_T/dh_t|| is measured over `distance` steps on `rows` windows.
    "bptt-gradients": {
        "smoke": dict(hidden=32, steps=20, batch_size=8, seq_len=32, lr=3e-3, distance=30, rows=8),
        "cpu": dict(hidden=128, steps=400, batch_size=16, seq_len=64, lr=3e-3, distance=100, rows=32),
        "gpu": dict(hidden=512, steps=3000, batch_size=64, seq_len=100, lr=2e-3, distance=200, rows=64),
    },
    # The adding problem (adding_grid), every cell at every length; a run stops at its first
    # test MSE below 0.01. The article's era ran ~10^5 updates per cell.
    "adding-problem": {
        "smoke": dict(lengths=(10, 20), hidden=16, steps=30, batch_size=32, lr=1e-2, eval_every=10, n_test=200),
        "cpu": dict(lengths=(50, 100, 200), hidden=32, steps=500, batch_size=128, lr=1e-2, eval_every=50,
                    n_test=1000),
        "gpu": dict(lengths=(50, 100, 200, 400), hidden=64, steps=3000, batch_size=128, lr=1e-2, eval_every=100,
                    n_test=2000),
    },
    # Exploding gradients: a tanh RNN on the adding problem with plain SGD at a high lr, run
    # twice from the same seed: without clipping and with the gradient norm clipped at `clip`.
    "exploding": {
        "smoke": dict(cell="rnn", T=20, hidden=16, steps=30, batch_size=32, lr=0.5, clip=1.0),
        "cpu": dict(cell="rnn", T=50, hidden=32, steps=300, batch_size=64, lr=0.5, clip=1.0),
        "gpu": dict(cell="rnn", T=50, hidden=32, steps=1000, batch_size=64, lr=0.5, clip=1.0),
    },
}


# ----------------------------------------------------------------------------- BPTT, measured

def gradient_norms(model: CharRNN, ids):
    """||dL_T/dh_t|| for t = 0..T-1, geometric mean over the rows of ids (B, T+1): the loss is the
    cross-entropy of the last prediction only (ids[:, T] after reading ids[:, :T]). Returns a
    list whose entry d is the norm at distance d = T-1-t (d = 0 is the last state).
    The model must have one layer (the state whose gradient we measure is that layer's h).

    The study runs on a float64 copy of the model: a gradient that shrinks by 0.4 per step is
    1e-40 of the last one after 100 steps, below float32's smallest number (~1e-38 normal,
    1e-45 at all), where it would read as a cliff to zero instead of the measured decay.
    Float64 reaches 1e-308; a norm below even that is returned as 0.0."""
    if len(model.layers) != 1:
        raise OptionError("gradient_norms measures a 1-layer model's state; got "
                         f"{len(model.layers)} layers")
    model = copy.deepcopy(model).double().eval()  # eval: no dropout, the same function at every step
    ids = ids.long()  # splits come in a compact dtype
    x, target = ids[:, :-1], ids[:, -1]
    state = [tuple(t.double() for t in s) if isinstance(s, tuple) else s.double()
             for s in model.init_state(x.shape[0], x.device)]
    hs = []
    for t in range(x.shape[1]):
        logits, state = model.step(x[:, t], state)
        h = state[0][0] if model.cell == "lstm" else state[0]
        h.retain_grad()  # keep dL/dh_t, not only the leaves' gradients
        hs.append(h)
    loss = F.cross_entropy(logits, target, reduction="sum")  # rows are independent: per-row grads
    loss.backward()
    # geometric mean over rows: norms spread over orders of magnitude, and an arithmetic mean
    # would be one row's value (a row whose norm is exactly 0 makes the mean 0)
    norms = [h.grad.norm(dim=1).log().mean().exp().item() for h in hs]
    return norms[::-1]


def set_forget_bias(model, value):
    """Set every LSTM layer's forget-gate bias to `value` (split between b_ih and b_hh as
    value and 0). torch starts it near 0, so f ~ 0.5 and the cell halves every step; a bias
    of 1 (Gers et al. 2000; Jozefowicz et al. 2015) starts f near 0.73. Returns the model."""
    layers = model.layers if isinstance(model, CharRNN) else [model.rnn]
    with torch.no_grad():
        for layer in layers:
            if not isinstance(layer, nn.LSTM):
                raise OptionError("set_forget_bias needs an LSTM")
            H = layer.hidden_size
            for name, p in layer.named_parameters():
                if name.startswith("bias_ih"):
                    p[H:2 * H] = value  # torch orders the gates i, f, g, o
                elif name.startswith("bias_hh"):
                    p[H:2 * H] = 0.0
    return model


def random_windows(ids, n, length, gen):
    """n random windows of `length` ids from a 1-D tensor, stacked (n, length)."""
    starts = torch.randint(len(ids) - length, (n,), generator=gen)
    return torch.stack([ids[s:s + length] for s in starts])


# ----------------------------------------------------------------------------- the adding problem

def adding_batch(n, T, gen):
    """n sequences of length T: x (n, T, 2) with a U(0,1) value and a 0/1 marker per step,
    one marker in the first half and one in the second (Le, Jaitly & Hinton 2015's version);
    y (n,) the sum of the two marked values."""
    if T < 2:
        raise OptionError("the adding problem needs T >= 2")
    values = torch.rand(n, T, generator=gen)
    first = torch.randint(T // 2, (n,), generator=gen)
    second = T // 2 + torch.randint(T - T // 2, (n,), generator=gen)
    marks = torch.zeros(n, T)
    rows = torch.arange(n)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    return torch.stack([values, marks], dim=2), (values * marks).sum(1)


class AddingModel(nn.Module):
    """One recurrent layer (rnn: tanh, gru or lstm; torch's default initialisation) reading
    (value, marker) pairs, and a linear read-out of its last hidden state."""

    @strict_options
    def __init__(self, cell="lstm", hidden=64):
        super().__init__()
        if cell not in CELLS:
            raise OptionError(f"unknown cell {cell!r}; choose rnn, gru or lstm")
        self.cell = cell
        self.rnn = CELLS[cell](2, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1]).squeeze(1)


Check = namedtuple("Check", "step test_mse")  # a point of an adding run's curve


@strict_options
def train_adding(cell="lstm", T=50, hidden=64, steps=1000, batch_size=32, lr=1e-2, grad_clip=1.0,
                 eval_every=50, n_test=1000, optimizer="adam", seed=0, budget_cpu=None, solved=0.01,
                 stop_when_solved=False):
    """Train an AddingModel on fresh batches, measuring the test MSE every `eval_every` steps.
    Returns a Run of Check points (best: the lowest test MSE; reached_at: the first step whose
    test MSE is below `solved`), with every update's loss and gradient norm before clipping.
    budget_cpu stops early after that many process CPU seconds; stop_when_solved stops at the
    first test below `solved` (saves the budget for the rest). grad_clip=None or 0 trains
    without clipping; a loss that is not finite ends the run ("diverged"): the chapter shows it."""
    options = dict(locals())
    torch.manual_seed(seed)
    model = AddingModel(cell, hidden)
    opt = (torch.optim.Adam(model.parameters(), lr=lr) if optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=lr))
    gen = torch.Generator().manual_seed(seed + 1)
    x_test, y_test = adding_batch(n_test, T, torch.Generator().manual_seed(10_000 + T))
    curve, norms, losses, stopped = [], [], [], "done"
    c0 = time.process_time()

    def test():
        model.eval()
        with torch.no_grad():
            mse = F.mse_loss(model(x_test), y_test).item()
        model.train()
        return Check(step, mse)

    step = 0
    curve.append(test())
    for step in range(1, steps + 1):
        x, y = adding_batch(batch_size, T, gen)
        # clipping at infinity measures the norm and changes nothing; a non-finite loss is
        # recorded, not raised: this loop is where the book watches a run blow up
        done = update(opt, F.mse_loss(model(x), y), grad_clip or math.inf, check_finite=False)
        norms.append(done.grad_norm)
        losses.append(done.loss)
        if not math.isfinite(done.loss):
            stopped = "diverged"
            break
        if step % eval_every == 0 or step == steps:
            curve.append(test())
            if stop_when_solved and curve[-1].test_mse < solved:
                stopped = "target"
                break
        if budget_cpu and time.process_time() - c0 > budget_cpu:
            stopped = "budget"
            break
    if curve[-1].step != step and stopped != "diverged":
        curve.append(test())
    best = min((c for c in curve if math.isfinite(c.test_mse)), key=lambda c: c.test_mse, default=None)
    reached_at = next((c.step for c in curve if c.test_mse < solved), None)
    return Run(model, curve, best, step, step * batch_size, time.process_time() - c0, stopped, options, losses,
               norms, reached_at)


# ----------------------------------------------------------------------------- the chapter's studies

@strict_options
def bptt_study(text, cells=("rnn", "gru", "lstm"), hidden=128, steps=400, batch_size=16, seq_len=64,
               lr=3e-3, distance=100, rows=32, seed=0):
    """For each cell, a 1-layer one-hot CharRNN on `text` (90/5/5 split): gradient norms
    against distance at initialisation and after `steps` updates, on the same `rows` random
    val windows. Also the LSTM at initialisation with forget bias 1. Returns
    {"init": {cell: norms}, "trained": {cell: norms}, "val": {cell: loss}, "cpu_s": {cell: s}}."""
    out = {"init": {}, "trained": {}, "val": {}, "cpu_s": {}}
    for cell in cells:
        cfg = Config(cell=cell, n_layers=1, hidden=hidden, batch_size=batch_size, seq_len=seq_len, lr=lr,
                     max_steps=steps, eval_every=steps, eval_batches=20, seed=seed)
        c0 = time.process_time()
        trainer = Trainer(cfg, text=text, device="cpu")
        ids = random_windows(trainer.splits["val"], rows, distance + 1, torch.Generator().manual_seed(seed))
        out["init"][cell] = gradient_norms(trainer.model, ids)
        if cell == "lstm":
            out["init"]["lstm, forget bias 1"] = gradient_norms(set_forget_bias(copy.deepcopy(trainer.model), 1.0), ids)
        trainer.fit(progress=False)
        out["trained"][cell] = gradient_norms(trainer.model, ids)
        out["val"][cell] = trainer.history["val"][-1][1]
        out["cpu_s"][cell] = time.process_time() - c0
    return out


def adding_grid(lengths=(50, 100, 200), cells=("rnn", "gru", "lstm"), seed=0, **kw):
    """train_adding for every (cell, T), each stopping at its first test MSE below 0.01; `kw`
    are train_adding's options. Returns {(cell, T): Run}."""
    return {(cell, T): train_adding(cell, T, seed=seed, stop_when_solved=True, **kw)
            for T in lengths for cell in cells}


def decay_per_step(norms, start=1, end=None):
    """The geometric mean factor by which a norm shrinks per step of distance between
    `start` and `end` (1.0: no decay; 0.5: halves every step)."""
    end = min(end or len(norms) - 1, len(norms) - 1)
    a, b = norms[start], norms[end]
    if a <= 0 or b <= 0:
        return 0.0
    return math.exp((math.log(b) - math.log(a)) / (end - start))
