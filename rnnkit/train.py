"""Training: truncated BPTT over char-rnn batches, with the bookkeeping a long run needs.

    trainer = Trainer(presets.get("tinyshakespeare", "cpu"), out_dir="out/shakespeare")
    trainer.fit()                      # progress bar, evaluation, checkpoints, Ctrl-C safe
    trainer = Trainer.resume(trainer.latest_path)          # continues exactly

Losses are cross-entropies in nats per character, averaged over every character of a batch.

What a run may rely on:
  - Ctrl-C or SIGTERM (schedulers, `timeout`, container stops) saves interrupted_stepN.pt and
    stops; the trainer's `interrupted` names the signal.
  - A loss that is inf or nan stops training with TrainingDiverged; nothing from that step is
    saved and the checkpoints saved before stay.
  - The trainer deletes only checkpoints it wrote itself in this run (its superseded best and
    latest), never the file it resumed from or anything else in the folder.
  - Resuming may change the schedule (RESUMABLE); options that shape the model, the optimizer
    or the batches must stay as the checkpoint has them.
"""
import dataclasses
import math
import re
import signal
import sys
import threading
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from . import checkpoint
from .errors import OptionError, TrainingDiverged
from .model import CharRNN
from .presets import Config
from .text import Batches, Vocab, split

# Options a resumed run may change; the others fix the model's shape, the optimizer's state,
# the batches' layout or the vocabulary.
RESUMABLE = ("data", "lr", "lr_decay", "lr_decay_every", "min_lr", "grad_clip", "dropout", "max_steps",
             "eval_every", "eval_batches")


def default_device():
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device):
    """OptionError unless torch can use `device` here (None: the default device)."""
    if device is None:
        return
    try:
        d = torch.device(device)
    except (RuntimeError, TypeError):
        raise OptionError(f"unknown device {device!r}; use cpu or cuda") from None
    if d.type == "cuda" and not torch.cuda.is_available():
        raise OptionError(f"device {device!r} is not available here (no CUDA GPU, or a CPU-only torch); use cpu")


def setup_distributed():
    """Under torchrun (WORLD_SIZE > 1) join the process group: nccl on GPUs, gloo on CPUs.
    Returns the device this process should use, or None when not distributed."""
    import os
    import torch.distributed as dist

    if int(os.environ.get("WORLD_SIZE", "1")) < 2 or dist.is_initialized():
        return None
    if torch.cuda.is_available():
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        dist.init_process_group("nccl")
        return f"cuda:{local}"
    dist.init_process_group("gloo")
    return "cpu"


def check_config(c: Config):
    """OptionError for a setting no run can use (the CLI's flags and the Python API alike)."""
    for name in ("n_layers", "hidden", "batch_size", "seq_len", "eval_every"):
        if not isinstance(getattr(c, name), int) or getattr(c, name) < 1:
            raise OptionError(f"{name} must be a whole number of at least 1, got {getattr(c, name)!r}")
    if not isinstance(c.max_steps, int) or c.max_steps < 1:
        raise OptionError(f"max_steps must be at least 1, got {c.max_steps!r}: nothing would be trained")
    for name in ("embed", "eval_batches", "lr_decay_every"):
        if not isinstance(getattr(c, name), int) or getattr(c, name) < 0:
            raise OptionError(f"{name} must be a whole number of at least 0, got {getattr(c, name)!r}")
    for name, low, strict in (("lr", 0, True), ("lr_decay", 0, True), ("min_lr", 0, False), ("grad_clip", 0, False)):
        v = getattr(c, name)
        if not (isinstance(v, (int, float)) and math.isfinite(v) and (v > low if strict else v >= low)):
            raise OptionError(f"{name} must be a finite number {'>' if strict else '>='} {low}, got {v!r}")
    if c.lr > 1e37:  # Adam's first step divides lr by 0.1 in float32 (max 3.4e38)
        raise OptionError(f"lr must be at most 1e37, got {c.lr!r}")
    if not (isinstance(c.dropout, (int, float)) and 0 <= c.dropout < 1):
        raise OptionError(f"dropout must be in [0, 1), got {c.dropout!r}")
    if c.cell not in ("rnn", "gru", "lstm"):
        raise OptionError(f"unknown cell {c.cell!r}; choose rnn, gru or lstm")
    if c.optimizer not in ("adam", "rmsprop"):
        raise OptionError(f"unknown optimizer {c.optimizer!r}; choose adam or rmsprop")


