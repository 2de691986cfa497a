"""Training: truncated BPTT over char-rnn batches, in nanoGPT's order (setup, learning rate,
one step, evaluation, the loop, resuming).

    trainer = Trainer(presets.get("tinyshakespeare", "cpu"), out_dir="out/shakespeare")
    trainer.fit()                      # progress bar, evaluation, checkpoints, Ctrl-C safe
    trainer = Trainer.resume(trainer.latest_path)          # continues exactly

Losses are cross-entropies in nats per character, averaged over every character of a batch.

What a run may rely on:
  - Ctrl-C or SIGTERM (schedulers, `timeout`, container stops) saves interrupted_stepN.pt and
    stops; the trainer's `interrupted` names the signal.
  - A loss that is inf or nan stops training with TrainingDiverged; nothing from that step is
    saved and the checkpoints saved before stay.
  - Which checkpoints are kept and deleted, and what one holds: rnnkit.runfolder.
  - Resuming may change the schedule (config.RESUMABLE); options that shape the model, the
    optimizer or the batches must stay as the checkpoint has them.
"""
import math
import re
import signal
import sys
import threading
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from . import checkpoint, distributed, runfolder
from .config import Config, check_device, default_device
from .errors import OptionError, TrainingDiverged
from .loop import update
from .model import CharRNN
from .text import Batches, Vocab, split


class Trainer:
    """One char-rnn run: `model` (`ddp_model` is what a step calls: DDP around it under
    torchrun), `opt`, `batches`, `step` (updates done), `hidden` (the state carried from one
    chunk to the next), `history`, `best_val`, and `run`, its folder (best_path, latest_path)."""

    # -- setup ------------------------------------------------------------------------------
    def __init__(self, config: Config, out_dir=None, device=None, text=None):
        config.check()  # again: a Config's fields can be set after it was made
        check_device(device)
        self.cfg, self.device = config, device or default_device()
        self.out_dir = Path(out_dir) if out_dir else None
        self.vocab, self.splits = read_splits(config, text)
        self.rank, self.world = distributed.rank_and_world()
        rows = distributed.batch_rows(config.batch_size, self.rank, self.world)
        self.batches = Batches(self.splits["train"], config.batch_size, config.seq_len, "train", rows=rows)
        torch.manual_seed(config.seed)
        self.model = build_model(config, len(self.vocab), self.device)
        self.ddp_model = distributed.wrap(self.model, self.world)  # what a step calls
        self.opt = make_optimizer(config, self.model)
        self.step = 0  # updates done
        self.hidden = None  # the recurrent state carried across chunks (truncated BPTT)
        self.history = {"train": [], "val": []}  # lists of (step, loss)
        self.best_val, self.elapsed = math.inf, 0.0
        self.interrupted = None  # "SIGINT" or "SIGTERM" once a signal stopped fit()
        self.resume_hint = lambda path: f"resume with Trainer.resume({str(path)!r})"
        self.run = runfolder.RunFolder(self.out_dir if self.rank == 0 else None)  # one process writes

    best_path = property(lambda self: self.run.best, doc="the best checkpoint so far (None: none)")
    latest_path = property(lambda self: self.run.latest, doc="the checkpoint this run saved last")

    # -- the learning rate ------------------------------------------------------------------
    def lr_at(self, step):
        c = self.cfg
        decays = step // c.lr_decay_every if c.lr_decay_every else 0
        return max(c.min_lr, c.lr * c.lr_decay ** decays)

    # -- one update -------------------------------------------------------------------------
    def train_step(self):
        x, y, reset = self.batches.next()
        x, y = x.to(self.device), y.to(self.device)
        if reset or self.hidden is None:
            self.hidden = self.model.init_state(x.shape[0], self.device)
        for g in self.opt.param_groups:
            g["lr"] = self.lr_at(self.step)
        self.model.train()
        logits, hidden = self.ddp_model(x, self.hidden)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        try:  # the weights stay the last finite ones if the loss is not
            value = update(self.opt, loss, self.cfg.grad_clip).loss
        except TrainingDiverged as e:
            raise self._diverged(str(e), self.step + 1) from None
        self.hidden = CharRNN.detach_state(hidden)  # truncated BPTT: keep the value, drop the graph
        self.step += 1
        return value

    def _diverged(self, what, step):
        """The TrainingDiverged a run raises: where, what to try, and what is kept."""
        kept = f"the best checkpoint so far is kept: {self.best_path}" if self.best_path else "no checkpoint was saved"
        return TrainingDiverged(f"training diverged at step {step}: {what}; lower the learning rate "
                                f"(now {self.lr_at(step - 1):g}) or the gradient clip; {kept}",
                                step=step, last_good=self.best_path)

    # -- evaluation -------------------------------------------------------------------------
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

    def evaluate_and_save(self):
        """Evaluate on val, record it, and save a checkpoint (the run folder keeps the best and
        the latest). A non-finite val loss stops the run before anything is saved."""
        val = self.evaluate("val")
        if not math.isfinite(val):
            raise self._diverged(f"the val loss is {val}", self.step)
        self.history["val"].append((self.step, val))
        improved = val < self.best_val
        self.best_val = min(self.best_val, val)
        self.run.save_evaluated(self.cfg, self.step, val, improved, self.state)

    # -- the loop ---------------------------------------------------------------------------
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
                    self.evaluate_and_save()
                if callback and self.step % every == 0:
                    callback(self)
        except KeyboardInterrupt:
            self.interrupted = self.interrupted or "SIGINT"
            self.elapsed = time.perf_counter() - t0
            if bar:
                bar.close()
            self._save_interrupted()
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

    def _save_interrupted(self):
        if not self.run.folder:
            return
        if not all(torch.isfinite(p).all() for p in self.model.parameters()):
            raise self._diverged("the weights are not finite", self.step) from None
        path = self.run.save_interrupted(self.step, self.state())
        print(f"interrupted ({self.interrupted}) at step {self.step}; saved {path}; "
              f"{self.resume_hint(path)}", file=sys.stderr)

    # -- checkpoints and resuming -----------------------------------------------------------
    def state(self):
        """The checkpoint dict of this run: everything to sample from it or continue exactly."""
        return runfolder.trainer_state(self)

    def save(self, path):
        return checkpoint.save(path, self.state())

    @classmethod
    def resume(cls, path, out_dir=None, device=None, text=None, **overrides):
        """A Trainer that continues a checkpoint exactly where it stopped. Overrides may change
        the options in config.RESUMABLE (data too: its vocabulary must be the checkpoint's);
        out_dir defaults to the checkpoint's folder."""
        ckpt = checkpoint.load(path)
        cfg = runfolder.stored_config(ckpt, path).resumed(**overrides)
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
        runfolder.restore(self, ckpt, path)
        return self


