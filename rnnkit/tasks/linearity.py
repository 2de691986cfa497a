"""What the linearity costs: an LSTM against a minGRU of the same size on two streams of bits
that ask for a state to be tracked (chapter 18).

    runs = compare(tasks=("parity", "depth"), **options("linearity", "cpu"))   # {(task, cell): Run}

Both tasks read a stream of bits and name a class after every bit:

  parity   is the number of 1s read so far odd? A machine of two states that flips at every 1.
           The LSTM's gates read its state, so it can hold a flip-flop. A minGRU's gates never
           see the state and its decay a_t lies in (0, 1): Grazzi et al. (2024, "Unlocking state-
           tracking in linear RNNs through negative eigenvalues"), after Merrill, Petty and
           Sabharwal (2024), prove that such recurrences, any finite number of layers deep,
           cannot give parity at every length.
  depth    the nesting depth of a bracket string (1 opens, 0 closes; never below 0 nor above
           `max_depth`), chapter 5's nesting count in its plainest form: a running sum, which is
           what a linear recurrence computes well.

Each model trains on fresh strings of length T and is tested at T and at 4T (strings longer than
any it saw: did it learn the rule or a table of short cases?). The LSTM gets the minGRU's number
of parameters (rnnkit.model.hidden_for_budget picks its width).
"""
import time
from collections import namedtuple

import torch
import torch.nn.functional as F

from ..errors import OptionError
from ..loop import update
from ..model import CharRNN, hidden_for_budget
from .common import Run, strict_options
from .minrnn import CharMinGRU

TASKS = ("parity", "depth")
CELLS = ("lstm", "mingru")

# Chapter 18's sizes: the minGRU's (the LSTM matches its parameters), the training and the tests.
PRESETS = {
    "linearity": {
        "smoke": dict(T=16, layers=1, width=16, expand=2, steps=20, batch=16, lr=1e-2, eval_every=10, n_test=64,
                      max_depth=4),
        "cpu": dict(T=64, layers=2, width=32, expand=2, steps=400, batch=32, lr=5e-3, eval_every=50, n_test=256,
                    max_depth=8),
        "gpu": dict(T=64, layers=2, width=64, expand=2, steps=2000, batch=64, lr=3e-3, eval_every=100, n_test=1024,
                    max_depth=8),
    },
}

Check = namedtuple("Check", "step accuracy accuracy_long")  # a point of a run's curve: shares right at T and 4T


def bits(task, n, T, gen, max_depth=8):
    """n streams of T bits (n, T) and the class after every bit (n, T): parity of the 1s so far,
    or the bracket depth (a walk that must open at 0 and close at max_depth)."""
    if task not in TASKS:
        raise OptionError(f"unknown task {task!r}; choose parity or depth")
    if task == "parity":
        x = torch.randint(2, (n, T), generator=gen)
        return x, x.cumsum(1) % 2
    coin = torch.randint(2, (n, T), generator=gen)
    x, y = torch.empty(n, T, dtype=torch.long), torch.empty(n, T, dtype=torch.long)
    depth = torch.zeros(n, dtype=torch.long)
    for t in range(T):  # the walk is sequential; T small steps over all n strings
        step = torch.where(depth == 0, 1, torch.where(depth == max_depth, 0, coin[:, t]))
        depth = depth + 2 * step - 1
        x[:, t], y[:, t] = step, depth
    return x, y


def classes(task, max_depth):
    return 2 if task == "parity" else max_depth + 1


def make_model(cell, n_classes, layers, width, expand, seed=0):
    """The minGRU of these sizes, or a 1-layer LSTM with as many parameters. Both read symbols 0
    and 1 and name one of n_classes: one vocabulary of max(2, n_classes) symbols serves both."""
    torch.manual_seed(seed)
    vocab = max(2, n_classes)
    if cell == "mingru":
        return CharMinGRU(vocab, layers, width, expand)
    if cell != "lstm":
        raise OptionError(f"unknown cell {cell!r}; choose lstm or mingru")
    budget = CharMinGRU(vocab, layers, width, expand).n_params()
    return CharRNN(vocab, "lstm", 1, hidden_for_budget("lstm", 1, budget, vocab))


@torch.no_grad()
def accuracy(model, x, y):
    """The share of positions whose class the model names right (argmax), over all of x."""
    was = model.training
    model.eval()
    logits, _ = model(x)
    model.train(was)
    return (logits.argmax(-1) == y).double().mean().item()


@strict_options
def train_tracker(task="parity", cell="mingru", T=64, layers=2, width=32, expand=2, steps=400, batch=32, lr=5e-3,
                  eval_every=50, n_test=256, max_depth=8, seed=0):
    """Train one model on fresh strings of length T with Adam (clip 1), testing every
    eval_every updates on fixed strings of length T and 4T. Returns a Run of Check points
    (best: the highest accuracy at T); run.model holds the last weights."""
    options = dict(locals())
    n_classes = classes(task, max_depth)
    model = make_model(cell, n_classes, layers, width, expand, seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed + 1)
    tests = [bits(task, n_test, length, torch.Generator().manual_seed(10_000 + length), max_depth)
             for length in (T, 4 * T)]
    curve, losses = [], []
    c0 = time.process_time()
    for step in range(1, steps + 1):
        x, y = bits(task, batch, T, gen, max_depth)
        logits, _ = model(x)
        loss = F.cross_entropy(logits[..., :n_classes].flatten(0, 1), y.flatten())
        losses.append(update(opt, loss, grad_clip=1.0).loss)
        if step % eval_every == 0 or step == steps:
            curve.append(Check(step, *(accuracy(model, *test) for test in tests)))
    best = max(curve, key=lambda c: c.accuracy)
    return Run(model, curve, best, steps, steps * batch, time.process_time() - c0, "done", options, losses)


def compare(tasks=TASKS, cells=CELLS, seed=0, **sizes):
    """train_tracker for every (task, cell) with the same sizes: {(task, cell): Run}."""
    return {(task, cell): train_tracker(task, cell, seed=seed, **sizes) for task in tasks for cell in cells}
