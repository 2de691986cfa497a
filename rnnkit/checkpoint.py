"""Checkpoints: one .pt file holds everything needed to sample from a model or to resume
training exactly (model, optimizer, step, RNG states, data position, carried hidden state,
config, vocabulary, loss history).

Files are written to a temporary name and renamed, so an interrupted save never leaves a
half-written checkpoint; they are read with torch.load(weights_only=True), which refuses
anything but tensors and plain containers, so a checkpoint cannot run code when loaded.
"""
import os
import pickle
import zipfile
from pathlib import Path

import torch

FORMAT = "rnnkit-checkpoint-v1"


class CheckpointError(Exception):
    pass


def save(path, ckpt):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save({"format": FORMAT, **ckpt}, tmp)
    os.replace(tmp, path)
    return path


def load(path, map_location="cpu"):
    """Read and check a checkpoint; map_location="cpu" lets a GPU-trained model sample on a CPU."""
    path = Path(path)
    if path.is_dir():
        path = best_in(path)
    if not path.exists():
        raise CheckpointError(f"no checkpoint at {path}")
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
    """The checkpoint with the lowest val loss in a training folder (names carry the loss)."""
    scored = []
    for p in Path(folder).glob("*.pt"):
        try:
            scored.append((float(p.stem.rsplit("_val", 1)[1]), p))
        except (IndexError, ValueError):
            continue
    if not scored:
        raise CheckpointError(f"no checkpoint with a val loss in its name in {folder}")
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
    except (KeyError, RuntimeError, TypeError) as e:
        raise CheckpointError(f"{path} is an rnnkit checkpoint with missing or mismatched parts: "
                              f"{str(e).splitlines()[0]}") from None
    model.eval()
    return model, vocab, ckpt
