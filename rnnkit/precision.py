"""Which arithmetic a training step runs in: fp32, or bf16 under torch.autocast.

    p = resolve("auto", "cpu", shape)        # "fp32" or "bf16": measured once, then cached
    with autocast("cpu", p):                 # a no-op context for "fp32"
        logits, state = model(x, state)

bf16 keeps fp32's exponent range with 8 bits of mantissa; CPUs with bf16 matrix units (AVX512-BF16,
AMX) and recent GPUs multiply it several times faster than fp32, other CPUs emulate it and run
slower. So "auto" never guesses from a model name: it times one small LSTM forward and backward
(the run's own sizes, capped) both ways on the device and picks bf16 only when it is clearly
faster (SPEEDUP). The verdict is cached per machine in <cache>/precision.json, keyed by the device
type, torch's version, the thread count, a fingerprint of the CPU's flags and the probed shape.
$RNNKIT_PRECISION_CACHE: a file to use instead, or "off" to probe every time (tests).

Only the forward pass and the loss run in bf16; the weights, the optimizer's state, the state
carried between chunks, the checkpoints and evaluation stay fp32.
"""
import contextlib
import hashlib
import json
import os
import platform
import time
from pathlib import Path

from .config import PRECISIONS, check_choice
from .errors import OptionError

SPEEDUP = 1.2      # bf16 must be at least this many times faster than fp32 to be chosen
PROBE_CAP = dict(batch=32, seq=32)  # the probe times at most this much of a batch: it stays short
VERSION = 1        # of the cache file's layout


def resolve(precision, device, shape=None, **probe_with):
    """'fp32' or 'bf16' for `precision` ('fp32', 'bf16' or 'auto') on `device`. shape: dict of
    cell, n_layers, hidden, batch, seq for the probe (default: a 2x256 LSTM, batch 16, BPTT 32)
    and the cache's key; probe_with: another model and loss to time (probe's model, loss)."""
    check_choice("precision", precision, PRECISIONS)
    shape = {**dict(cell="lstm", n_layers=2, hidden=256, batch=16, seq=32), **(shape or {})}
    if precision == "bf16" and not probe_with:
        why = bf16_refusal(device, shape["cell"])
        if why:
            raise OptionError(f"precision='bf16': this {_device_type(device).upper()} cannot run "
                              f"{shape['cell'].upper()} cells in bf16 ({why}); use 'auto' (it picks fp32 here) or 'fp32'")
    if precision != "auto":
        return precision
    shape["batch"], shape["seq"] = min(shape["batch"], PROBE_CAP["batch"]), min(shape["seq"], PROBE_CAP["seq"])
    key = machine_key(device, shape)
    cache = read_cache()
    if key in cache:
        return cache[key]["choice"]
    fp32, bf16 = probe(device, shape, **probe_with)
    choice = "bf16" if bf16 is not None and fp32 >= SPEEDUP * bf16 else "fp32"
    cache[key] = dict(choice=choice, fp32_s=fp32, bf16_s=bf16, when=time.strftime("%Y-%m-%d %H:%M:%S"))
    write_cache(cache)
    return choice


def autocast(device, precision):
    """torch.autocast in bf16 when precision is 'bf16'; otherwise a context that does nothing."""
    if precision != "bf16":
        return contextlib.nullcontext()
    import torch
    return torch.autocast(device_type=_device_type(device), dtype=torch.bfloat16)


def to_fp32(state):
    """A recurrent state (a list of tensors or of tuples of them) with every tensor in fp32:
    what autocast leaves in bf16 is carried, saved and resumed in fp32."""
    one = lambda t: t.float()
    return [tuple(map(one, s)) if isinstance(s, tuple) else one(s) for s in state]


# -- the probe ----------------------------------------------------------------------------------
def bf16_refusal(device, cell):
    """None when one tiny forward and backward of `cell` runs under bf16 autocast on `device`,
    else the first line of the error. (oneDNN's bf16 LSTM needs AVX512-BF16 or AMX: an AVX2-only
    CPU has none, though its plain RNN and GRU run; found by trying, not by a CPU's name.)"""
    import torch
    from .model import CharRNN
    gen_state = torch.get_rng_state()
    try:
        model = CharRNN(8, cell, 1, 8).to(device)
        x = torch.zeros(1, 2, dtype=torch.long, device=device)
        with autocast(device, "bf16"):
            out = model(x)[0]
        out.float().sum().backward()
        return None
    except RuntimeError as err:
        first = (str(err).strip().splitlines() or ["no bf16 kernel"])[0]
        return first.split(". ")[0].rstrip(".")[:120]  # torch's first sentence says what is missing
    finally:
        torch.set_rng_state(gen_state)


