"""Training: truncated BPTT over char-rnn batches, with the bookkeeping a long run needs.

    trainer = Trainer(presets.get("tinyshakespeare", "cpu"), out_dir="out/shakespeare")
    trainer.fit()                      # progress bar, evaluation, checkpoints, Ctrl-C safe
    trainer = Trainer.resume(trainer.latest_path)          # continues exactly

Losses are cross-entropies in nats per character, averaged over every character of a batch.
"""
import dataclasses
import math
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from . import checkpoint
from .model import CharRNN
from .presets import Config
from .text import Batches, Vocab, split


def default_device():
    return "cuda" if torch.cuda.is_available() else "cpu"


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


def _rank_and_world():
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class Trainer:
    def __init__(self, config: Config, out_dir=None, device=None, text=None):
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
            raise ValueError(f"batch_size {config.batch_size} does not split over {self.world} processes")
        per = config.batch_size // self.world
        rows = slice(self.rank * per, (self.rank + 1) * per) if self.world > 1 else None
        self.batches = Batches(self.splits["train"], config.batch_size, config.seq_len, "train", rows=rows)

        torch.manual_seed(config.seed)
        self.model = CharRNN(len(self.vocab), config.cell, config.n_layers, config.hidden,
                             config.dropout, config.embed).to(self.device)
        self.net = self.model
        if self.world > 1:
            from torch.nn.parallel import DistributedDataParallel
            self.net = DistributedDataParallel(self.model)
        if config.optimizer == "adam":
            self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        elif config.optimizer == "rmsprop":  # char-rnn's optimizer; alpha is its decay_rate 0.95
            self.opt = torch.optim.RMSprop(self.model.parameters(), lr=config.lr, alpha=0.95)
        else:
            raise ValueError(f"unknown optimizer {config.optimizer!r}; choose adam or rmsprop")
        self.step = 0
        self.state = None  # hidden state carried across chunks
        self.history = {"train": [], "val": []}  # lists of (step, loss)
        self.best_val, self.best_path, self.latest_path = math.inf, None, None
        self.elapsed = 0.0
        self.interrupted = False

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
        if self.cfg.grad_clip:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
        self.opt.step()
        self.state = CharRNN.detach_state(state)  # truncated BPTT: keep the value, drop the graph
        self.step += 1
        return loss.item()

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
        steps. Ctrl-C stops cleanly: a checkpoint is saved and `interrupted` is set."""
        max_steps = max_steps or self.cfg.max_steps
        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=max_steps, initial=self.step, desc="training", unit="step")
        t0 = time.perf_counter() - self.elapsed
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
            self.interrupted = True
            self.elapsed = time.perf_counter() - t0
            if self.out_dir and self.rank == 0:
                path = self.save(self.out_dir / f"interrupted_step{self.step:06d}.pt")
                print(f"\ninterrupted at step {self.step}; saved {path} (resume with Trainer.resume)")
        finally:
            if bar:
                bar.close()
        self.elapsed = time.perf_counter() - t0
        return self.history

    def _evaluate_and_save(self):
        val = self.evaluate("val")
        self.history["val"].append((self.step, val))
        improved = val < self.best_val
        self.best_val = min(self.best_val, val)
        if not self.out_dir or self.rank != 0:  # one process writes the checkpoints
            return
        c = self.cfg
        path = self.out_dir / f"{c.cell}{c.n_layers}x{c.hidden}_step{self.step:06d}_val{val:.4f}.pt"
        before = {self.latest_path, self.best_path}
        if improved:
            self.best_path = path
        self.latest_path = path
        self.save(path)
        for old in before - {None, self.best_path, self.latest_path}:  # keep the best and the latest
            old.unlink(missing_ok=True)

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
        """A Trainer that continues a checkpoint exactly where it stopped."""
        ckpt = checkpoint.load(path)
        cfg = Config(**{**ckpt["config"], "split": tuple(ckpt["config"]["split"])}).replace(**overrides)
        self = cls(cfg, out_dir=out_dir or Path(path).parent, device=device, text=text)
        if self.vocab.state_dict() != ckpt["vocab"]:
            raise checkpoint.CheckpointError(f"{path}: the text's vocabulary differs from the checkpoint's")
        self.model.load_state_dict(ckpt["model"])
        self.opt.load_state_dict(ckpt["optimizer"])
        self.step, self.batches.pos = ckpt["step"], ckpt["data_pos"]
        self.history = {k: [tuple(p) for p in v] for k, v in ckpt["history"].items()}
        self.best_val, self.elapsed = ckpt["best_val"], ckpt["elapsed"]
        self.best_path = Path(ckpt["best_path"]) if ckpt["best_path"] else None
        # The carried state holds the saving process's batch rows; under torchrun the other
        # processes' rows differ, so there every process restarts its state from zeros.
        if ckpt["rnn_state"] is not None and self.world == 1:
            to = lambda t: t.to(self.device)
            self.state = [tuple(map(to, s)) if len(s) == 2 else to(s[0]) for s in ckpt["rnn_state"]]
        torch.set_rng_state(ckpt["rng"]["torch"])
        if "cuda" in ckpt["rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(ckpt["rng"]["cuda"])
        return self
