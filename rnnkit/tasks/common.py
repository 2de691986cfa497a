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
            (a **kwargs would swallow a typo; Python's own TypeError is not an RnnkitError),
            and checks every option it is given by its name (OPTION_RULES: every task names
            its sizes alike, so `hidden=0`, `hidden=True`, `lr="fast"` or `seed=2**70` are one
            rule each, an OptionError before torch sees them).
check_texts, check_pairs
            the data a task is given: non-empty lists of non-empty strings, of pairs (a
            TextError that says what is wrong, never an IndexError from deep inside).
"""
import copy
import functools
import inspect
import math
import numbers
from dataclasses import dataclass, field
from typing import Optional

from ..config import check_seed
from ..errors import OptionError, TextError
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
    OptionError naming it and the options the function takes, and every argument with a rule
    in OPTION_RULES is checked."""
    signature = inspect.signature(fn)
    params = signature.parameters
    known = [n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    listed = ", ".join(n for n in known if params[n].default is not params[n].empty)  # the options proper
    name = fn.__module__.rsplit(".", 1)[-1] + "." + fn.__qualname__.removesuffix(".__init__")

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        unknown = [k for k in kwargs if k not in known or k == "self"]
        if unknown:
            raise OptionError(f"{name} has no option {', '.join(map(repr, unknown))}; its options: {listed}")
        try:
            given = signature.bind(*args, **kwargs).arguments
        except TypeError as e:  # a missing or an extra positional argument
            raise OptionError(f"{name}: {e}") from None
        for key, value in given.items():
            check_option(name, key, value)
        return fn(*args, **kwargs)
    return checked


def _whole(low):
    return (lambda v: isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= low,
            f"a whole number of at least {low}")


def _real(test, what, none=False):
    return (lambda v: (none and v is None) or (isinstance(v, numbers.Real) and not isinstance(v, bool)
                                               and math.isfinite(v) and test(v)), what + (" (or None)" if none else ""))


_FLAG = (lambda v: isinstance(v, bool), "True or False")
OPTION_RULES = {  # option name -> (test, what it must be)
    **dict.fromkeys(("embed", "hidden", "batch_size", "batch", "epochs", "n_layers", "steps", "seq_len", "label_embed",
                     "max_examples", "eval_every", "digits", "vocab_size", "n_labels", "layers", "heads", "width",
                     "context", "T", "rows", "distance", "min_count", "n", "max_len", "width"), _whole(1)),
    **dict.fromkeys(("n_train", "n_val", "n_test", "patience", "lr_decay_every", "warmup", "curve_chars", "length"),
                    _whole(0)),
    "lr": _real(lambda v: v > 0, "a finite number > 0"),
    **dict.fromkeys(("min_lr", "weight_decay"), _real(lambda v: v >= 0, "a finite number >= 0")),
    "grad_clip": _real(lambda v: v >= 0, "a finite number >= 0", none=True),
    "budget_cpu": _real(lambda v: v > 0, "a finite number > 0", none=True),
    "lr_decay": _real(lambda v: 0 < v <= 1, "a number in (0, 1]"),
    "dropout": _real(lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "temperature": _real(lambda v: v >= 0, "a finite number >= 0 (0: the most likely symbol)"),
    **dict.fromkeys(("packed", "attention", "reverse", "bidirectional", "exact", "stop_when_solved", "wall",
                     "verbose", "kv_cache"), _FLAG),
    **dict.fromkeys(("cell", "direction", "optimizer"), (lambda v: isinstance(v, str) and v != "", "a name")),
}


def check_option(where, key, value):
    """OptionError unless `value` keeps the rule of option `key` (no rule: anything goes)."""
    if key == "seed":
        check_seed(value, f"{where}'s seed")
    elif key in OPTION_RULES and not OPTION_RULES[key][0](value):
        raise OptionError(f"{where}'s {key} must be {OPTION_RULES[key][1]}, got {value!r}")


def check_texts(texts, what="texts"):
    """TextError unless `texts` is a non-empty list (or tuple) of non-empty strings."""
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TextError(f"{what} must be a list of strings, got {type(texts).__name__}")
    if not texts:
        raise TextError(f"{what} is empty")
    bad = next((t for t in texts if not isinstance(t, str) or not t), None)
    if bad is not None:
        raise TextError(f"{what} must hold non-empty strings only, got {bad!r}")


def check_pairs(pairs, what, second=str):
    """TextError unless `pairs` is a non-empty list of (non-empty string, `second`) pairs
    (second=int: a label index >= 0; str: a non-empty string)."""
    if isinstance(pairs, str) or not isinstance(pairs, (list, tuple)) or not pairs:
        raise TextError(f"{what} must be a non-empty list of pairs, got {pairs!r:.60}")
    for p in pairs:
        ok = isinstance(p, (list, tuple)) and len(p) == 2 and isinstance(p[0], str) and p[0] != ""
        ok = ok and (isinstance(p[1], int) and not isinstance(p[1], bool) and p[1] >= 0 if second is int
                     else isinstance(p[1], str) and p[1] != "")
        if not ok:
            kind = "a label index" if second is int else "a non-empty string"
            raise TextError(f"{what} must hold (non-empty string, {kind}) pairs, got {p!r:.60}")


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
    # imported here, by name (they import this module): the book's rebuild cache reads imports from
    # the code, and a computed import would make every chapter depend on the whole library
    from . import classify, conditional, gradients, linearity, minrnn, race, seq2seq, wordlm
    known = []
    for module in (classify, conditional, seq2seq, gradients, race, wordlm, minrnn, linearity):
        presets = module.PRESETS
        if name in presets:
            return sizes(presets[name], scale, **overrides)
        known += presets
    raise OptionError(f"no task named {name!r}; known: {', '.join(known)}")