def probe(device, shape, repeats=3, model=None, loss=None):
    """(fp32 seconds, bf16 seconds) of one forward and backward, the best of `repeats` each,
    alternating; bf16 None where autocast cannot run it here. By default a CharRNN of `shape` on
    random ids; or `model` with `loss()` (its forward and loss, e.g. a GPT's; weights untouched)."""
    import torch
    import torch.nn.functional as F
    from .model import CharRNN
    gen_state = torch.get_rng_state()  # probing must not move the run's random numbers
    try:
        torch.manual_seed(0)
        if model is None:
            model = CharRNN(64, shape["cell"], shape["n_layers"], shape["hidden"]).to(device)
            x = torch.randint(64, (shape["batch"], shape["seq"])).to(device)
            loss = lambda: F.cross_entropy(model(x)[0].flatten(0, 1), x.flatten())
        times = {"fp32": [], "bf16": []}
        for round_ in range(repeats + 1):  # round 0 warms up and is not counted
            for p in times if times["bf16"] is not None else ("fp32",):
                try:
                    t = _time_step(model, loss, device, p)
                except RuntimeError:  # no bf16 kernel for this device or op
                    if p == "fp32":
                        raise
                    times["bf16"] = None
                    continue
                if round_:
                    times[p].append(t)
        return min(times["fp32"]), (min(times["bf16"]) if times["bf16"] else None)
    finally:
        torch.set_rng_state(gen_state)


def _time_step(model, loss, device, precision):
    _sync(device)
    t0 = time.perf_counter()
    with autocast(device, precision):
        value = loss()
    value.backward()
    model.zero_grad(set_to_none=True)
    _sync(device)
    return time.perf_counter() - t0


def _sync(device):
    import torch
    if _device_type(device) == "cuda":
        torch.cuda.synchronize(device)


def _device_type(device):
    return str(device).split(":")[0]


# -- the cache ----------------------------------------------------------------------------------
def machine_key(device, shape):
    """What makes the probe's verdict hold: device type, torch, threads, the CPU's (or GPU's)
    abilities, and the probed shape. Never a model name."""
    import torch
    kind = _device_type(device)
    if kind == "cuda":
        abilities = "sm%d%d" % torch.cuda.get_device_capability(device)
    else:
        abilities = cpu_flags_fingerprint()
    sizes = "-".join(f"{k}{shape[k]}" for k in ("cell", "n_layers", "hidden", "batch", "seq"))
    return f"v{VERSION} {kind} torch{torch.__version__} threads{torch.get_num_threads()} {abilities} {sizes}"


def cpu_flags_fingerprint():
    """A short hash of the CPU's feature flags (/proc/cpuinfo), else of the architecture name."""
    try:
        text = Path("/proc/cpuinfo").read_text()
        flags = next((line.split(":", 1)[1] for line in text.splitlines()
                      if line.split(":")[0].strip() in ("flags", "Features")), "")
    except OSError:
        flags = ""
    flags = " ".join(sorted(flags.split())) or platform.machine()
    return "cpu-" + hashlib.sha1(flags.encode()).hexdigest()[:12]


def cache_path():
    """The cache file, or None when $RNNKIT_PRECISION_CACHE is 'off'."""
    env = os.environ.get("RNNKIT_PRECISION_CACHE", "")
    if env.lower() == "off":
        return None
    if env:
        return Path(env).expanduser()
    from .data import cache_dir
    return cache_dir() / "precision.json"


def read_cache():
    path = cache_path()
    try:
        cache = json.loads(path.read_text()) if path else {}
    except (OSError, ValueError):  # none yet, or unreadable: probe again
        return {}
    return cache if isinstance(cache, dict) else {}


def write_cache(cache):
    """Best effort: a cache that cannot be written only means probing again next time."""
    path = cache_path()
    if path is None:
        return
    from . import files
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        files.write(path, (json.dumps(cache, indent=1, sort_keys=True) + "\n").encode())
    except OSError:
        pass
