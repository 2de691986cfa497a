"""Training: truncated BPTT over char-rnn batches, in nanoGPT's order (setup, learning rate,
one step, evaluation, the loop, resuming).

    trainer = Trainer(presets.get("tinyshakespeare", "cpu"), out_dir="out/shakespeare")
    trainer.fit()                      # progress bar, evaluation, checkpoints, Ctrl-C safe
    trainer = Trainer.resume(trainer.latest_path)          # continues exactly

Losses are cross-entropies in nats per character, averaged over every character of a batch.

What a run may rely on:
  - Everything that can be checked is checked when the Trainer is made, before any training:
    the settings, the device, the output folder (made, and a file written and removed in it),
    the val split (at least one BPTT chunk), the memory training needs and the disk room one
    checkpoint needs (rnnkit.memory).
  - Ctrl-C or SIGTERM (schedulers, `timeout`, container stops) saves
    interrupted_<model>_stepN.pt and stops; the trainer's `interrupted` names the signal. A
    second signal of either kind while that save runs is ignored: it cannot cut the save short.
  - A loss that is inf or nan stops training with TrainingDiverged; nothing from that step is
    saved and the checkpoints saved before stay. A val loss worse than a uniform guess
    (ln of the vocabulary size) is warned about and never kept as the best.
  - Which checkpoints are kept and deleted, and what one holds: rnnkit.runfolder.
  - Resuming may change the schedule (config.RESUMABLE); options that shape the model, the
    optimizer or the batches must stay as the checkpoint has them.
"""
import math
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F

