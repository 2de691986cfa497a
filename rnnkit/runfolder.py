"""A training run's folder: the checkpoints it writes, which of them it keeps, and what a
checkpoint of a Trainer holds (checkpoint.py is the file format; this is the run's use of it).

The rules a run keeps (README, "What changed for long runs"):
  - after each evaluation the run saves <cell><layers>x<hidden>_step<N>_val<loss>.pt (the loss
    in the name is how `sample DIR` picks the best); a signal saves
    interrupted_<cell><layers>x<hidden>_step<N>.pt (the model is in the name, so two runs
    stopped at one step never share a file);
  - it never overwrites a file: when the name it wants exists (a second run with the same
    settings in the same folder, or any other file), it takes the next free one, "-2", "-3"...
    before .pt, so both runs keep all they wrote (keep both, rather than refuse: a second run
    may be meant, e.g. another seed, and refusing would only tell after the training);
  - it keeps its best and its latest, and deletes a superseded one only if this run wrote it
    (the same file: its inode, size and time are checked): never the file it resumed from, an interrupted save,
    or anything else in the folder;
  - a model whose val loss is worse than guessing uniformly is saved as the latest under
    ..._worse-than-uniform.pt, never as the best (sample DIR never picks it), with a warning;
  - a save that fails (a full disk, Ctrl-C) deletes nothing, and best and latest still name
    files that exist;
  - the folder is made and proved writable when the run is set up, before any training, and
    a run first removes the temp files of writers that provably died (files.clean_stale);
  - under torchrun only rank 0 has a folder; the other processes write nothing.

    run = RunFolder("out/shakespeare")
    run.save_evaluated(trainer.cfg, step, val, improved, trainer.state)
    ckpt = trainer_state(trainer); restore(trainer, ckpt, path)   # a resume, exactly
"""
import dataclasses
import itertools
import os
import shutil
from pathlib import Path

import torch

from . import checkpoint, files
from .checkpoint import CheckpointError
from .config import Config
from .errors import OptionError


def model_name(cfg):
    return f"{cfg.cell}{cfg.n_layers}x{cfg.hidden}"


def checkpoint_name(cfg, step, val, copy=1, ranked=True):
    tag = ("" if ranked else "_worse-than-uniform") + (f"-{copy}" if copy > 1 else "")
    loss = f"{val:.4f}" if val < 1e6 else f"{val:.3e}"  # a diverging loss of 1e300 still makes a short name
    return f"{model_name(cfg)}_step{step:06d}_val{loss}{tag}.pt"


def interrupted_name(cfg, step, copy=1):
    return f"interrupted_{model_name(cfg)}_step{step:06d}{f'-{copy}' if copy > 1 else ''}.pt"


class RunFolder:
    """The checkpoints of one run in `folder`; folder None: a run that saves nothing (no
    out_dir, or a torchrun process other than rank 0), whose `best` may still name the best
    file of the run it resumed (for the messages)."""

    def __init__(self, folder=None):
        if folder is not None and not str(folder).strip():
            raise OptionError("the output folder is an empty name (an unset variable?); give a folder, "
                              "or None to save nothing")
        self.folder = Path(folder) if folder is not None else None
        self.best = self.latest = None  # paths; `best` may be an earlier run's file (never deleted)
        self.written = {}  # {path: _identity} of the checkpoints this run wrote: the only files it may delete
        self.removed_stale, self.created = [], []  # temp files of dead writers removed; folders made
        if self.folder:
            try:
                self.created = files.prepare_folder(self.folder)
            except OSError as e:
                raise CheckpointError(f"cannot write checkpoints to {self.folder}: {files.reason(e)}") from None
            self.removed_stale = files.clean_stale(self.folder)

    def check_space(self, need):
        """CheckpointError if the folder's disk has less room than one checkpoint of `need` bytes."""
        if not self.folder:
            return
        try:
            free = shutil.disk_usage(self.folder).free
        except OSError:
            return
        if free < need:
            raise CheckpointError(f"{self.folder} has {free / 1e6:,.1f} MB free, and one checkpoint of this model "
                                  f"takes about {need / 1e6:,.1f} MB: free some space or choose another folder")

    def discard(self):
        """Undo the set-up of a run that never started: remove the folders it made, if empty."""
        if not self.written:
            files.undo_folders(self.created)

    def save_evaluated(self, cfg, step, val, improved, make_state, ranked=True):
        """Save the checkpoint of the evaluation at `step`: it becomes the latest (and the best
        when `improved`), then the files it supersedes are deleted if this run wrote them.
        make_state() runs once best and latest name the new file, so it records itself as the
        best when it is. ranked=False: a model worse than uniform (named so, never the best).
        Returns the path (None without a folder)."""
        if not self.folder:
            return None
        previous = self.latest, self.best

        def state_for(path):
            self.latest = path
            self.best = path if improved else previous[1]
            return make_state()

        try:
            path = self._save_new(lambda copy: checkpoint_name(cfg, step, val, copy, ranked), state_for)
        except BaseException:  # a full disk, Ctrl-C: the paths must still name files that exist
            self.latest, self.best = previous
            raise
        self.written[path] = _identity(path)
        for old in set(previous) - {None, self.best, self.latest}:
            self._delete_own(old)
        return path

    def save_interrupted(self, cfg, step, state):
        """Save the state of a run a signal stopped; it is never deleted (it is what resumes)."""
        return self._save_new(lambda copy: interrupted_name(cfg, step, copy), lambda path: state)

    def _save_new(self, name, state_for):
        """Save under the first of name(1), name(2)... that is free, never over a file. Returns
        the path."""
        for copy in itertools.count(1):
            path = self.folder / name(copy)
            if os.path.lexists(path):
                continue
            try:
                checkpoint.save(path, state_for(path), overwrite=False)
            except FileExistsError:  # taken between the check and the save: the next name
                continue
            return path

    def _delete_own(self, path):
        """Delete `path` if it is still the very file this run wrote there."""
        mine = self.written.pop(path, None)
        if mine is not None and _identity(path) == mine:
            try:
                path.unlink()
            except OSError:
                pass


def _identity(path):
    """What tells the file at `path` from another one put there since (an inode is reused)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


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
    if isinstance(ckpt.get("model"), dict):
        checkpoint.check_finite(ckpt["model"], path)
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
