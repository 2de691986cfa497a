"""What one more generated character costs as the context grows: an LSTM against a GPT.

    rows = generation_cost(lstm, gpt, contexts=(64, 256, 1024, 4096), reps=3)

For every context length L (characters already read), the time to produce the next
character's distribution and the memory carried from one character to the next:
  LSTM            one Stepper step from its state; the state is n_layers x (h, c) whatever L
  GPT, no cache   a forward pass over the last L characters (all of them recomputed); carries
                  only the L ids, but does L positions of work per layer, and L^2 attention
  GPT, KV cache   one position attending to L cached keys; carries the cache,
                  2 x layers x L x width numbers
add_recurrent(rows, model, "mingru") adds another recurrent model's columns (any model with
forward(idx, state) and step(idx_t, state), chapter 18's minGRU): its state, too, has one size.
Times are process CPU seconds per character (median of `reps`), so a busy machine inflates
them less than wall time. The GPT must be built with context >= max(contexts); its weights
do not matter for the cost (an untrained model costs what a trained one does).
"""
import statistics
import time

import torch

from ..tasks.gpt import cache_bytes
from ..stepper import Stepper


def _cpu_ms(fn, reps):
    times = []
    for _ in range(reps):
        c0 = time.process_time()
        fn()
        times.append((time.process_time() - c0) * 1e3)
    return statistics.median(times)


@torch.no_grad()
def generation_cost(lstm, gpt, contexts=(64, 256, 1024, 4096), reps=3, seed=0):
    """A list of rows {context, lstm_ms, gpt_ms, gpt_cache_ms, lstm_bytes, gpt_bytes,
    gpt_cache_bytes} (ms: CPU milliseconds per generated character)."""
    if max(contexts) > gpt.context:
        raise ValueError(f"the GPT's context {gpt.context} is shorter than {max(contexts)}")
    lstm.eval()
    gpt.eval()
    gen = torch.Generator().manual_seed(seed)
    V = min(lstm.vocab_size, gpt.args["vocab_size"])
    stepper = Stepper(lstm)
    state_numbers = sum(t.numel() for s in lstm.init_state(1) for t in (s if isinstance(s, tuple) else (s,)))
    rows = []
    for L in contexts:
        ids = torch.randint(V, (1, L + reps + 1), generator=gen)
        # LSTM: read L characters (fast path), then time single steps from that state
        _, state = lstm(ids[:, :L])
        box = {"state": state, "i": L}

        def lstm_step():
            _, box["state"] = stepper.step(ids[:, box["i"]], box["state"])
            box["i"] += 1

        lstm_ms = _cpu_ms(lstm_step, reps)
        # GPT without a cache: the whole window again for each character
        window = ids[:, :L]
        gpt_ms = _cpu_ms(lambda: gpt(window)[:, -1], reps)
        # GPT with a KV cache: fill it with L-1 positions, then time one new position each
        cache = gpt.new_cache()
        gpt(ids[:, :L - 1], cache)
        pos = {"i": L - 1}

        def cached_step():
            gpt(ids[:, pos["i"]:pos["i"] + 1], cache)
            pos["i"] += 1
            for c in cache:  # keep the cache at L - 1 positions: each rep sees context L
                c["k"], c["v"] = c["k"][:, :, :L - 1], c["v"][:, :, :L - 1]

        cache_ms = _cpu_ms(cached_step, reps)
        rows.append(dict(context=L, lstm_ms=lstm_ms, gpt_ms=gpt_ms, gpt_cache_ms=cache_ms,
                         lstm_bytes=4 * state_numbers, gpt_bytes=8 * L, gpt_cache_bytes=cache_bytes(gpt, L)))
    return rows


@torch.no_grad()
def add_recurrent(rows, model, key, reps=3, seed=0):
    """Add f"{key}_ms" (CPU ms per character: one model.step after reading `context`
    characters on the fast path) and f"{key}_bytes" (its state) to each of generation_cost's
    rows. Returns the rows."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    state_bytes = 4 * sum(h.numel() for h in model.init_state(1))
    for row in rows:
        L = row["context"]
        ids = torch.randint(model.vocab_size, (1, L + reps + 1), generator=gen)
        _, state = model(ids[:, :L])
        box = {"state": state, "i": L}

        def one_step():
            _, box["state"] = model.step(ids[:, box["i"]], box["state"])
            box["i"] += 1

        row[f"{key}_ms"], row[f"{key}_bytes"] = _cpu_ms(one_step, reps), state_bytes
    return rows
