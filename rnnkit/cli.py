"""Command line, with the options a char-rnn user knows.

    python -m rnnkit train --data tinyshakespeare --preset cpu --out out/shakespeare
    python -m rnnkit train --resume out/shakespeare/interrupted_step002500.pt --max-steps 12000
    python -m rnnkit sample out/shakespeare --prime "ROMEO:" --temperature 0.8 --length 500
    python -m rnnkit export out/shakespeare shakespeare.js --quant int8
    python -m rnnkit datasets
    torchrun --nproc_per_node 4 -m rnnkit train ...   (data parallel: batch rows split over processes)

`train` has one flag per field of rnnkit.config.Config, made from the dataclass itself, so a
new setting is on the command line as soon as it is in Config; the choices of its flags (cells,
optimizers, scales, devices, export formats) are config's lists. A failure is one line on stderr
("rnnkit: error: ...") and exit status 2, whatever raised it (an OSError or a MemoryError that
got past the library's own checks too); a warning is one line ("rnnkit: warning: ..."). Ctrl-C
exits 130 and SIGTERM 143, after `train` saved a checkpoint. A path given as "" (an unset
variable) is refused. `sample` prints one sample as it is generated. Nothing here imports torch
before a command runs, nor matplotlib at all.
"""
import argparse
import dataclasses
import inspect
import re
import shlex
import signal
import sys
import threading
import warnings
from pathlib import Path

from . import config

# char-rnn's spellings, where it has one, with the Config field's own name as an alias.
# Fields not listed get --field-name.
FLAGS = {
    "cell": ("--model", "--cell"),
    "n_layers": ("--num-layers", "--n-layers"),
    "hidden": ("--rnn-size", "--hidden"),
    "seq_len": ("--seq-length", "--seq-len"),
    "lr": ("--learning-rate", "--lr"),
    "scale": ("--preset",),
}
# Help for the fields whose comment in config.py does not say it already.
HELP = {
    "data": "registry name (see `datasets`) or path to a text file",
    "encoding": "utf-8 (code points), bytes (one symbol per byte, as Lua char-rnn) or a Python codec "
                "name such as utf-16 or latin-1",
    "split": "train, val and test fractions, e.g. 0.9 0.05 0.05",
    "n_layers": "number of stacked recurrent layers",
    "hidden": "hidden units per layer",
    "lr": "learning rate",
    "min_lr": "the learning rate never decays below this",
    "grad_clip": "clip the gradient norm to this (0: no clipping)",
    "batch_size": "rows per batch",
    "max_steps": "train up to this step",
    "eval_every": "evaluate and save a checkpoint every this many steps",
    "seed": "random seed",
    "scale": f"{' | '.join(config.SCALES)} | auto (default: auto)",
    "precision": "a training step's arithmetic: bf16 under autocast, fp32, or auto (default): bf16 only "
                 "where a short probe measures it clearly faster on this machine (cached)",
}
CHOICES = {"cell": config.CELLS, "optimizer": config.OPTIMIZERS, "scale": ("auto",) + config.SCALES,
           "precision": config.PRECISIONS}


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, as every other error (argparse prints usage first)
        print(f"rnnkit: error: {message} (see `python -m {self.prog} --help`)", file=sys.stderr)
        sys.exit(2)


