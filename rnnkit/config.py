"""The settings of one char-rnn run (Config) and the one list of each choice they draw from.

    cfg = Config(cell="gru", hidden=256)          # unknown keys and wrong types: OptionError
    cfg = cfg.replace(lr=1e-3)                    # a checked copy
    cfg = stored.resumed(max_steps=8000)          # a resumed run may change only RESUMABLE
    cfg.hidden = 64                               # checked too: a bad value is refused, the old kept

CELLS, OPTIMIZERS, SCALES, DEVICES, QUANTS and PRECISIONS are the only places these choices are listed:
the command line's flags and help, the presets, the model and the checks all read them here.
This module imports no torch at import time (the command line builds its parser without it).
"""
import codecs
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
PRECISIONS = ("auto", "fp32", "bf16")  # a training step's arithmetic; auto: measured (rnnkit.precision)

# Options a resumed run may change; the others fix the model's shape, the optimizer's state,
# the batches' layout or the vocabulary.
RESUMABLE = ("data", "lr", "lr_decay", "lr_decay_every", "min_lr", "grad_clip", "dropout", "max_steps",
             "eval_every", "eval_batches", "precision")


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
    precision: str = "auto"         # fp32, bf16 (autocast) or auto: bf16 where a probe finds it faster
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
        object.__setattr__(self, "_made", True)

    def __setattr__(self, name, value):
        """A field set on a made Config is checked at once; a refused value leaves the old one."""
        if not self.__dict__.get("_made"):
            return object.__setattr__(self, name, value)
        check_keys({name: value}, FIELDS, "config option")
        old = getattr(self, name)
        object.__setattr__(self, name, tuple(value) if name == "split" and isinstance(value, list) else value)
        try:
            self.check()
        except OptionError:
            object.__setattr__(self, name, old)
            raise

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
        check_choice("precision", self.precision, PRECISIONS)
        check_encoding(self.encoding)


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
            ok = isinstance(v, str) and v.strip() != ""  # "": an unset variable, never a choice
        else:  # split
            ok = (isinstance(v, tuple) and len(v) == 3
                  and all(isinstance(x, numbers.Real) and not isinstance(x, bool) and 0 <= x <= 1 for x in v)
                  and abs(sum(v) - 1) <= 1e-6)
        if not ok:
            kind = {int: "a whole number", float: "a number", str: "a non-empty string"}.get(
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
    if c.lr_decay > 1:  # a growing lr overflows after a few decays
        raise OptionError(f"lr_decay must be at most 1 (it multiplies the lr every lr_decay_every steps), "
                          f"got {c.lr_decay!r}")
    if c.min_lr > c.lr:
        raise OptionError(f"min_lr must be at most lr ({c.lr!r}), got {c.min_lr!r}")
    check_seed(c.seed)
    if not 0 <= c.dropout < 1:
        raise OptionError(f"dropout must be in [0, 1), got {c.dropout!r}")


def check_seed(seed, name="seed"):
    """OptionError unless seed is None or a whole number torch's generators take (64 bits)."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
                             or not 0 <= seed < 2 ** 64):
        raise OptionError(f"{name} must be a whole number from 0 to 2**64 - 1, got {seed!r}")
    return seed


def check_encoding(encoding):
    """OptionError unless `encoding` is "bytes" or the name of a Python text codec."""
    if encoding == "bytes":
        return encoding
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise OptionError(f"unknown encoding {encoding!r}; use utf-8, bytes or a Python codec name "
                          "such as latin-1 or utf-16") from None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib...: bytes to bytes
        raise OptionError(f"encoding {encoding!r} is not a text encoding; use utf-8, bytes or one such as latin-1")
    return encoding


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
    except (RuntimeError, TypeError, ValueError):
        d = None
    if d is None or d.type not in DEVICES:  # meta, mps, xla...: not devices a run is tested on
        raise OptionError(f"unknown device {device!r}; use {one_of(DEVICES)}")
    if d.type == "cuda" and not torch.cuda.is_available():
        raise OptionError(f"device {device!r} is not available here (no CUDA GPU, or a CPU-only torch); use cpu")
    if d.type == "cuda" and d.index is not None and d.index >= torch.cuda.device_count():
        raise OptionError(f"device {device!r} does not exist: this machine has {torch.cuda.device_count()} GPU(s)")
