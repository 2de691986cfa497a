"""Sampling speed: rnnkit's batch-1 sampling against nn.LSTM stepped one character at a time.

rnnkit.sample steps with a Stepper (the hand-written cell, weights laid out once); the baseline is what a reader
writes with torch's module: nn.LSTM(num_layers=2) called on one character per call, then
the head, softmax, multinomial. Both 2x512, one-hot input, untrained weights (the speed
does not depend on them). Also: a grid of 15 temperatures (one batched call,
sample(temperature=[...]))
against one sample of the same length: the slider's grid should cost about one sample.
Batch 1 is bound by reading the weights, 15 rows by arithmetic (15x the flops of one
row, at the small-matrix speed of the CPU's sgemm), so the grid's floor here is several
one-row samples; the table also gives it against one nn.LSTM sample.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
from rnnkit.model import CharRNN
from rnnkit.sample import sample
from rnnkit.text import Vocab

TEMPS = [round(0.1 * k, 1) for k in range(1, 16)]  # 0.1 ... 1.5: 15 temperatures


@torch.no_grad()
def nn_lstm_sample(lstm, head, V, length, temperature=1.0, seed=0):
    gen = torch.Generator().manual_seed(seed)
    x, state, out = torch.zeros((), dtype=torch.long), None, []
    for _ in range(length):
        h, state = lstm(F.one_hot(x, V).float().view(1, 1, V), state)
        probs = torch.softmax(head(h[0, 0]) / temperature, dim=0)
        x = torch.multinomial(probs, 1, generator=gen)[0]
        out.append(x)
    return torch.stack(out)


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--length", type=int, default=400)
    p.add_argument("--rounds", type=int, default=7)
    args = p.parse_args(argv)
    common.setup(args)
    hidden, length, rounds = (32, 20, 2) if args.quick else (512, args.length, args.rounds)

    vocab = Vocab.from_text(common.load_text())
    V = len(vocab)
    model = CharRNN(V, "lstm", 2, hidden).eval()
    lstm, head = nn.LSTM(V, hidden, 2, batch_first=True).eval(), nn.Linear(hidden, V).eval()
    t = common.interleave({
        "rnnkit": lambda: sample(model, vocab, length=length, prime="T", seed=0),
        "nn.LSTM": lambda: nn_lstm_sample(lstm, head, V, length),
        "grid": lambda: sample(model, vocab, length=length, prime="T", temperature=TEMPS, seed=0),
    }, rounds)
    ms = {k: 1000 * common.median(v["wall"]) / length for k, v in t.items()}
    speedup = common.ratio(t["nn.LSTM"]["wall"], t["rnnkit"]["wall"])
    grid = common.ratio(t["grid"]["wall"], t["rnnkit"]["wall"])
    grid_vs_lstm = common.ratio(t["grid"]["wall"], t["nn.LSTM"]["wall"])
    rows = [
        common.row(f"3. sampling batch 1, 2x{hidden}", f"rnnkit {ms['rnnkit']:.2f} ms/char, {speedup:.1f}x faster",
                   f"nn.LSTM per char {ms['nn.LSTM']:.2f} ms/char", ">= 3x faster", speedup >= 3,
                   speedup=speedup, length=length, rounds=rounds, times=t),
        common.row(f"3. temperature grid, {len(TEMPS)} in one call", f"{grid:.2f}x one sample ({ms['grid']:.2f} ms/char)",
                   f"{len(TEMPS)} one by one: {len(TEMPS)}x; one nn.LSTM sample: grid = {grid_vs_lstm:.2f}x it",
                   "<= 2x one sample", grid <= 2, ratio=grid, ratio_to_nn_lstm_sample=grid_vs_lstm,
                   temperatures=TEMPS),
    ]
    return common.report(rows, args, "sampling")


if __name__ == "__main__":
    main()
