"""A training run's folder: the checkpoints it writes, which of them it keeps, and what a
checkpoint of a Trainer holds (checkpoint.py is the file format; this is the run's use of it).

The rules a run keeps (README, "What changed for long runs"):
  - after each evaluation the run saves <cell><layers>x<hidden>_step<N>_val<loss>.pt (the loss
    in the name is how `sample DIR` picks the best); a signal saves interrupted_step<N>.pt;
  - it keeps its best and its latest, and deletes a superseded one only if this run wrote it:
    never the file it resumed from, an interrupted_ save, or anything else in the folder;
  - a save that fails (a full disk, Ctrl-C) deletes nothing, and best and latest still name
    files that exist;
  - a new run first removes the temporary files of killed saves (checkpoint.clean_stale);
  - under torchrun only rank 0 has a folder; the other processes write nothing.

    run = RunFolder("out/shakespeare")
    run.save_evaluated(trainer.cfg, step, val, improved, trainer.state)
    ckpt = trainer_state(trainer); restore(trainer, ckpt, path)   # a resume, exactly
"""
import dataclasses
from pathlib import Path

import torch

from . import checkpoint
from .checkpoint import CheckpointError
from .config import Config
from .errors import OptionError


def checkpoint_name(cfg, step, val):
    return f"{cfg.cell}{cfg.n_layers}x{cfg.hidden}_step{step:06d}_val{val:.4f}.pt"


def interrupted_name(step):
    return f"interrupted_step{step:06d}.pt"


class RunFolder:
    """The checkpoints of one run in `folder`; folder None: a run that saves nothing (no
    out_dir, or a torchrun process other than rank 0), whose `best` may still name the best
    file of the run it resumed (for the messages)."""

    def __init__(self, folder=None):
        self.folder = Path(folder) if folder else None
        self.best = self.latest = None  # paths; `best` may be an earlier run's file (never deleted)
        self.written = set()  # checkpoints this run wrote: the only files it may delete
        self.removed_stale = []  # temporary files of killed saves removed at the start
        if self.folder:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise CheckpointError(f"cannot create {self.folder}: {e.strerror}") from None
            self.removed_stale = checkpoint.clean_stale(self.folder)

    def save_evaluated(self, cfg, step, val, improved, make_state):
        """Save the checkpoint of the evaluation at `step`: it becomes the latest (and the best
        when `improved`), then the files it supersedes are deleted if this run wrote them.
        make_state() runs once best and latest name the new file, so it records itself as the
        best when it is. Returns the path (None without a folder)."""
        if not self.folder:
            return None
        path = self.folder / checkpoint_name(cfg, step, val)
        previous = self.latest, self.best
        if improved:
            self.best = path
        self.latest = path
        try:
            checkpoint.save(path, make_state())
        except BaseException:  # a full disk, Ctrl-C: the paths must still name files that exist
            self.latest, self.best = previous
            raise
        self.written.add(path)
        for old in set(previous) - {None, self.best, self.latest}:
            if old in self.written:  # never a file of an earlier run or of anyone else
                old.unlink(missing_ok=True)
                self.written.discard(old)
        return path

    def save_interrupted(self, step, state):
        """Save the state of a run a signal stopped; it is never deleted (it is what resumes)."""
        return checkpoint.save(self.folder / interrupted_name(step), state)


# -- a Trainer's state in a checkpoint ---------------------------------------------------------
def trainer_state(t):
    """Everything a Trainer `t` needs to continue exactly, on the CPU (samples anywhere)."""
    cpu = lambda x: x.detach().cpu()
    hidden = None if t.hidden is None else [
        [cpu(x) for x in s] if isinstance(s, tuple) else [cpu(s)] for s in t.hidden]
    rng = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    return {
        "model_args": t.model.args,
        "model": {k: cpu(v) for k, v in t.model.state_dict().items()},
        "optimizer": t.opt.state_dict(),
        "config": dataclasses.asdict(t.cfg),
        "vocab": t.vocab.state_dict(),
        "step": t.step,
        "data_pos": t.batches.pos,
        "rnn_state": hidden,
        "rng": rng,
        "history": t.history,
        "best_val": t.best_val,
        "elapsed": t.elapsed,
        "best_path": str(t.best_path) if t.best_path else "",
    }


def stored_config(ckpt, path):
    """The Config a checkpoint was trained with (CheckpointError if it has none that reads)."""
    try:
        return Config(**ckpt["config"])
    except (KeyError, TypeError, OptionError) as e:
        raise CheckpointError(f"{path} has a missing or unreadable config: {e}") from None


def restore(t, ckpt, path):
    """Put checkpoint `ckpt` (read from `path`) into Trainer `t`, built with its config."""
    if t.vocab.state_dict() != ckpt.get("vocab"):
        raise CheckpointError(
            f"{path}: the text's vocabulary differs from the checkpoint's ({len(t.vocab)} symbols, "
            f"checkpoint {len(ckpt.get('vocab', {}).get('chars', ''))}); "
            "resume on the text it was trained on (or one with exactly its characters)")
    try:
        _restore(t, ckpt)
    except (KeyError, IndexError, RuntimeError, TypeError, ValueError) as e:
        raise CheckpointError(f"{path} is an rnnkit checkpoint with missing or mismatched parts: "
                              f"{str(e).splitlines()[0]}") from None


def _restore(t, ckpt):
    t.model.load_state_dict(ckpt["model"])
    t.opt.load_state_dict(ckpt["optimizer"])
    t.step, t.batches.pos = ckpt["step"], ckpt["data_pos"] % len(t.batches)
    t.history = {k: [tuple(p) for p in v] for k, v in ckpt["history"].items()}
    t.best_val, t.elapsed = ckpt["best_val"], ckpt["elapsed"]
    # For information only: this run never deletes it (it is not in run.written).
    t.run.best = Path(ckpt["best_path"]) if ckpt["best_path"] else None
    # The carried state holds the saving process's batch rows; under torchrun the other
    # processes' rows differ, so there every process restarts its state from zeros.
    saved = ckpt["rnn_state"]
    if saved is not None and t.world == 1 and saved[0][0].shape[0] == t.batches.batch_size:
        to = lambda x: x.to(t.device)
        t.hidden = [tuple(map(to, s)) if len(s) == 2 else to(s[0]) for s in saved]
    torch.set_rng_state(ckpt["rng"]["torch"])
    if "cuda" in ckpt["rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(ckpt["rng"]["cuda"])
