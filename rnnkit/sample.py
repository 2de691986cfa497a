"""Sampling: feed a character, get a distribution, pick one, feed it back.

temperature T divides the logits before the softmax: T=1 samples the model as trained,
T<1 is more conservative, T>1 more adventurous, and T=0 (or argmax=True) always takes the
most likely character. Every batch row can have its own temperature, so the slider's whole
grid of temperatures costs one batched call, not one call per temperature.
top_k keeps the k most likely characters; top_p (nucleus sampling, Holtzman et al. 2020)
keeps the smallest set of most likely characters whose probability (after temperature)
reaches p. Both may be given: top_k cuts first, then top_p on what is left.
The loop steps with a Stepper (CharRNN.step with its weights laid out once for speed); any
other model with init_state(), forward(idx, state) and step(idx_t, state) (chapter 18's minGRU)
steps with its own step().
"""
import math
import os

import torch

from .errors import OptionError
from .model import CharRNN
from .stepper import Stepper
from .text import Vocab


@torch.no_grad()
def sample(model: CharRNN, vocab: Vocab, length=200, prime="", temperature=1.0, top_k=None,
           top_p=None, argmax=False, seed=None, n=1, device=None):
    """Return `length` new characters after `prime` (the output starts with the prime).
    With no prime the model starts as after a line break (or from a random character, shown,
    if the vocabulary has no newline).

    temperature: a number, or a list with one temperature per sample (then n = its length).
    Returns a str when one sample is asked for, else a list of str.
    """
    check_options(temperature, length, top_k, top_p, n)
    many = isinstance(temperature, (list, tuple))
    temps = [float(t) for t in temperature] if many else [float(temperature)] * n
    device = device or next(model.parameters()).device
    B = len(temps)
    gen = torch.Generator(device=device)
    gen.manual_seed(seed if seed is not None else torch.seed())
    was_training = model.training
    model.eval()

    state = model.init_state(B, device)
    prime_ids = vocab.encode(prime, what="prime text").to(device) if prime else None
    if prime_ids is not None and len(prime_ids) > 1:
        # warm the state on all but the last prime character with the fused path
        _, state = model(prime_ids[:-1].expand(B, -1), state)
    shown = True
    if prime_ids is None and "\n" in vocab.stoi:
        # No prime: begin where texts begin, after a line break (not shown). A random first
        # character can be half of a multi-byte character in a byte vocabulary and send the
        # model into a script it barely saw (the Wikipedia chapter's samples did).
        prime_ids, shown = vocab.encode("\n").to(device), False
    elif prime_ids is None:  # no newline in the vocabulary: one random character, shown
        prime_ids = torch.randint(len(vocab), (1,), generator=gen, device=device)
    x = prime_ids[-1].expand(B)
    t = torch.tensor(temps, device=device).unsqueeze(1)
    greedy = (t == 0) | argmax

    stepper = Stepper(model) if isinstance(model, CharRNN) else model
    any_greedy, inv_t = bool(greedy.any()), 1 / t.clamp_min(1e-8)
    out = torch.empty(B, length, dtype=torch.long, device=device)
    for i in range(length):
        logits, state = stepper.step(x, state)
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[1]), dim=1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits * inv_t, dim=1)
        if top_p is not None:
            probs = nucleus(probs, top_p)
        drawn = torch.multinomial(probs, 1, generator=gen).squeeze(1)
        x = torch.where(greedy.squeeze(1), logits.argmax(1), drawn) if any_greedy else drawn
        out[:, i] = x
    model.train(was_training)

    head = prime_ids.tolist() if shown else []
    texts = [vocab.decode(head + row.tolist()) for row in out.cpu()]
    return texts[0] if B == 1 and not isinstance(temperature, (list, tuple)) else texts


def check_options(temperature, length, top_k=None, top_p=None, n=1):
    """OptionError for settings sample() cannot honour, before any work is done."""
    if isinstance(temperature, (list, tuple)):
        temps, rows = [float(t) for t in temperature], len(temperature)
        if not temps:
            raise OptionError("need at least one temperature")
    else:
        if not isinstance(n, int) or n < 1:
            raise OptionError(f"n, the number of samples, must be at least 1, got {n!r}")
        temps, rows = [float(temperature)], n
    bad = [t for t in temps if not (math.isfinite(t) and t >= 0)]
    if bad:
        raise OptionError(f"temperature must be a finite number >= 0, got {bad[0]}")
    if not isinstance(length, int) or length < 0:
        raise OptionError(f"length must be a whole number >= 0, got {length!r}")
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise OptionError(f"top_k must be at least 1, got {top_k!r}")
    if top_p is not None and not 0 < top_p <= 1:  # also refuses nan
        raise OptionError(f"top_p must be in (0, 1], got {top_p}")
    # the ids (8 bytes), their list and the characters (8 + 8 + 4): ask before allocating
    need, free = rows * length * 28, _available_memory()
    if free is not None and need > free:
        raise OptionError(f"length {length:,} x {rows:,} sample(s) would need about {need / 1e9:,.1f} GB "
                          f"of memory; about {free / 1e9:,.1f} GB is available")


def _available_memory():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def nucleus(probs, p):
    """Zero all but the smallest set of most likely entries of each row whose mass reaches p
    (the most likely entry always stays); multinomial renormalises."""
    sorted_p, order = probs.sort(dim=1, descending=True)
    before = sorted_p.cumsum(1) - sorted_p  # mass of the more likely entries
    drop = (before >= p)
    drop[:, 0] = False
    return probs.scatter(1, order, sorted_p.masked_fill(drop, 0.0))

