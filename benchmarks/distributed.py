"""torchrun: 2 CPU processes (gloo, DistributedDataParallel) against 1 process, same global batch.

Each process of the torchrun job trains on its own half of the batch rows; gradients are
averaged, so both runs compute the same model, up to the order of float additions. Those
last-bit differences do not stay small: Adam divides each gradient by its own running size,
so a near-zero gradient whose sign is rounding noise still moves its weight by ~lr, and
training then amplifies the gap (measured: max |w1 - w2| 2e-5 after 1 step, 2e-2 after 30,
0.16 after 60; one process on 1 or 2 threads is bit-identical). So the goal is the same
model as a function: the same val loss to 0.01 nats. tests/test_distributed.py checks the
weights themselves to 1e-4 after 12 smoke-sized steps. Speed: training characters per wall
second, start-up excluded (the trainer's own elapsed time). On one 2-core machine two
processes of 1 thread do not beat one process of 2 threads; the point here is that the same
code scales out to GPUs and nodes (README, "Several GPUs or nodes").
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import common
from rnnkit.checkpoint import load

TOLERANCE = 0.01  # nats/char between the two best val losses


def train(cmd, args, out, threads):
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "PYTHONPATH": str(common.ROOT)}
    r = subprocess.run(cmd + ["-m", "rnnkit", "train"] + args + ["--out", str(out)], capture_output=True,
                       text=True, env=env, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    (ckpt,) = Path(out).glob("*.pt")  # eval only at the end: best == latest, one file
    return load(ckpt)


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--steps", type=int, default=60)
    args = p.parse_args(argv)
    common.setup(args)
    steps, size = (6, ["--num-layers", "1", "--rnn-size", "32", "--batch-size", "8", "--seq-length", "32"]) \
        if args.quick else (args.steps, ["--num-layers", "2", "--rnn-size", "256", "--batch-size", "32",
                                         "--seq-length", "64"])
    train_args = ["--data", "tinyshakespeare", "--preset", "cpu", "--max-steps", str(steps),
                  "--eval-every", str(steps), "--dropout", "0", "--quiet", "--seed", "0"] + size
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        one = train([sys.executable], train_args, Path(tmp) / "one", threads=args.threads)
        two = train(torchrun, train_args, Path(tmp) / "two", threads=1)
    worst = max((one["model"][k] - two["model"][k]).abs().max().item() for k in one["model"])
    gap = abs(one["best_val"] - two["best_val"])
    chars = steps * int(size[size.index("--batch-size") + 1]) * int(size[size.index("--seq-length") + 1])
    speed = {name: chars / ck["elapsed"] for name, ck in (("one", one), ("two", two))}
    rows = [common.row(
        "6. torchrun DDP, 2 gloo processes x 1 thread",
        f"val {two['best_val']:.4f} after {steps} steps (gap {gap:.4f}; max |w1 - w2| {worst:.1e}); "
        f"{speed['two'] / 1000:.1f}k chars/s",
        f"1 process x {args.threads} threads, same global batch: val {one['best_val']:.4f}; "
        f"{speed['one'] / 1000:.1f}k chars/s", f"same val (gap < {TOLERANCE:g})", gap < TOLERANCE,
        val_gap=gap, max_weight_difference=worst, steps=steps, chars_per_s=speed, val=(one["best_val"], two["best_val"]))]
    return common.report(rows, args, "distributed")


if __name__ == "__main__":
    main()