from . import checkpoint, distributed, memory, precision, runfolder
from .config import Config, check_device, default_device
from .errors import OptionError, RnnkitWarning, TrainingDiverged
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
        self.rank, self.world = distributed.rank_and_world()
        # The folder first: a folder that cannot be written is an error before the corpus is read.
        self.run = runfolder.RunFolder(out_dir if self.rank == 0 else None)  # one process writes
        self.out_dir = Path(out_dir) if out_dir is not None else None
        try:
            self._setup(config, text)
        except BaseException:
            self.run.discard()  # a run that never started leaves no empty folder behind
            raise

    def _setup(self, config, text):
        self.vocab, self.splits = read_splits(config, text)
        rows = distributed.batch_rows(config.batch_size, self.rank, self.world)
        self.batches = Batches(self.splits["train"], config.batch_size, config.seq_len, "train", rows=rows)
        Batches(self.splits["val"], config.batch_size, config.seq_len, "val")  # one chunk at least, now
        what = (f"training a {config.cell} {config.n_layers}x{config.hidden} model on batches of "
                f"{config.batch_size} x {config.seq_len}")
        memory.check(memory.training_bytes(config, len(self.vocab)), self.device, what)
        self.run.check_space(memory.checkpoint_bytes(config, len(self.vocab)))
        torch.manual_seed(config.seed)
        self.model = build_model(config, len(self.vocab), self.device)
        self.ddp_model = distributed.wrap(self.model, self.world)  # what a step calls
        # "fp32" or "bf16": what this run's training steps compute in ("auto" resolved by a probe)
        self.precision = precision.resolve(config.precision, self.device, dict(
            cell=config.cell, n_layers=config.n_layers, hidden=config.hidden, batch=config.batch_size // self.world, seq=config.seq_len))
        self.opt = make_optimizer(config, self.model)
        self.step = 0  # updates done
        self.hidden = None  # the recurrent state carried across chunks (truncated BPTT)
        self.history = {"train": [], "val": []}  # lists of (step, loss)
        self.best_val, self.elapsed = math.inf, 0.0
        self.interrupted = None  # "SIGINT" or "SIGTERM" once a signal stopped fit()
        self.resume_hint = lambda path: f"resume with Trainer.resume({str(path)!r})"
        self.resumed_from = None  # the checkpoint Trainer.resume read
        # True (the command line): once a signal stopped fit() and it saved, later signals stay
        # ignored, since the process is about to exit with the first one's status
        self.ignore_late_signals = False

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
        try:  # the weights stay the last finite ones if the loss is not
            with precision.autocast(self.device, self.precision):  # forward and loss; backward outside
                logits, hidden = self.ddp_model(x, self.hidden)
                loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            value = update(self.opt, loss, self.cfg.grad_clip).loss
        except TrainingDiverged as e:
            raise self._diverged(str(e), self.step + 1) from None
        except (MemoryError, RuntimeError) as e:  # a net under memory.check's estimate
            if not memory.is_out_of_memory(e):
                raise
            raise OptionError(f"out of memory at step {self.step + 1} on {self.device} (a {self.cfg.cell} "
                              f"{self.cfg.n_layers}x{self.cfg.hidden} model, batches of {self.cfg.batch_size} x "
                              f"{self.cfg.seq_len}): make the model or the batches smaller") from None
        # truncated BPTT: keep the value (in fp32, whatever the step ran in), drop the graph
        self.hidden = CharRNN.detach_state(precision.to_fp32(hidden))
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
        uniform = math.log(len(self.vocab))
        ranked = val <= WORSE_THAN_UNIFORM * uniform
        if not ranked:
            warnings.warn(f"step {self.step}: the val loss {val:.4g} is worse than a uniform guess "
                          f"({uniform:.4f} nats/char): this model is not kept as the best; lower the learning "
                          f"rate (now {self.lr_at(self.step - 1):g}) or clip the gradients", RnnkitWarning, stacklevel=2)
        improved = ranked and val < self.best_val
        if improved:
            self.best_val = val
        self.run.save_evaluated(self.cfg, self.step, val, improved, self.state, ranked=ranked)

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
        previous = self._catch_signals()
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
            late = self.interrupted and self.ignore_late_signals
            for signum, handler in previous.items():
                signal.signal(signum, signal.SIG_IGN if late else handler)
        self.elapsed = time.perf_counter() - t0
        return self.history

    def _catch_signals(self):
        """Ctrl-C and SIGTERM stop fit() (main thread only): the first one raises
        KeyboardInterrupt and names itself in `interrupted`; any signal after it, of either
        kind, is ignored while the run stops and saves, so it cannot cut the save short.
        Returns the old handlers."""
        if threading.current_thread() is not threading.main_thread():
            return {}

        def stop(signum, frame):
            if self.interrupted:  # already stopping: the save must finish
                return
            self.interrupted = signal.Signals(signum).name
            raise KeyboardInterrupt

        return {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def _save_interrupted(self):
        if not self.run.folder:
            return
        if not all(torch.isfinite(p).all() for p in self.model.parameters()):
            raise self._diverged("the weights are not finite", self.step) from None
        path = self.run.save_interrupted(self.cfg, self.step, self.state())
        print(f"interrupted ({self.interrupted}) at step {self.step}; saved {path}; "
              f"{self.resume_hint(path)}", file=sys.stderr)

    # -- checkpoints and resuming -----------------------------------------------------------
    def state(self):
        """The checkpoint dict of this run: everything to sample from it or continue exactly."""
        return {**runfolder.trainer_state(self), "precision": self.precision}  # the resolved one

    def save(self, path):
        return checkpoint.save(path, self.state())

    @classmethod
    def resume(cls, path, out_dir=None, device=None, text=None, **overrides):
        """A Trainer that continues a checkpoint exactly where it stopped (a training folder:
        its furthest checkpoint, checkpoint.latest_in). Overrides may change the options in
        config.RESUMABLE (data too: its vocabulary must be the checkpoint's); out_dir
        defaults to the checkpoint's folder."""
        if not str(path).strip():
            raise OptionError("the checkpoint to resume is an empty name (an unset variable?)")
        path = Path(path)
        if path.is_dir():
            path = checkpoint.latest_in(path)
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
        self = cls(cfg, out_dir=path.parent if out_dir is None else out_dir, device=device, text=text)
        runfolder.restore(self, ckpt, path)
        self.resumed_from = path
        return self


# A val loss above this many times ln(vocabulary), a uniform guess's loss, is worse than guessing:
# never the best. Not 1: a freshly made model scores up to ~3% above ln(V) (measured, hidden 8 to 1024).
WORSE_THAN_UNIFORM = 1.1


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
        if not memory.is_out_of_memory(e):
            raise
        need = memory.n_params(vocab_size, cfg.cell, cfg.n_layers, cfg.hidden, cfg.embed) * memory.FLOAT
        raise OptionError(f"a {cfg.cell} {cfg.n_layers}x{cfg.hidden} model does not fit in memory "
                          f"on {device}: its weights take {need / 1e9:,.1f} GB") from None


def make_optimizer(cfg, model):
    if cfg.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=cfg.lr)
    return torch.optim.RMSprop(model.parameters(), lr=cfg.lr, alpha=0.95)  # char-rnn's decay_rate 0.95
