"""A model for the browser: weights, vocabulary and model arguments in one small script file.

    export(checkpoint, "shakespeare.js")           # a checkpoint path, or a (model, vocab) pair
    model, vocab = load("shakespeare.js")          # back in torch, with the dequantized weights

The file is JavaScript that registers the model under a key (its file name by default):

    (globalThis.rnnkitModels = globalThis.rnnkitModels || {})["shakespeare"] = {...};

A script, not JSON, because a page opened from file:// may not fetch() a file next to it, but
it may load a <script>. tools/book_static/live/model.js reads it and runs the same step as
CharRNN.step.

quant="int8": every weight matrix as int8 with one float32 scale per row (w = q * scale, the
scale being the row's largest |w| / 127), a quarter of float32; a per-row scale keeps a row of
small weights from losing its precision to a row of large ones. quant="float16": half of
float32. Biases (vectors) stay float32 either way: they are a few kilobytes. dequantize()
gives back exactly the weights the browser computes with, so Python measures what the
quantisation costs (benchmarks/live.py).

The destination is checked before the model is read: a folder, a path under a file, a folder
that cannot be written, or an existing file that is not an exported model (export never
replaces a file it did not write: a device, a pipe, someone's notes) are one-line
ExportErrors. The file is written through rnnkit.files (a temp file of its own, renamed), so
a full disk leaves no .tmp behind and two exports to one file at once each write a whole file.
Weights that are nan or inf are refused.
"""
import base64
import json
import re
from pathlib import Path

import numpy as np
import torch

from . import files
from .config import CELLS, QUANTS, one_of
from .errors import RnnkitError

FORMAT = "rnnkit-browser-v1"
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_PREFIX = "(globalThis.rnnkitModels = globalThis.rnnkitModels || {})"


class ExportError(RnnkitError, ValueError):
    """An export that cannot be made or a file that is not an exported model."""


