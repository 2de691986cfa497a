"""The settings of one char-rnn run (Config) and the one list of each choice they draw from.

    cfg = Config(cell="gru", hidden=256)          # unknown keys and wrong types: OptionError
    cfg = cfg.replace(lr=1e-3)                    # a checked copy
    cfg = stored.resumed(max_steps=8000)          # a resumed run may change only RESUMABLE

CELLS, OPTIMIZERS, SCALES, DEVICES and QUANTS are the only places these choices are listed:
the command line's flags and help, the presets, the model and the checks all read them here.
This module imports no torch at import time (the command line builds its parser without it).
"""
import dataclasses
import difflib
import math
import numbers
import os
from dataclasses import dataclass, field, fields

from .errors import OptionError

CELLS = ("rnn", "gru", "lstm")        # the recurrent cells (model.CELLS maps them to torch's)
OPTIMIZERS = ("adam", "rmsprop")      # rmsprop is char-rnn's default (alpha 0.95, as its decay_rate)
SCALES = ("smoke", "cpu", "gpu")      # the sizes of every preset; "auto" picks cpu or gpu
DEVICES = ("cpu", "cuda")             # the device types a run names ("cuda:1" picks one GPU)
QUANTS = ("int8", "float16")          # weight formats of an exported model

# Options a resumed run may change; the others fix the model's shape, the optimizer's state,
# the batches' layout or the vocabulary.
RESUMABLE = ("data", "lr", "lr_decay", "lr_decay_every", "min_lr", "grad_clip", "dropout", "max_steps",
             "eval_every", "eval_batches")


def one_of(choices, last="or"):
    """'rnn, gru or lstm': a list of choices as a sentence ends it."""
    return f"{', '.join(choices[:-1])} {last} {choices[-1]}" if len(choices) > 1 else choices[0]


def check_choice(name, value, choices):
    if value not in choices:
        raise OptionError(f"unknown {name} {value!r}; choose {one_of(choices)}")
    return value


def check_keys(given, known, what="option"):
    """OptionError naming every key of `given` that is not in `known` (with the closest
    known name, for a typo)."""
    unknown = sorted(set(given) - set(known))
    if unknown:
        hints = [f"{k} (did you mean {close[0]}?)" if (close := difflib.get_close_matches(k, known, 1)) else k
                 for k in unknown]
        raise OptionError(f"unknown {what}(s): {', '.join(hints)}; known: {', '.join(known)}")


@dataclass
class Config:
    # data
    data: str = "tinyshakespeare"   # registry name or a path to a text file
    encoding: str = "utf-8"         # "utf-8": code points; "bytes": one symbol per byte (Lua char-rnn)
    split: tuple = (0.9, 0.05, 0.05)  # train / val / test fractions, taken in order
    # model
    cell: str = "lstm"              # the recurrent cell
    n_layers: int = 2
    hidden: int = 128
    dropout: float = 0.0            # between layers and before the output, as char-rnn
    embed: int = 0                  # 0: one-hot input (the article); >0: a learned embedding
    # optimisation
    optimizer: str = "adam"         # the update rule
    lr: float = 2e-3
    lr_decay: float = 1.0           # multiply lr by this ...
    lr_decay_every: int = 0         # ... every this many steps (0: never)
    min_lr: float = 0.0
    grad_clip: float = 5.0
    batch_size: int = 50
    seq_len: int = 50               # truncated-BPTT length
    max_steps: int = 1000
    # bookkeeping
    eval_every: int = 100
    eval_batches: int = 0           # 0: the whole val split
    seed: int = 1337
    scale: str = field(default="cpu", compare=False)  # which scale this came from (information)

    def __new__(cls, *args, **kw):
        # Here rather than in __init__: the dataclass writes __init__, and a typo must be an
        # OptionError that names the key, not a TypeError (dataclasses.replace comes here too).
        check_keys(kw, FIELDS, "config option")
        return super().__new__(cls)

    def __post_init__(self):
        if isinstance(self.data, os.PathLike):
            self.data = os.fspath(self.data)  # a checkpoint stores plain strings only
        if isinstance(self.split, list):
            self.split = tuple(self.split)
        self.check()

    def replace(self, **overrides):
        """A copy with `overrides`, checked as a new Config is."""
        return dataclasses.replace(self, **overrides)

    def resumed(self, **overrides):
        """This stored config with the changes a resumed run asks for: only RESUMABLE ones
        may differ (asking for the value it already has is fine)."""
        check_keys(overrides, FIELDS, "option")
        fixed = [f"{k} (checkpoint {getattr(self, k)!r}, asked {v!r})" for k, v in overrides.items()
                 if k not in RESUMABLE and v != getattr(self, k)]
        if fixed:
            raise OptionError(f"cannot change {'; '.join(fixed)} when resuming: they fix the model, optimizer "
                              f"or batches; a resumed run may change only {', '.join(RESUMABLE)}")
        return self.replace(**overrides)

    def check(self):
        """OptionError for a setting of the wrong type or one no run can use (Config checks
        itself when made; a trainer checks again, since fields can be set afterwards)."""
        check_types(self)
        check_ranges(self)
        check_choice("cell", self.cell, CELLS)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        check_choice("scale", self.scale, SCALES)


