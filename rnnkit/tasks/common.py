"""What every task shares: the shape of its result, and how its sizes and options are read.

    run = classify.train_classifier(split, vocab, **options("names-classify", "cpu"))
    run.model, run.curve, run.best, run.cpu_seconds      # a Run, whatever the task

Run         a trained model with its curve (the points measured while it trained), the best
            of them, the updates and examples it took, its CPU seconds and why it stopped.
options()   a task's sizes at a scale: each task module keeps them as plain data in PRESETS,
            {experiment: {"smoke": {...}, "cpu": {...}, "gpu": {...}}}, every scale with the
            same keys; overriding a key the experiment does not have is an OptionError.
strict_options
            a task function refuses a keyword it does not take with an OptionError naming it
            (a **kwargs would swallow a typo; Python's own TypeError is not an RnnkitError).
"""
import copy
import functools
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Optional

from ..errors import OptionError
from ..presets import resolve_scale

# the task modules that keep PRESETS, searched by options()
MODULES = ("classify", "conditional", "seq2seq", "gradients", "race", "wordlm", "minrnn", "linearity")


@dataclass
class Run:
    """One training run of a task. `curve` holds the points measured as it trained, each a
    named tuple of the task's own (classify: epoch, train_loss, val_accuracy); `best` is the
    best of them by the task's measure (the task's docstring says whether `model` holds the
    best or the last weights)."""
    model: object
    curve: list                  # points measured while training, in order (empty: none measured)
    best: Optional[tuple]        # the best point of curve (None: none measured)
    steps: int                   # optimizer updates made
    examples: int                # training examples read (names, sums, windows of the batch)
    cpu_seconds: float           # process time of the loop, all threads, its evaluations included
    stopped: str                 # why it ended: "done", "patience", "target", "budget" or "diverged"
    options: dict                # every option it ran with, defaults included
    losses: list = field(default_factory=list)      # the training loss of each update
    grad_norms: list = field(default_factory=list)  # each update's gradient norm before clipping
    reached_at: Optional[int] = None  # the first point's x that met the run's target (None: never)

    @property
    def reached(self):
        return self.reached_at is not None


def strict_options(fn):
    """Decorate a task function (or a class's __init__) so that an unknown keyword raises
    OptionError naming it and the options the function takes."""
    params = inspect.signature(fn).parameters
    known = [n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    listed = ", ".join(n for n in known if params[n].default is not params[n].empty)  # the options proper
    name = fn.__module__.rsplit(".", 1)[-1] + "." + fn.__qualname__.removesuffix(".__init__")

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        unknown = [k for k in kwargs if k not in known or k == "self"]
        if unknown:
            raise OptionError(f"{name} has no option {', '.join(map(repr, unknown))}; its options: {listed}")
        return fn(*args, **kwargs)
    return checked


def sizes(table, scale="auto", **overrides):
    """The sizes of one experiment, table {scale: dict}, at `scale` (auto: gpu with CUDA, else
    cpu), as a new dict (nested dicts copied too: a chapter may change its copy), with
    `overrides` of its own keys."""
    chosen = copy.deepcopy(table[resolve_scale(scale)])
    unknown = [k for k in overrides if k not in chosen]
    if unknown:
        raise OptionError(f"no size {', '.join(map(repr, unknown))} to override; the sizes: {', '.join(chosen)}")
    return {**chosen, **overrides}


def options(name, scale="auto", **overrides):
    """The sizes of task experiment `name` (e.g. "addition") at `scale`, from the PRESETS of
    the task module that runs it, with overrides: sizes(module.PRESETS[name], ...)."""
    known = []
    for module in MODULES:
        presets = importlib.import_module(f"{__package__}.{module}").PRESETS
        if name in presets:
            return sizes(presets[name], scale, **overrides)
        known += presets
    raise OptionError(f"no task named {name!r}; known: {', '.join(known)}")