def _b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def _unb64(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def quantize(w, quant):
    """One tensor -> its entry in the file: {shape, dtype, data[, scale]} (data in base64)."""
    w = w.detach().float().cpu().numpy()
    if w.ndim == 1:
        return {"shape": list(w.shape), "dtype": "float32", "data": _b64(w, "<f4")}
    if quant == "float16":
        return {"shape": list(w.shape), "dtype": "float16", "data": _b64(w, "<f2")}
    rows = w.reshape(w.shape[0], -1)
    scale = (np.abs(rows).max(axis=1) / 127).astype(np.float32)
    q = np.rint(rows / np.where(scale > 0, scale, 1)[:, None]).clip(-127, 127)
    return {"shape": list(w.shape), "dtype": "int8", "data": _b64(q, "i1"), "scale": _b64(scale, "<f4")}


def _unquantize(entry):
    """An entry of the file -> float32 tensor, computed as the browser computes it."""
    kind, shape = entry.get("dtype"), entry.get("shape")
    if kind == "float32":
        w = _unb64(entry["data"], "<f4")
    elif kind == "float16":
        w = _unb64(entry["data"], "<f2").astype(np.float32)
    elif kind == "int8":
        q = _unb64(entry["data"], "i1").astype(np.float32).reshape(shape[0], -1)
        w = q * _unb64(entry["scale"], "<f4")[:, None]  # one float32 rounding, as Math.fround
    else:
        raise ExportError(f"unknown weight type {kind!r} in an exported model")
    return torch.from_numpy(np.array(w, dtype=np.float32).reshape(shape))


def _model_and_vocab(checkpoint):
    if isinstance(checkpoint, (tuple, list)) and len(checkpoint) == 2:
        return checkpoint
    if isinstance(checkpoint, (str, Path)):
        from .checkpoint import load_model
        model, vocab, _ = load_model(checkpoint)
        return model, vocab
    raise ExportError("export needs a checkpoint path or a (model, vocab) pair, "
                      f"got {type(checkpoint).__name__}")


def payload(model, vocab, quant="int8"):
    """The exported model as a dict (what the file holds after its prefix)."""
    if quant not in QUANTS:
        raise ExportError(f"unknown quantisation {quant!r}; choose {one_of(QUANTS)}")
    if len(vocab) != model.vocab_size:
        raise ExportError(f"the vocabulary has {len(vocab)} symbols but the model {model.vocab_size}")
    bad = next((name for name, t in model.state_dict().items() if not torch.isfinite(t).all()), None)
    if bad is not None:
        raise ExportError(f"the model's weights are not finite numbers (nan or inf in {bad}): nothing to export")
    tensors = {name: quantize(t, quant) for name, t in model.state_dict().items()}
    return {"format": FORMAT, "args": dict(model.args), "quant": quant,
            "vocab": vocab.state_dict(), "tensors": tensors}


def export(checkpoint, out_path, quant="int8", key=None):
    """Write `checkpoint` (a path, or a (model, vocab) pair) to out_path as a browser model.
    The key it registers under defaults to the file's name without .js. Returns the path."""
    if not str(out_path).strip():
        raise ExportError("the file to write is an empty name (an unset variable?)")
    out_path = Path(out_path)
    key = out_path.name.removesuffix(".js") if key is None else key
    if not _KEY.match(key):
        raise ExportError(f"model key {key!r} must be letters, digits, - and _ only")
    made = check_destination(out_path)  # before the model is read
    try:
        model, vocab = _model_and_vocab(checkpoint)
        body = json.dumps(payload(model, vocab, quant), separators=(",", ":"))  # ASCII only
        args = model.args
        head = (f"/* rnnkit model {key}: {args['cell']} {args['n_layers']}x{args['hidden']}, "
                f"{len(vocab)} symbols, {quant}; made by rnnkit.export */\n")
        files.write(out_path, f"{head}{_PREFIX}[{json.dumps(key)}] = {body};\n".encode("ascii"))
    except OSError as e:
        files.undo_folders(made)
        raise ExportError(f"cannot write {out_path}: {files.reason(e)}") from None
    except BaseException:
        files.undo_folders(made)  # an export that failed leaves no folder it made
        raise
    return out_path


def check_destination(path):
    """ExportError unless `path` can be written as an exported model: its folder can be made
    and written, and it is either new or an exported model already (which it then replaces).
    Returns the folders it made."""
    try:
        if path.is_dir():
            raise ExportError(f"{path} is a folder; give the file to write, e.g. {path / 'model.js'}")
        if path.exists() or path.is_symlink():
            if not path.is_file():
                raise ExportError(f"{path} is not a regular file (a device, a pipe, a broken link): "
                                  "give a new file name")
            with open(path, "rb") as f:
                if not f.read(16) == b"/* rnnkit model ":
                    raise ExportError(f"{path} exists and is not a model written by rnnkit.export; "
                                      "export replaces only its own files: remove it or give another name")
        return files.prepare_folder(path.parent)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {files.reason(e)}") from None


def read(path):
    """The dict an exported file holds."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        raise ExportError(f"cannot read an exported model from {path}: {e}") from None
    start, end = text.find("] = {"), text.rfind("};")
    if not text.lstrip("/* ").startswith("rnnkit model") or start < 0 or end < start:
        raise ExportError(f"{path} is not a model written by rnnkit.export")
    try:
        data = json.loads(text[start + 4:end + 1])
    except json.JSONDecodeError as e:
        raise ExportError(f"{path} is a truncated or corrupt exported model: {e}") from None
    if data.get("format") != FORMAT:
        raise ExportError(f"{path} has format {data.get('format')!r}, not {FORMAT}")
    return data


def dequantize(source):
    """{name: float32 tensor}: the weights as the browser computes with them. source: the path
    of an exported file, or its dict."""
    data = source if isinstance(source, dict) else read(source)
    return {name: _unquantize(entry) for name, entry in data["tensors"].items()}


def load(source):
    """(CharRNN, Vocab) with the dequantized weights of an exported model, in eval mode."""
    from .model import CharRNN
    from .text import Vocab

    data = source if isinstance(source, dict) else read(source)
    if data["args"].get("cell") not in CELLS:  # chapter 18's minGRU exports through here too
        raise ExportError(f"the exported model is a {data['args'].get('cell')}, not a CharRNN: load a minGRU "
                          "with rnnkit.tasks.minrnn.load_export")
    model = CharRNN(**data["args"])
    try:
        model.load_state_dict(dequantize(data))
    except RuntimeError as e:
        raise ExportError(f"the exported weights do not fit the model: {str(e).splitlines()[0]}") from None
    return model.eval(), Vocab.from_state(data["vocab"])
