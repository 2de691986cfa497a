"""Training overhead: rnnkit's Trainer.train_step against a bare nn.LSTM loop.

The bare loop is what a reader would write by hand: one nn.LSTM(num_layers=2), a Linear
head, one-hot input, cross-entropy, backward, clip_grad_norm_(5), Adam, state detached.
rnnkit runs the same config (one-hot, no dropout, Adam 2e-3, clip 5) through
Trainer.train_step(), on the same batches, both in fp32. Steps alternate A B A B ...; the
target is rnnkit within 10% of the bare loop (median of paired per-round ratios, wall time).

Rows 2b (issue 23): the same Trainer step in fp32 and under bf16 autocast at the race's and the
book's size, each as a fraction of this machine's matmul peak in its own dtype (benchmarks/bf16.py
measures the peaks, the same way, and more sizes).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import bf16
import common
from rnnkit import presets
from rnnkit.text import Batches
from rnnkit.train import Trainer

CONFIGS = [  # (layers, hidden, batch, bptt, rounds)
    (2, 512, 100, 100, 7),
    (2, 256, 64, 100, 15),
]
QUICK = [(2, 32, 8, 16, 3)]
PRECISION_SIZES = [(2, 256, 16, 32, 15), (2, 256, 50, 50, 9)]  # the race's LSTM; the book's cpu batches
LIMIT = 1.10


class BareLSTM:
    def __init__(self, train_ids, vocab_size, layers, hidden, batch, bptt, lr=2e-3, clip=5.0):
        torch.manual_seed(1337)
        self.V, self.clip = vocab_size, clip
        self.lstm = nn.LSTM(vocab_size, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)
        self.params = list(self.lstm.parameters()) + list(self.head.parameters())
        self.opt = torch.optim.Adam(self.params, lr=lr)
        self.batches = Batches(train_ids, batch, bptt)
        self.state = None

    def step(self):
        x, y, reset = self.batches.next()
        out, state = self.lstm(F.one_hot(x, self.V).float(), None if reset else self.state)
        loss = F.cross_entropy(self.head(out).flatten(0, 1), y.flatten())
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, self.clip)
        self.opt.step()
        self.state = tuple(s.detach() for s in state)
        return loss.item()


def compare(text, layers, hidden, batch, bptt, rounds):
    cfg = presets.get("tinyshakespeare", "cpu", n_layers=layers, hidden=hidden, batch_size=batch, seq_len=bptt,
                      embed=0, dropout=0.0, lr=2e-3, lr_decay=1.0, grad_clip=5.0, precision="fp32")
    trainer = Trainer(cfg, text=text, device="cpu")
    bare = BareLSTM(trainer.splits["train"], len(trainer.vocab), layers, hidden, batch, bptt)
    t = common.interleave({"rnnkit": trainer.train_step, "bare": bare.step}, rounds, warmup=2)
    r_wall = common.ratio(t["rnnkit"]["wall"], t["bare"]["wall"])
    r_cpu = common.ratio(t["rnnkit"]["cpu"], t["bare"]["cpu"])
    ms = lambda k: 1000 * common.median(t[k]["wall"])
    name = f"2. train step {layers}x{hidden} b{batch} T{bptt}"
    chars = batch * bptt
    return common.row(
        name, f"rnnkit {ms('rnnkit'):.0f} ms/step ({chars / ms('rnnkit'):.1f}k chars/s), ratio {r_wall:.3f}",
        f"nn.LSTM loop {ms('bare'):.0f} ms/step", f"ratio <= {LIMIT:.2f}", r_wall <= LIMIT,
        ratio_wall=r_wall, ratio_cpu=r_cpu, params=trainer.model.n_params(), rounds=rounds, times=t)


def main(argv=None):
    args = common.parser(__doc__).parse_args(argv)
    common.setup(args)
    text = common.load_text()
    if args.quick:
        text = text[:50000]
    rows = [compare(text, *c) for c in (QUICK if args.quick else CONFIGS)]
    _, peak = bf16.peaks(bf16.QUICK_MATMULS if args.quick else bf16.MATMULS)
    rows += [bf16.step_row(text, *c, peak, target="2b.") for c in (QUICK if args.quick else PRECISION_SIZES)]
    return common.report(rows, args, "train_speed")


if __name__ == "__main__":
    main()
