"""GPU training step: the article's 2x512, batch 100, BPTT 100 through Trainer.train_step.

On a CUDA machine this times rnnkit's step (cuDNN LSTM) and a bare nn.LSTM loop beside it;
the target is <= 10 ms per step on an H100. Without CUDA the row says "no GPU".
"""
import torch

import common
from train_speed import BareLSTM
from rnnkit import presets
from rnnkit.train import Trainer

TARGET_MS = 10.0


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--steps", type=int, default=50)
    args = p.parse_args(argv)
    common.setup(args)
    name = "5. GPU train step 2x512 b100 T100"
    if not torch.cuda.is_available():
        return common.report([common.row(name, "no GPU", "-", f"<= {TARGET_MS:.0f} ms (H100)", None)], args, "gpu")

    steps = 5 if args.quick else args.steps
    text = common.load_text()
    cfg = presets.get("tinyshakespeare", "gpu", n_layers=2, hidden=512, batch_size=100, seq_len=100,
                      dropout=0.0, embed=0)
    trainer = Trainer(cfg, text=text, device="cuda")
    bare = BareLSTM(trainer.splits["train"], len(trainer.vocab), 2, 512, 100, 100)
    bare.lstm.cuda(), bare.head.cuda()
    bare.batches.x, bare.batches.y = bare.batches.x.cuda(), bare.batches.y.cuda()

    def many(f):
        def run():
            for _ in range(steps):
                f()
            torch.cuda.synchronize()
        return run

    t = common.interleave({"rnnkit": many(trainer.train_step), "bare": many(bare.step)}, rounds=5, warmup=1)
    ms = {k: 1000 * common.median(v["wall"]) / steps for k, v in t.items()}
    rows = [common.row(f"{name} ({torch.cuda.get_device_name(0)})", f"rnnkit {ms['rnnkit']:.1f} ms/step",
                       f"nn.LSTM loop {ms['bare']:.1f} ms/step", f"<= {TARGET_MS:.0f} ms (H100)",
                       ms["rnnkit"] <= TARGET_MS, times=t, steps=steps)]
    return common.report(rows, args, "gpu")


if __name__ == "__main__":
    main()
