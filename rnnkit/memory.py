"""How much memory a run needs, asked before anything is allocated: a model, a batch or a
sample too big for the machine is then a one-line OptionError at the start, not a crash at
the first step (or the kernel's out-of-memory killer, which strikes without a message).

    check(training_bytes(cfg, vocab_size), "cpu", "training a lstm 2x128 model")
    check(sampling_bytes(model.args, rows=1, length=10**6), "cpu", "1 sample of 1,000,000 characters")

The estimates count what must exist at once (weights, gradients, the optimizer's state, the
activations of one batch, the carried hidden state, the output) and nothing else, so they are
lower bounds: a run they refuse cannot fit. available() reads MemAvailable and the cgroup's
limit (a container's real ceiling) on a CPU, torch's free memory on a GPU.
"""
import os
import re

from .errors import OptionError

FLOAT = 4       # bytes of a float32
GATES = {"rnn": 1, "gru": 3, "lstm": 4, "mingru": 2}  # mingru: its gate and candidate
OPTIMIZER_STATES = {"adam": 2, "rmsprop": 1}  # tensors the optimizer keeps per weight
PER_CHAR = 28   # bytes a generated character costs on its way to text (id, list entry, str)


def n_params(vocab_size, cell, n_layers, hidden, embed=0):
    """CharRNN's parameter count, without building it."""
    g, n_in = GATES[cell], embed or vocab_size
    layers = sum(g * hidden * ((n_in if i == 0 else hidden) + hidden + 2) for i in range(n_layers))
    return vocab_size * embed + layers + hidden * vocab_size + vocab_size


def training_bytes(cfg, vocab_size):
    """Weights, gradients and optimizer state, plus one batch's activations (its input,
    every layer's gates and states, the logits and their gradient)."""
    p = n_params(vocab_size, cfg.cell, cfg.n_layers, cfg.hidden, cfg.embed)
    weights = p * FLOAT * (2 + OPTIMIZER_STATES[cfg.optimizer])
    per_char = (cfg.embed or vocab_size) + cfg.n_layers * cfg.hidden * (GATES[cfg.cell] + 2) + 3 * vocab_size
    return weights + cfg.batch_size * cfg.seq_len * per_char * FLOAT


def checkpoint_bytes(cfg, vocab_size):
    """A checkpoint's size on disk: weights and optimizer state (the rest is small)."""
    p = n_params(vocab_size, cfg.cell, cfg.n_layers, cfg.hidden, cfg.embed)
    return p * FLOAT * (1 + OPTIMIZER_STATES[cfg.optimizer])


def sampling_bytes(args, rows, length, prime=0, keep=True):
    """Sampling `rows` samples of `length` characters after a prime of `prime`: the carried
    state and one step's temporaries per row, and the output (keep=False: streamed, so not
    kept). args: the model's arguments (CharRNN.args)."""
    states = 2 if args["cell"] == "lstm" else 1
    per_row = args["n_layers"] * args["hidden"] * (states + GATES[args["cell"]]) + 4 * args["vocab_size"]
    return rows * per_row * FLOAT + (rows * (length + prime) * PER_CHAR if keep else 0)


def available(device="cpu"):
    """Bytes free for this process on `device` (None: unknown)."""
    import torch
    device = torch.device(device)
    if device.type == "cuda":
        try:
            return torch.cuda.mem_get_info(device)[0]
        except (RuntimeError, AssertionError):
            return None
    free = [x for x in (_meminfo(), _cgroup_room()) if x is not None]
    return min(free) if free else None


def _meminfo():
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"^MemAvailable:\s+(\d+) kB", f.read(), flags=re.M)
        return int(m[1]) * 1024 if m else None
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_room():
    """A container's limit less what it uses (cgroup v2, else v1); None without a limit."""
    for limit, usage in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                         ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            with open(limit) as a, open(usage) as b:
                cap, used = a.read().strip(), int(b.read().strip())
        except (OSError, ValueError):
            continue
        if cap.isdigit() and int(cap) < 1 << 60:
            return max(0, int(cap) - used)
    return None


def check(need, device, what):
    """OptionError when `need` bytes surely do not fit on `device`."""
    free = available(device)
    if free is not None and need > free:
        raise OptionError(f"{what} needs at least {need / 1e9:,.1f} GB of memory on {device}; "
                          f"about {free / 1e9:,.1f} GB is available: make it smaller")


def is_out_of_memory(e):
    """True for torch's and Python's ways of saying an allocation failed."""
    import torch
    return isinstance(e, (MemoryError, torch.OutOfMemoryError)) or (
        isinstance(e, RuntimeError) and ("allocate" in str(e) or "out of memory" in str(e)))