def field_comments(cls):
    """{field: its comment} from the class source (`name: type = default  # comment`)."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    return dict(re.findall(r"^\s+(\w+):[^#\n]*#\s*(.+)$", source, flags=re.M))


def add_config_flags(parser):
    """One flag per Config field; each defaults to None (the preset or the checkpoint decides)."""
    comments = field_comments(config.Config)
    for f in dataclasses.fields(config.Config):
        kind = type(f.default)
        extra = dict(nargs=len(f.default), type=float, metavar="X") if kind is tuple else dict(type=kind)
        helps = HELP.get(f.name) or comments.get(f.name, "")
        if f.name in CHOICES:
            extra["choices"] = CHOICES[f.name]
            helps = f"{helps} ({config.one_of(CHOICES[f.name])})" if f.name != "scale" else helps
        else:
            extra.setdefault("metavar", {int: "N", float: "X"}.get(kind, f.name.upper()))
        parser.add_argument(*FLAGS.get(f.name, ("--" + f.name.replace("_", "-"),)), dest=f.name, help=helps,
                            **extra)


def build_parser():
    p = Parser(prog="rnnkit", description="Character-level RNN language models.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model on a corpus (registry name or text file)")
    add_config_flags(t)
    t.add_argument("--out", help="folder for checkpoints (with --resume: the checkpoint's folder by default)")
    t.add_argument("--resume", metavar="CHECKPOINT", help="continue training from a checkpoint; may change "
                   "the schedule (learning rate, max steps, eval frequency, dropout, clip), not the shapes")
    t.add_argument("--device", help=f"{config.one_of(config.DEVICES)} (default: cuda when available)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("sample", help="generate text from a checkpoint")
    s.add_argument("checkpoint", help="a .pt file, or a training folder (its best checkpoint)")
    s.add_argument("--prime", default="", help="text to start from (included in the output)")
    s.add_argument("--prime-file", help="read the prime text from this file")
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--length", type=int, default=500)
    s.add_argument("--seed", type=int, default=123)
    s.add_argument("--top-k", type=int, help="sample only from the k most likely characters")
    s.add_argument("--top-p", type=float, help="nucleus sampling: only from the most likely characters "
                   "whose probability adds up to p (0 < p <= 1)")
    s.add_argument("--argmax", action="store_true", help="always take the most likely character")
    s.add_argument("-n", "--num-samples", type=int, default=1)
    s.add_argument("--device", default="cpu", help=config.one_of(config.DEVICES))

    e = sub.add_parser("export", help="write a checkpoint as a small script file for the browser")
    e.add_argument("checkpoint", help="a .pt file, or a training folder (its best checkpoint)")
    e.add_argument("out", help="the file to write (.js)")
    e.add_argument("--quant", choices=config.QUANTS, default=config.QUANTS[0],
                   help=f"weight format (default {config.QUANTS[0]})")

    sub.add_parser("datasets", help="list the corpora, their size and licence, and whether they are cached")
    return p


PATHS = {"data": "--data", "out": "--out", "resume": "--resume", "prime_file": "--prime-file",
         "checkpoint": "CHECKPOINT"}  # the path arguments, which may not be empty


def check_paths(a):
    """OptionError for a path argument given as "" (an unset shell variable, most often)."""
    from .errors import OptionError
    for name, flag in PATHS.items():
        value = getattr(a, name, None)
        if value is not None and not value.strip():
            flag = "OUT" if name == "out" and a.command == "export" else flag
            raise OptionError(f"{flag} is empty (an unset variable?); give a path")


def train(a):
    from . import data, presets
    from .errors import OptionError
    from .distributed import setup_distributed
    from .train import Trainer

    a.device = setup_distributed() or a.device  # under torchrun: one process per GPU or CPU slot
    config.check_device(a.device)
    overrides = {k: getattr(a, k) for k in config.FIELDS if k not in ("data", "scale") and getattr(a, k) is not None}
    if "split" in overrides:
        overrides["split"] = tuple(overrides["split"])
    if a.data is not None:
        a.data = data.resolve(a.data)  # a file by its absolute path: the checkpoint works from anywhere
    if a.resume:
        if a.scale is not None:
            raise OptionError("--preset does not apply with --resume: the checkpoint holds the settings")
        if a.data is not None:
            overrides["data"] = a.data
        trainer = Trainer.resume(a.resume, out_dir=a.out, device=a.device, **overrides)
    else:
        if a.data is None or a.out is None:
            raise OptionError("train needs --data and --out (or --resume CHECKPOINT)")
        name = a.data if a.data in presets.PRESETS else "tinyshakespeare"  # a file gets generic sizes
        cfg = presets.get(name, a.scale or "auto", data=a.data, **overrides)
        trainer = Trainer(cfg, out_dir=a.out, device=a.device)
    trainer.resume_hint = lambda path: f"continue with: python -m rnnkit train --resume {shlex.quote(str(path))}"
    trainer.ignore_late_signals = True  # a signal after the interrupted save: the exit status stays the first's
    c, talk = trainer.cfg, trainer.rank == 0
    if talk and trainer.run.removed_stale:
        print(f"removed {len(trainer.run.removed_stale)} temporary file(s) left by a killed save in {trainer.out_dir}")
    talk and print(f"{c.data}: {sum(map(len, trainer.splits.values())):,} characters, vocabulary {len(trainer.vocab)}; "
                   f"{c.cell} {c.n_layers}x{c.hidden}, {trainer.model.n_params():,} parameters, {c.scale} preset, "
                   f"device {trainer.device}, {trainer.precision}" + (" (auto)" if c.precision == "auto" else "")
                   + (f"; resuming at step {trainer.step} from {trainer.resumed_from}"
                                                 if a.resume else ""))
    if trainer.world > 1:
        talk and print(f"data parallel: {trainer.world} processes, {trainer.batches.batch_size} rows of "
                       f"{c.batch_size} each")
    trainer.fit(progress=talk and not a.quiet)
    if trainer.interrupted:
        return 128 + getattr(signal, trainer.interrupted)  # 130 for Ctrl-C, 143 for SIGTERM
    if talk and trainer.best_path is None and trainer.run.folder:
        print(f"step {trainer.step}: no model better than a uniform guess was kept; the latest is {trainer.latest_path}")
    elif talk:
        print(f"step {trainer.step}: best val {trainer.best_val:.4f} nats/char in {trainer.elapsed:.0f} s; "
              f"best checkpoint {trainer.best_path}")
    return 0


def sample_cmd(a):
    from .checkpoint import load_model
    from .sample import check_options, sample, stream

    config.check_device(a.device)
    # before the model is loaded; one sample is streamed, so its length costs no memory
    check_options(a.temperature, a.length, a.top_k, a.top_p, a.num_samples, a.seed, keep=a.num_samples > 1)
    prime = a.prime
    if a.prime_file:
        from .data import read_text
        prime = read_text(Path(a.prime_file))
    model, vocab, _ = load_model(a.checkpoint, device=a.device)
    options = dict(length=a.length, prime=prime, temperature=a.temperature, top_k=a.top_k, top_p=a.top_p,
                   argmax=a.argmax, seed=a.seed)
    if a.num_samples == 1:  # printed as it comes: a long sample shows up at once and is never held
        for piece in stream(model, vocab, **options):
            sys.stdout.write(piece)
            sys.stdout.flush()
        print()
        return 0
    for text in sample(model, vocab, n=a.num_samples, **options):
        print(text)
    return 0


def export_cmd(a):
    from .errors import RnnkitError

    try:
        from . import export
    except ModuleNotFoundError as e:
        if e.name != "rnnkit.export":
            raise
        raise RnnkitError("this rnnkit has no export module") from None
    try:
        path = export.export(a.checkpoint, a.out, quant=a.quant)
    except getattr(export, "ExportError", RnnkitError) as e:  # its own type, whatever its base
        raise RnnkitError(str(e)) from None
    print(f"wrote {path}")
    return 0


def datasets_cmd(a):
    from .data import datasets

    rows = datasets()
    w = max(len(r["name"]) for r in rows)
    for r in rows:
        mark = "cached" if r["cached"] else "-"
        print(f"{r['name']:<{w}}  {r['size'] / 1e6:7.2f} MB  {mark:<6}  {r['licence']}")
    return 0


COMMANDS = {"train": train, "sample": sample_cmd, "export": export_cmd, "datasets": datasets_cmd}


def _terminate(signum, frame):
    raise KeyboardInterrupt("SIGTERM")


def _one_line_warnings(show):
    """warnings.showwarning that prints rnnkit's own warnings as one line (others as `show` does)."""
    from .errors import RnnkitWarning

    def one_line(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, RnnkitWarning):
            print(f"rnnkit: warning: {message}", file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)
    return one_line


