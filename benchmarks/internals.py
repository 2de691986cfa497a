"""Internals speed: CharRNN.internals (every h, c and gate) against a plain nn.LSTM forward.

Both read the same 100k characters of Tiny Shakespeare at batch 1 through a 2x512 LSTM.
The baseline is one fused nn.LSTM(num_layers=2) forward over the whole sequence, which
returns only the top layer's h: the least a reader could compute. Target: internals at
>= 50% of its chars/s. A profile of a shorter run says where internals spends its time.

Memory: internals of 2x512 over 100k characters is ~2.5 GB of float32 (plus temporaries).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
from rnnkit.model import CharRNN
from rnnkit.text import Vocab

TARGET = 0.5


def profile(model, idx, top=8):
    """Self CPU time of internals' most expensive ops, as fractions of the total."""
    from torch.profiler import ProfilerActivity, profile as prof
    with prof(activities=[ProfilerActivity.CPU]) as p:
        model.internals(idx)
    events = [e for e in p.key_averages() if e.self_cpu_time_total > 0]
    total = sum(e.self_cpu_time_total for e in events)
    events.sort(key=lambda e: -e.self_cpu_time_total)
    return {e.key: {"share": round(e.self_cpu_time_total / total, 3), "calls": e.count} for e in events[:top]}


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--length", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args(argv)
    common.setup(args)
    hidden, length, rounds = (32, 500, 2) if args.quick else (512, args.length, args.rounds)

    text = common.load_text()
    vocab = Vocab.from_text(text)
    V = len(vocab)
    idx = vocab.encode_symbols(text[:length]).long().unsqueeze(0)  # compact ids: one_hot takes int64
    model = CharRNN(V, "lstm", 2, hidden).eval()
    lstm = nn.LSTM(V, hidden, 2, batch_first=True).eval()

    @torch.no_grad()
    def fused():
        return lstm(F.one_hot(idx, V).float())

    t = common.interleave({"internals": lambda: model.internals(idx), "nn.LSTM": fused}, rounds, warmup=0)
    speed = {k: length / common.median(v["wall"]) for k, v in t.items()}
    share = 1 / common.ratio(t["internals"]["wall"], t["nn.LSTM"]["wall"])
    where = profile(model, idx[:, :min(length, 10_000)])
    rows = [common.row(f"4. internals 2x{hidden}, {length:,} chars, batch 1",
                       f"{speed['internals'] / 1000:.2f}k chars/s = {share:.0%} of nn.LSTM",
                       f"nn.LSTM forward {speed['nn.LSTM'] / 1000:.2f}k chars/s", f">= {TARGET:.0%}",
                       share >= TARGET, share=share, rounds=rounds, times=t, profile_10k=where)]
    return common.report(rows, args, "internals")


if __name__ == "__main__":
    main()
