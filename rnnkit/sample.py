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
stream() gives one sample back in pieces as they are made (the command line prints them at
once, so a long sample shows up as it grows and is never held in memory). Both check, before
allocating anything, that the rows' state and the output fit in memory (rnnkit.memory).
"""
import math
import numbers

import torch

from . import memory
from .config import check_seed
from .errors import OptionError
from .model import CharRNN
from .stepper import Stepper
from .text import Vocab

FLOAT32_MAX = 3.4028234663852886e38  # a larger temperature is inf once in a tensor


@torch.no_grad()
def sample(model: CharRNN, vocab: Vocab, length=200, prime="", temperature=1.0, top_k=None,
           top_p=None, argmax=False, seed=None, n=1, device=None):
    """Return `length` new characters after `prime` (the output starts with the prime).
    With no prime the model starts as after a line break (or from a random character, shown,
    if the vocabulary has no newline).

    temperature: a number, or a list with one temperature per sample (then n = its length).
    Returns a str when one sample is asked for, else a list of str.
    """
    head, steps, rows = _generation(model, vocab, length, prime, temperature, top_k, top_p, argmax, seed, n,
                                    device, keep=True)
    out = torch.empty(rows, length, dtype=torch.long, device=device or next(model.parameters()).device)
    for i, x in enumerate(steps):
        out[:, i] = x
    texts = [vocab.decode(head + row.tolist()) for row in out.cpu()]
    return texts[0] if rows == 1 and not isinstance(temperature, (list, tuple)) else texts


def stream(model: CharRNN, vocab: Vocab, length=200, prime="", temperature=1.0, top_k=None, top_p=None,
           argmax=False, seed=None, device=None, every=256):
    """sample() of one text, given back in pieces as it is generated (about `every`
    characters each, the prime first): "".join(stream(...)) == sample(...) with the same
    arguments. Nothing is kept, so a sample of any length costs no memory."""
    head, steps, _ = _generation(model, vocab, length, prime, temperature, top_k, top_p, argmax, seed, 1,
                                 device, keep=False)
    decode = vocab.decoder()
    ids = head
    for x in steps:
        ids.append(int(x))
        if len(ids) >= every:
            yield decode(ids)
            ids = []
    yield decode(ids, final=True)


def _generation(model, vocab, length, prime, temperature, top_k, top_p, argmax, seed, n, device, keep):
    """(the prime's ids to show, a generator of each step's (rows,) ids, rows)."""
    check_options(temperature, length, top_k, top_p, n, seed, keep)
    many = isinstance(temperature, (list, tuple))
    temps = [float(t) for t in temperature] if many else [float(temperature)] * n
    device = device or next(model.parameters()).device
    B = len(temps)
    if hasattr(model, "args"):  # the state of every row and the output, before any of it exists
        memory.check(memory.sampling_bytes(model.args, B, length, len(prime), keep), device,
                     f"sampling {B:,} x {length:,} characters")
    gen = torch.Generator(device=device)
    gen.manual_seed(seed if seed is not None else torch.seed())
    prime_ids = vocab.encode(prime, what="prime text").to(device) if prime else None
    shown = True
    if prime_ids is None and "\n" in vocab.stoi:
        # No prime: begin where texts begin, after a line break (not shown). A random first
        # character can be half of a multi-byte character in a byte vocabulary and send the
        # model into a script it barely saw (the Wikipedia chapter's samples did).
        prime_ids, shown = vocab.encode("\n").to(device), False
    elif prime_ids is None:  # no newline in the vocabulary: one random character, shown
        prime_ids = torch.randint(len(vocab), (1,), generator=gen, device=device)
    head = prime_ids.tolist() if shown else []
    return head, _steps(model, prime_ids, temps, top_k, top_p, argmax, gen, length), B


@torch.no_grad()
def _steps(model, prime_ids, temps, top_k, top_p, argmax, gen, length, chunk=4096):
    was_training = model.training
    model.eval()
    try:
        B, device = len(temps), prime_ids.device
        # Warm the state on all but the last prime character, one row (every row's is the
        # same) and a chunk at a time (a long prime costs no more memory than a short one).
        state = model.init_state(1, device)
        for s in range(0, len(prime_ids) - 1, chunk):
            _, state = model(prime_ids[s:min(s + chunk, len(prime_ids) - 1)].unsqueeze(0), state)
        state = [tuple(t.expand(B, -1).contiguous() for t in s) if isinstance(s, tuple)
                 else s.expand(B, -1).contiguous() for s in state]
        x = prime_ids[-1].expand(B)
        t = torch.tensor(temps, device=device).unsqueeze(1)
        greedy = (t == 0) | argmax
        stepper = Stepper(model) if isinstance(model, CharRNN) else model
        any_greedy, inv_t = bool(greedy.any()), 1 / t.clamp_min(1e-8)
        for _ in range(length):
            logits, state = stepper.step(x, state)
            if top_k is not None:
                kth = torch.topk(logits, min(top_k, logits.shape[1]), dim=1).values[:, -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            probs = torch.softmax(logits * inv_t, dim=1)
            if top_p is not None:
                probs = nucleus(probs, top_p)
            drawn = torch.multinomial(probs, 1, generator=gen).squeeze(1)
            x = torch.where(greedy.squeeze(1), logits.argmax(1), drawn) if any_greedy else drawn
            yield x
    finally:
        model.train(was_training)


def scaled_logits(logits, temperature):
    """logits / temperature (> 0) that never overflow: the largest becomes 0 first, so a tiny
    temperature sends the others to -inf (argmax) rather than every one to inf (nan); below
    float32's smallest normal number it would round to 0, so it stops there."""
    return (logits - logits.amax(-1, keepdim=True)) / max(temperature, 1e-37)


def check_options(temperature, length, top_k=None, top_p=None, n=1, seed=None, keep=True):
    """OptionError for settings sample() cannot honour, before any work is done (keep=False:
    the output is streamed, not kept, so its length costs no memory)."""
    if isinstance(temperature, (list, tuple)):
        temps, rows = temperature, len(temperature)
        if not temps:
            raise OptionError("need at least one temperature")
    else:
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise OptionError(f"n, the number of samples, must be at least 1, got {n!r}")
        temps, rows = [temperature], n
    for t in temps:
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not (math.isfinite(t) and 0 <= t <= FLOAT32_MAX):
            raise OptionError(f"temperature must be a finite number from 0 to {FLOAT32_MAX:.3g}, got {t!r}")
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        raise OptionError(f"length must be a whole number >= 0, got {length!r}")
    if top_k is not None and (not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1):
        raise OptionError(f"top_k must be at least 1, got {top_k!r}")
    if top_p is not None and not (isinstance(top_p, numbers.Real) and 0 < top_p <= 1):  # also refuses nan
        raise OptionError(f"top_p must be in (0, 1], got {top_p}")
    check_seed(seed)
    # the output alone, before the model is known (sample() adds the state once it is)
    memory.check(rows * length * memory.PER_CHAR * keep, "cpu", f"length {length:,} x {rows:,} sample(s)")


def nucleus(probs, p):
    """Zero all but the smallest set of most likely entries of each row whose mass reaches p
    (the most likely entry always stays); multinomial renormalises."""
    sorted_p, order = probs.sort(dim=1, descending=True)
    before = sorted_p.cumsum(1) - sorted_p  # mass of the more likely entries
    drop = (before >= p)
    drop[:, 0] = False
    return probs.scatter(1, order, sorted_p.masked_fill(drop, 0.0))