FIELDS = tuple(f.name for f in fields(Config))


def check_types(c):
    """An int field takes a whole number (not a bool, not a float); a float field any real
    number but a bool; a str field a str; split three fractions."""
    for f in fields(c):
        v = getattr(c, f.name)
        if f.type is int:
            ok = isinstance(v, numbers.Integral) and not isinstance(v, bool)
        elif f.type is float:
            ok = isinstance(v, numbers.Real) and not isinstance(v, bool)
        elif f.type is str:
            ok = isinstance(v, str)
        else:  # split
            ok = (isinstance(v, tuple) and len(v) == 3
                  and all(isinstance(x, numbers.Real) and not isinstance(x, bool) and 0 <= x <= 1 for x in v)
                  and abs(sum(v) - 1) <= 1e-6)
        if not ok:
            kind = {int: "a whole number", float: "a number", str: "a string"}.get(
                f.type, "three fractions (train, val, test) that sum to 1")
            raise OptionError(f"{f.name} must be {kind}, got {v!r}")


def check_ranges(c):
    for name in ("n_layers", "hidden", "batch_size", "seq_len", "eval_every"):
        if getattr(c, name) < 1:
            raise OptionError(f"{name} must be a whole number of at least 1, got {getattr(c, name)!r}")
    if c.max_steps < 1:
        raise OptionError(f"max_steps must be at least 1, got {c.max_steps!r}: nothing would be trained")
    for name in ("embed", "eval_batches", "lr_decay_every"):
        if getattr(c, name) < 0:
            raise OptionError(f"{name} must be a whole number of at least 0, got {getattr(c, name)!r}")
    for name, strict in (("lr", True), ("lr_decay", True), ("min_lr", False), ("grad_clip", False)):
        v = getattr(c, name)
        if not (math.isfinite(v) and (v > 0 if strict else v >= 0)):
            raise OptionError(f"{name} must be a finite number {'>' if strict else '>='} 0, got {v!r}")
    if c.lr > 1e37:  # Adam's first step divides lr by 0.1 in float32 (max 3.4e38)
        raise OptionError(f"lr must be at most 1e37, got {c.lr!r}")
    if not 0 <= c.dropout < 1:
        raise OptionError(f"dropout must be in [0, 1), got {c.dropout!r}")


def default_device():
    import torch
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device):
    """OptionError unless torch can use `device` here (None: the default device)."""
    if device is None:
        return
    import torch
    try:
        d = torch.device(device)
    except (RuntimeError, TypeError):
        raise OptionError(f"unknown device {device!r}; use {one_of(DEVICES)}") from None
    if d.type == "cuda" and not torch.cuda.is_available():
        raise OptionError(f"device {device!r} is not available here (no CUDA GPU, or a CPU-only torch); use cpu")