def main(argv=None):
    """Run one command; returns the exit status (errors are one line on stderr)."""
    from .errors import RnnkitError

    main_thread = threading.current_thread() is threading.main_thread()
    previous = {signal.SIGINT: signal.getsignal(signal.SIGINT),
                signal.SIGTERM: signal.signal(signal.SIGTERM, _terminate)} if main_thread else {}  # start-up too
    shown = warnings.showwarning
    warnings.showwarning = _one_line_warnings(shown)
    status = 1
    try:
        a = build_parser().parse_args(argv)
        check_paths(a)
        status = COMMANDS[a.command](a)
        return status
    except RnnkitError as e:
        print(f"rnnkit: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a path the library did not foresee: still one line, never a traceback
        if isinstance(e, BrokenPipeError):
            return _reader_left()
        from .files import reason
        print(f"rnnkit: error: {e.filename + ': ' if e.filename else ''}{reason(e)}", file=sys.stderr)
        return 2
    except MemoryError:
        print("rnnkit: error: out of memory; ask for less (a smaller model, batch, length or -n)", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        term = e.args == ("SIGTERM",)
        print(f"rnnkit: {'terminated (SIGTERM)' if term else 'interrupted'}", file=sys.stderr)
        return 143 if term else 130
    finally:
        warnings.showwarning = shown
        # The process ends after a signal stopped a run (train ignores later ones): keep it so.
        # Called from Python (argv given), the caller's handlers come back.
        ending = argv is None and status in (130, 143)
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_IGN if ending else handler)


def _reader_left():
    """`... | head`: the reader left; say nothing more."""
    import os
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