# -- setup's parts ----------------------------------------------------------------------------
def read_splits(cfg, text=None):
    """(vocabulary, {"train", "val", "test": ids}) of `text` (None: the config's corpus)."""
    if text is None:
        from . import data
        text = data.load(cfg.data, encoding=cfg.encoding)
    vocab = Vocab.from_text(text, cfg.encoding)
    ids = vocab.encode_symbols(text)
    return vocab, dict(zip(("train", "val", "test"), split(ids, cfg.split)))


def build_model(cfg, vocab_size, device):
    """The config's CharRNN on `device`; a model too big for memory is an OptionError that
    says how big one of its matrices is."""
    try:
        return CharRNN(vocab_size, cfg.cell, cfg.n_layers, cfg.hidden, cfg.dropout, cfg.embed).to(device)
    except (MemoryError, RuntimeError) as e:  # torch's allocators raise RuntimeError subclasses
        if not isinstance(e, (MemoryError, torch.OutOfMemoryError)) and "allocate" not in str(e):
            raise
        asked = re.search(r"allocate (\d+) bytes", str(e))
        need = f"one of its weight matrices takes {int(asked[1]) / 1e9:,.1f} GB" if asked else str(e)[-100:]
        raise OptionError(f"a {cfg.cell} {cfg.n_layers}x{cfg.hidden} model does not fit in memory "
                          f"on {device}: {need}") from None


def make_optimizer(cfg, model):
    if cfg.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=cfg.lr)
    return torch.optim.RMSprop(model.parameters(), lr=cfg.lr, alpha=0.95)  # char-rnn's decay_rate 0.95
