"""Checkpoints: one .pt file holds everything needed to sample from a model or to resume
training exactly (model, optimizer, step, RNG states, data position, carried hidden state,
config, vocabulary, loss history).

A save writes the whole file to a temporary name of its own in the same folder, fsyncs it
and renames it over the target, so an interrupted save, a full disk or a power loss never
leaves a half-written checkpoint, and two processes saving into one folder never collide.
Files are read with torch.load(weights_only=True), which refuses anything but tensors and
plain containers, so a checkpoint cannot run code when loaded.
"""
import errno
import io
import math
import os
import pickle
import re
import secrets
import time
import zipfile
from pathlib import Path

import torch

from .errors import RnnkitError

FORMAT = "rnnkit-checkpoint-v1"

# <checkpoint name>.<pid>-<random>.tmp; older rnnkit wrote <checkpoint name>.tmp
TMP = re.compile(r"^(?P<name>.+\.pt)(?:\.(?P<pid>\d+)-[0-9a-f]{8})?\.tmp$")


class CheckpointError(RnnkitError):
    pass


def save(path, ckpt):
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CheckpointError(f"cannot create {path.parent}: {_reason(e)}") from None
    buf = io.BytesIO()  # serialise first: a write error is then a plain OSError, not torch's
    torch.save({"format": FORMAT, **ckpt}, buf)
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as f:
            f.write(buf.getbuffer())
            f.flush()
            os.fsync(f.fileno())  # the data is on disk before the name points at it
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException as e:  # any error, Ctrl-C included: no partial file stays behind
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise CheckpointError(f"cannot save {path}: {_reason(e)}; "
                                  "the checkpoints saved before are kept") from None
        raise
    return path


def _reason(e):
    return "no space left on device" if e.errno == errno.ENOSPC else (e.strerror or str(e)).lower()


def _fsync_dir(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every system opens folders (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_stale(folder, min_age=600):
    """Remove temporary files a killed save left in `folder`: only names this module makes,
    and only when the process that wrote them is gone (or, for the old fixed names, when
    untouched for `min_age` seconds). Returns the removed paths."""
    removed = []
    for p in Path(folder).glob("*.pt*.tmp"):
        m = TMP.match(p.name)
        if not m or not p.is_file():
            continue
        pid = m["pid"]
        try:
            stale = not _alive(int(pid)) if pid else time.time() - p.stat().st_mtime > min_age
            if stale:
                p.unlink()
                removed.append(p)
        except OSError:
            continue
    return removed


def _alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def load(path, map_location="cpu"):
    """Read and check a checkpoint; map_location="cpu" lets a GPU-trained model sample on a CPU."""
    path = Path(path)
    if path.is_dir():
        path = best_in(path)
    if not path.exists():
        raise CheckpointError(f"no checkpoint at {path}: no such file")
    if path.stat().st_size == 0:
        raise CheckpointError(f"{path} is empty")
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # torch.save writes a zip archive
            raise CheckpointError(f"{path} is corrupt or truncated (not a torch checkpoint archive)")
    try:
        ckpt = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError:
        raise CheckpointError(f"{path} holds objects a safe load (weights_only) refuses: "
                              "not an rnnkit checkpoint") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError) as e:
        raise CheckpointError(f"{path} is corrupt or truncated: {str(e).splitlines()[0]}") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise CheckpointError(f"{path} is a torch file but not an rnnkit checkpoint")
    return ckpt


def best_in(folder):
    """The checkpoint with the lowest val loss in a training folder (names carry the loss);
    a name with a loss that is not a finite number is never chosen."""
    scored = []
    for p in Path(folder).glob("*.pt"):
        try:
            val = float(p.stem.rsplit("_val", 1)[1])
        except (IndexError, ValueError):
            continue
        if math.isfinite(val):
            scored.append((val, p))
    if not scored:
        raise CheckpointError(f"no checkpoint with a (finite) val loss in its name in {folder}")
    return min(scored)[1]


def load_model(path, device="cpu"):
    """(model, vocab, checkpoint) ready to sample from."""
    from .model import CharRNN
    from .text import Vocab

    ckpt = load(path, map_location=device)
    try:
        model = CharRNN(**ckpt["model_args"]).to(device)
        model.load_state_dict(ckpt["model"])
        vocab = Vocab.from_state(ckpt["vocab"])
        if len(vocab) != model.vocab_size:
            raise ValueError(f"its vocabulary has {len(vocab)} symbols but the model's output layer "
                             f"{model.vocab_size}")
    except (KeyError, RuntimeError, TypeError, ValueError) as e:
        raise CheckpointError(f"{path} is an rnnkit checkpoint with missing or mismatched parts: "
                              f"{str(e).splitlines()[0]}") from None
    model.eval()
    return model, vocab, ckpt