def _rank_and_world():
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class Trainer:
    def __init__(self, config: Config, out_dir=None, device=None, text=None):
        check_config(config)
        check_device(device)
        self.cfg, self.device = config, device or default_device()
        self.out_dir = Path(out_dir) if out_dir else None
        if text is None:
            from . import data
            text = data.load(config.data, encoding=config.encoding)
        self.vocab = Vocab.from_text(text, config.encoding)
        ids = self.vocab.encode_symbols(text)
        self.splits = dict(zip(("train", "val", "test"), split(ids, config.split)))
        # Data parallel (torchrun): each process trains on its own slice of the batch rows and
        # DDP averages the gradients, which equals one process with the whole batch.
        self.rank, self.world = _rank_and_world()
        if config.batch_size % self.world:
            raise OptionError(f"batch_size {config.batch_size} does not split over {self.world} processes")
        per = config.batch_size // self.world
        rows = slice(self.rank * per, (self.rank + 1) * per) if self.world > 1 else None
        self.batches = Batches(self.splits["train"], config.batch_size, config.seq_len, "train", rows=rows)

        torch.manual_seed(config.seed)
        try:
            self.model = CharRNN(len(self.vocab), config.cell, config.n_layers, config.hidden,
                                 config.dropout, config.embed).to(self.device)
        except (MemoryError, RuntimeError) as e:  # torch's allocators raise RuntimeError subclasses
            if not isinstance(e, (MemoryError, torch.OutOfMemoryError)) and "allocate" not in str(e):
                raise
            asked = re.search(r"allocate (\d+) bytes", str(e))
            need = f"one of its weight matrices takes {int(asked[1]) / 1e9:,.1f} GB" if asked else str(e)[-100:]
            raise OptionError(f"a {config.cell} {config.n_layers}x{config.hidden} model does not fit in memory "
                              f"on {self.device}: {need}") from None
        self.net = self.model
        if self.world > 1:
            from torch.nn.parallel import DistributedDataParallel
            self.net = DistributedDataParallel(self.model)
        if config.optimizer == "adam":
            self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        else:  # char-rnn's optimizer; alpha is its decay_rate 0.95
            self.opt = torch.optim.RMSprop(self.model.parameters(), lr=config.lr, alpha=0.95)
        self.step = 0
        self.state = None  # hidden state carried across chunks
        self.history = {"train": [], "val": []}  # lists of (step, loss)
        self.best_val, self.best_path, self.latest_path = math.inf, None, None
        self.elapsed = 0.0
        self.interrupted = None  # "SIGINT" or "SIGTERM" once a signal stopped fit()
        self.written = set()  # checkpoints this run wrote: the only files it may delete
        self.resume_hint = lambda path: f"resume with Trainer.resume({str(path)!r})"
        if self.out_dir and self.rank == 0:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise checkpoint.CheckpointError(f"cannot create {self.out_dir}: {e.strerror}") from None
            self.removed_stale = checkpoint.clean_stale(self.out_dir)  # temp files of killed saves

    # -- one update ------------------------------------------------------------------------
    def lr_at(self, step):
        c = self.cfg
        decays = step // c.lr_decay_every if c.lr_decay_every else 0
        return max(c.min_lr, c.lr * c.lr_decay ** decays)

    def train_step(self):
        x, y, reset = self.batches.next()
        x, y = x.to(self.device), y.to(self.device)
        if reset or self.state is None:
            self.state = self.model.init_state(x.shape[0], self.device)
        for g in self.opt.param_groups:
            g["lr"] = self.lr_at(self.step)
        self.model.train()
        logits, state = self.net(x, self.state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        value = loss.item()
        if not math.isfinite(value):  # stop before the step: the weights stay the last finite ones
            raise self._diverged(f"the training loss is {value}", self.step + 1)
        if self.cfg.grad_clip:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
        self.opt.step()
        self.state = CharRNN.detach_state(state)  # truncated BPTT: keep the value, drop the graph
        self.step += 1
        return value

    def _diverged(self, what, step):
        kept = f"the best checkpoint so far is kept: {self.best_path}" if self.best_path else "no checkpoint was saved"
        return TrainingDiverged(f"training diverged at step {step}: {what}; lower the learning rate "
                                f"(now {self.lr_at(step - 1):g}) or the gradient clip; {kept}",
                                step=step, last_good=self.best_path)

    @torch.no_grad()
    def evaluate(self, which="val", max_batches=None):
        """Mean loss per character over a split, state carried through it from zeros."""
        max_batches = self.cfg.eval_batches if max_batches is None else max_batches
        batches = Batches(self.splits[which], self.cfg.batch_size, self.cfg.seq_len, which)
        self.model.eval()
        total, count, state = 0.0, 0, None
        for k, (x, y, reset) in enumerate(batches):
            if max_batches and k >= max_batches:
                break
            x, y = x.to(self.device), y.to(self.device)
            logits, state = self.model(x, state)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
            count += y.numel()
        self.model.train()
        return total / count

    # -- the loop ------------------------------------------------------------------------------
    def fit(self, max_steps=None, callback=None, every=100, progress=True):
        """Train up to max_steps (default: the config's). callback(trainer) runs every `every`
        steps. Ctrl-C or SIGTERM stops cleanly: a checkpoint is saved and `interrupted` is set.
        A non-finite loss raises TrainingDiverged."""
        max_steps = max_steps or self.cfg.max_steps
        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=max_steps, initial=self.step, desc="training", unit="step")
        t0 = time.perf_counter() - self.elapsed
        self.interrupted = None
        previous = self._catch_sigterm()
        try:
            while self.step < max_steps:
                loss = self.train_step()
                self.history["train"].append((self.step, loss))
                if bar:
                    bar.update(1)
                    bar.set_postfix(loss=f"{loss:.3f}")
                if self.step % self.cfg.eval_every == 0 or self.step == max_steps:
                    self.elapsed = time.perf_counter() - t0
                    self._evaluate_and_save()
                if callback and self.step % every == 0:
                    callback(self)
        except KeyboardInterrupt:
            self.interrupted = self.interrupted or "SIGINT"
            self.elapsed = time.perf_counter() - t0
            if bar:
                bar.close()
            if self.out_dir and self.rank == 0:
                if not all(torch.isfinite(p).all() for p in self.model.parameters()):
                    raise self._diverged("the weights are not finite", self.step) from None
                path = self.save(self.out_dir / f"interrupted_step{self.step:06d}.pt")
                print(f"interrupted ({self.interrupted}) at step {self.step}; saved {path}; "
                      f"{self.resume_hint(path)}", file=sys.stderr)
        finally:
            if bar:
                bar.close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        self.elapsed = time.perf_counter() - t0
        return self.history

    def _catch_sigterm(self):
        """Make SIGTERM stop fit() as Ctrl-C does (main thread only); returns the old handler."""
        if threading.current_thread() is not threading.main_thread():
            return None

        def stop(signum, frame):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the save short
            self.interrupted = "SIGTERM"
            raise KeyboardInterrupt

        return signal.signal(signal.SIGTERM, stop)

    def _evaluate_and_save(self):
        val = self.evaluate("val")
        if not math.isfinite(val):
            raise self._diverged(f"the val loss is {val}", self.step)
        self.history["val"].append((self.step, val))
        improved = val < self.best_val
        self.best_val = min(self.best_val, val)
        if not self.out_dir or self.rank != 0:  # one process writes the checkpoints
            return
        c = self.cfg
        path = self.out_dir / f"{c.cell}{c.n_layers}x{c.hidden}_step{self.step:06d}_val{val:.4f}.pt"
        previous = self.latest_path, self.best_path
        before = set(previous)
        if improved:
            self.best_path = path
        self.latest_path = path
        try:
            self.save(path)  # records itself as the best when it is
        except BaseException:  # a full disk, Ctrl-C: the paths must still name files that exist
            self.latest_path, self.best_path = previous
            raise
        self.written.add(path)
        for old in before - {None, self.best_path, self.latest_path}:  # keep the best and the latest
            if old in self.written:  # never a file of an earlier run or of anyone else
                old.unlink(missing_ok=True)
                self.written.discard(old)

    # -- checkpoints ------------------------------------------------------------------------
    def checkpoint(self):
        cpu = lambda t: t.detach().cpu()
        state = None if self.state is None else [
            [cpu(t) for t in s] if isinstance(s, tuple) else [cpu(s)] for s in self.state]
        rng = {"torch": torch.get_rng_state()}
        if torch.cuda.is_available():
            rng["cuda"] = torch.cuda.get_rng_state_all()
        return {
            "model_args": self.model.args,
            "model": {k: cpu(v) for k, v in self.model.state_dict().items()},
            "optimizer": self.opt.state_dict(),
            "config": dataclasses.asdict(self.cfg),
            "vocab": self.vocab.state_dict(),
            "step": self.step,
            "data_pos": self.batches.pos,
            "rnn_state": state,
            "rng": rng,
            "history": self.history,
            "best_val": self.best_val,
            "elapsed": self.elapsed,
            "best_path": str(self.best_path) if self.best_path else "",
        }

    def save(self, path):
        return checkpoint.save(path, self.checkpoint())

    @classmethod
    def resume(cls, path, out_dir=None, device=None, text=None, **overrides):
        """A Trainer that continues a checkpoint exactly where it stopped. Overrides may change
        the options in RESUMABLE (data too: its vocabulary must be the checkpoint's); out_dir
        defaults to the checkpoint's folder."""
        ckpt = checkpoint.load(path)
        try:
            stored = Config(**{**ckpt["config"], "split": tuple(ckpt["config"]["split"])})
        except (KeyError, TypeError) as e:
            raise checkpoint.CheckpointError(f"{path} has a missing or unreadable config: {e}") from None
        unknown = set(overrides) - {f.name for f in dataclasses.fields(Config)}
        if unknown:
            raise OptionError(f"unknown option(s): {', '.join(sorted(unknown))}")
        fixed = [f"{k} (checkpoint {getattr(stored, k)!r}, asked {v!r})" for k, v in overrides.items()
                 if k not in RESUMABLE and v != getattr(stored, k)]
        if fixed:
            raise OptionError(f"cannot change {'; '.join(fixed)} when resuming: they fix the model, optimizer "
                              f"or batches; a resumed run may change only {', '.join(RESUMABLE)}")
        cfg = stored.replace(**overrides)
        if cfg.max_steps <= ckpt.get("step", 0):
            raise OptionError(f"nothing to train: {path} is at step {ckpt.get('step')} and max_steps is "
                              f"{cfg.max_steps}; give a larger max_steps")
        if text is None and "data" not in overrides:
            from . import data
            try:
                text = data.load(cfg.data, encoding=cfg.encoding)
            except data.DataError as e:
                raise data.DataError(f"{e} (the corpus {path} was trained on); give its text again "
                                     "(command line: --data PATH)") from None
        self = cls(cfg, out_dir=out_dir or Path(path).parent, device=device, text=text)
        if self.vocab.state_dict() != ckpt.get("vocab"):
            raise checkpoint.CheckpointError(
                f"{path}: the text's vocabulary differs from the checkpoint's ({len(self.vocab)} symbols, "
                f"checkpoint {len(ckpt.get('vocab', {}).get('chars', ''))}); "
                "resume on the text it was trained on (or one with exactly its characters)")
        try:
            self._restore(ckpt)
        except (KeyError, IndexError, RuntimeError, TypeError, ValueError) as e:
            raise checkpoint.CheckpointError(f"{path} is an rnnkit checkpoint with missing or mismatched parts: "
                                             f"{str(e).splitlines()[0]}") from None
        return self

    def _restore(self, ckpt):
        self.model.load_state_dict(ckpt["model"])
        self.opt.load_state_dict(ckpt["optimizer"])
        self.step, self.batches.pos = ckpt["step"], ckpt["data_pos"] % len(self.batches)
        self.history = {k: [tuple(p) for p in v] for k, v in ckpt["history"].items()}
        self.best_val, self.elapsed = ckpt["best_val"], ckpt["elapsed"]
        # For information only: this run never deletes it (it is not in self.written).
        self.best_path = Path(ckpt["best_path"]) if ckpt["best_path"] else None
        # The carried state holds the saving process's batch rows; under torchrun the other
        # processes' rows differ, so there every process restarts its state from zeros.
        rows = self.batches.batch_size
        if ckpt["rnn_state"] is not None and self.world == 1 and ckpt["rnn_state"][0][0].shape[0] == rows:
            to = lambda t: t.to(self.device)
            self.state = [tuple(map(to, s)) if len(s) == 2 else to(s[0]) for s in ckpt["rnn_state"]]
        torch.set_rng_state(ckpt["rng"]["torch"])
        if "cuda" in ckpt["rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(ckpt["rng"]["cuda"])
