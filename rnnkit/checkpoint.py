"""Checkpoints: one .pt file holds everything needed to sample from a model or to resume
training exactly (model, optimizer, step, RNG states, data position, carried hidden state,
config, vocabulary, loss history).

Writing. A save goes through rnnkit.files: a temp file of its own beside the target, synced,
then renamed, so an interrupted save, a full disk or a power loss never leaves a half-written
checkpoint and two processes saving into one folder never collide; overwrite=False (what a
run's folder uses) never replaces a file that exists.

Reading. A file is verified before it is trusted: every member of the zip archive torch
writes must match its CRC-32 (torch.load does not check them, so a flipped bit in a weight
loaded silently as 4e37), then torch.load(weights_only=True) refuses anything but tensors and
plain containers (a checkpoint cannot run code), then the format mark must be rnnkit's.
load_model() also refuses weights that are nan or inf: nothing can sample from them.

A folder. best_in() picks the lowest val loss among the files named as a run names its
checkpoints (rnnkit.runfolder) that carry rnnkit's format mark, so a stray .pt of someone
else's is never chosen; latest_in() picks the furthest step, interrupted saves included
(what --resume DIR continues).
"""
import contextlib
import io
import pickle
import re
import zipfile
from pathlib import Path

import torch

from . import files
from .errors import RnnkitError

FORMAT = "rnnkit-checkpoint-v1"

# The names rnnkit.runfolder gives: lstm2x128_step000500_val1.5321.pt, and
# interrupted_lstm2x128_step000512.pt (older rnnkit: interrupted_step000512.pt); "-2", "-3"...
# before .pt when the name was taken. A worse-than-uniform model's name matches neither.
EVALUATED = re.compile(r"^(?P<model>.+?)_step(?P<step>\d+)_val(?P<val>\d+\.\d+)(?:-\d+)?\.pt$")
INTERRUPTED = re.compile(r"^interrupted_(?:(?P<model>.+?)_)?step(?P<step>\d+)(?:-\d+)?\.pt$")


class CheckpointError(RnnkitError):
    pass


def save(path, ckpt, overwrite=True):
    """Write checkpoint dict `ckpt` to `path` atomically; overwrite=False raises
    FileExistsError if path exists. Returns the path."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CheckpointError(f"cannot create {path.parent}: {files.reason(e)}") from None
    buf = io.BytesIO()  # serialise first: a write error is then a plain OSError, not torch's
    with _crc32():
        torch.save({"format": FORMAT, **ckpt}, buf)
    try:
        files.write(path, buf.getbuffer(), overwrite=overwrite)
    except FileExistsError:
        raise
    except OSError as e:
        raise CheckpointError(f"cannot save {path}: {files.reason(e)}; "
                              "the checkpoints saved before are kept") from None
    return path


@contextlib.contextmanager
def _crc32():
    """torch.save with CRC-32s in the archive, whatever a caller set (they are what load checks)."""
    before = torch.serialization.get_crc32_options()
    torch.serialization.set_crc32_options(True)
    try:
        yield
    finally:
        torch.serialization.set_crc32_options(before)


def verify(path):
    """CheckpointError unless `path` is a whole zip archive whose every member matches its CRC-32."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        raise CheckpointError(f"{path} is corrupt or truncated: {e}") from None
    except OSError as e:
        raise CheckpointError(f"cannot read {path}: {files.reason(e)}") from None
    if bad is not None:
        raise CheckpointError(f"{path} is corrupt: {bad.split('/', 1)[-1]} fails its CRC-32 check (a damaged "
                              "copy or disk); use another checkpoint")


def load(path, map_location="cpu"):
    """Read and check a checkpoint (a file, or a training folder: its best checkpoint);
    map_location="cpu" lets a GPU-trained model sample on a CPU."""
    if not str(path).strip():  # Path("") is the current folder: never what "" meant
        raise CheckpointError("the checkpoint path is empty (an unset variable?)")
    path = Path(path)
    try:
        if path.is_dir():
            path = best_in(path)
        if not path.exists():
            raise CheckpointError(f"no checkpoint at {path}: no such file")
        if path.stat().st_size == 0:
            raise CheckpointError(f"{path} is empty")
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:  # permission, a name too long, a folder in the way
        raise CheckpointError(f"cannot read {path}: {files.reason(e)}") from None
    if magic != b"PK\x03\x04":  # torch.save writes a zip archive
        raise CheckpointError(f"{path} is corrupt or truncated (not a torch checkpoint archive)")
    verify(path)
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


def is_ours(path):
    """True if `path` is a zip archive whose pickle carries rnnkit's format mark (cheap: the
    weights are not read)."""
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist() if n.endswith("/data.pkl")), None)
            return name is not None and FORMAT.encode() in z.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return False


def _ours(folder, pattern):
    try:
        found = [(m, p) for p in Path(folder).iterdir() if (m := pattern.match(p.name)) and p.is_file()]
    except OSError as e:
        raise CheckpointError(f"cannot read the folder {folder}: {files.reason(e)}") from None
    return [(m, p) for m, p in found if is_ours(p)]


def best_in(folder):
    """The checkpoint with the lowest val loss in a training folder (names carry the loss),
    among those this library wrote."""
    scored = sorted((float(m["val"]), p.name, p) for m, p in _ours(folder, EVALUATED))
    if not scored:
        raise CheckpointError(f"no rnnkit checkpoint with a val loss in its name in {folder} "
                              "(give the file itself, e.g. an interrupted_... one)")
    return scored[0][2]


def latest_in(folder):
    """The checkpoint of the furthest step in a training folder, an interrupted one included
    (at a tie, the interrupted one, then the newest); CheckpointError if it holds several
    models' runs."""
    found = [(int(m["step"]), 1, _mtime(p), m["model"] or None, p) for m, p in _ours(folder, INTERRUPTED)]
    found += [(int(m["step"]), 0, _mtime(p), m["model"], p) for m, p in _ours(folder, EVALUATED)]
    if not found:
        raise CheckpointError(f"no rnnkit checkpoint in {folder}")
    models = sorted({f[3] for f in found} - {None})  # None: an older name without the model
    if len(models) > 1:
        raise CheckpointError(f"{folder} holds checkpoints of {len(models)} models ({', '.join(models)}); "
                              "give the checkpoint file to resume")
    return max(found)[4]


def _mtime(path):
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def check_finite(weights, path):
    """CheckpointError naming the first tensor of `weights` (a state dict) that holds nan or inf."""
    for name, w in weights.items():
        if torch.is_tensor(w) and w.is_floating_point() and not torch.isfinite(w).all():
            raise CheckpointError(f"{path} has weights that are not finite numbers (nan or inf in {name}): "
                                  "nothing can be sampled or exported from it; use an earlier checkpoint")


def load_model(path, device="cpu"):
    """(model, vocab, checkpoint) ready to sample from."""
    from .model import CharRNN
    from .text import Vocab

    ckpt = load(path, map_location=device)
    try:
        check_finite(ckpt["model"], path)
        model = CharRNN(**ckpt["model_args"]).to(device)
        model.load_state_dict(ckpt["model"])
        vocab = Vocab.from_state(ckpt["vocab"])
        if len(vocab) != model.vocab_size:
            raise ValueError(f"its vocabulary has {len(vocab)} symbols but the model's output layer "
                             f"{model.vocab_size}")
    except (KeyError, RuntimeError, TypeError, ValueError, AttributeError) as e:
        raise CheckpointError(f"{path} is an rnnkit checkpoint with missing or mismatched parts: "
                              f"{str(e).splitlines()[0]}") from None
    model.eval()
    return model, vocab, ckpt
