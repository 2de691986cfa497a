"""bf16 against fp32 on this machine: matrix products, LSTM training steps, and what bf16 costs.

Three measurements (issue 23), one thread unless --threads says otherwise:
  12a. matmul GFLOP/s in fp32 and in bf16 at the LSTM's shapes (rows x 512 @ 512 x 2048: a
       2x512 LSTM's four gates), the best of several runs: this machine's peak per dtype
  12b. a Trainer.train_step at the book's sizes in fp32 and under bf16 autocast (interleaved,
       median of paired ratios), and what rnnkit.precision's "auto" picks for each size
  12c. numerics: the race's LSTM (benchmarks/quality.py's tuned settings) trained the same
       number of steps in fp32 and in bf16 (--steps, default 1,500: a short run, not the race's
       11,500), each scored on the WHOLE last 10%; the goal is a difference below 0.01 nats/char

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bf16.py [--quick] [--steps N] [--json F]
"""
import time

import torch

import common
from rnnkit import precision, presets
from rnnkit.tasks.race import score_stream
from rnnkit.train import Trainer

MATMULS = [(64, 512, 2048), (256, 512, 2048)]  # (rows, inner, columns): the shapes
QUICK_MATMULS = [(16, 64, 128)]
STEPS = [  # (layers, hidden, batch, bptt, rounds): the race's and the book's sizes, then bigger ones
    (2, 256, 16, 32, 15),
    (2, 512, 64, 64, 5),
    (2, 512, 128, 64, 3),
]
QUICK_STEPS = [(1, 32, 8, 16, 2)]
NUMERICS_GOAL = 0.01  # nats/char between the bf16 and the fp32 run


def matmul_gflops(m, k, n, dtype, seconds=0.5):
    """Best-of GFLOP/s of (m x k) @ (k x n) in `dtype` over about `seconds`."""
    a, b = torch.randn(m, k).to(dtype), torch.randn(k, n).to(dtype)
    torch.mm(a, b)  # warm up (kernel selection, packing)
    best, t_end = float("inf"), time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2 * m * k * n / best / 1e9


def peaks(shapes=MATMULS):
    """{dtype name: the best GFLOP/s over the shapes}, and the rows for each shape."""
    rows, peak = [], {"fp32": 0.0, "bf16": 0.0}
    for m, k, n in shapes:
        g = {name: matmul_gflops(m, k, n, dt) for name, dt in (("fp32", torch.float32), ("bf16", torch.bfloat16))}
        for name in g:
            peak[name] = max(peak[name], g[name])
        rows.append(common.row(f"12a. matmul {m}x{k} @ {k}x{n}", f"bf16 {g['bf16']:.0f} GFLOP/s "
                               f"({g['bf16'] / g['fp32']:.1f}x)", f"fp32 {g['fp32']:.0f} GFLOP/s", "-", None,
                               speedup=g["bf16"] / g["fp32"], gflops=g))
    return rows, peak


def step_flops(cfg, vocab_size):
    """Multiply-add FLOPs of one training step (forward x 3: the backward costs about twice the
    forward): the LSTM's gate products per layer and the output head."""
    H, B, T = cfg.hidden, cfg.batch_size, cfg.seq_len
    first_in = cfg.embed or vocab_size
    gates = sum(2 * B * T * ((first_in if i == 0 else H) + H) * 4 * H for i in range(cfg.n_layers))
    return 3 * (gates + 2 * B * T * H * vocab_size)


def trainers(text, layers, hidden, batch, bptt):
    """An fp32 and a bf16 Trainer of the same config (the race's: embed 64, Adam, clip 5)."""
    kw = dict(n_layers=layers, hidden=hidden, batch_size=batch, seq_len=bptt, dropout=0.0)
    return {p: Trainer(presets.get("tinyshakespeare", "cpu", precision=p, **kw), text=text, device="cpu")
            for p in ("fp32", "bf16")}


def step_row(text, layers, hidden, batch, bptt, rounds, peak, target="12b."):
    label = f"{target} train step {layers}x{hidden} b{batch} T{bptt}, fp32 vs bf16"
    why = precision.bf16_refusal("cpu", "lstm")
    if why:  # an AVX2-only CPU: no bf16 LSTM kernel, so `auto` trains in fp32 and there is nothing to compare
        return common.row(label, f"bf16 not measured: no bf16 LSTM kernel on this CPU ({why})", "-", "-", None,
                          auto="fp32", refusal=why)
    t = trainers(text, layers, hidden, batch, bptt)
    times = common.interleave({p: tr.train_step for p, tr in t.items()}, rounds, warmup=1)
    ms = {p: 1000 * common.median(times[p]["wall"]) for p in t}
    flops = step_flops(t["fp32"].cfg, len(t["fp32"].vocab))
    share = {p: flops / (ms[p] / 1000) / 1e9 / peak[p] for p in t}
    auto = precision.resolve("auto", "cpu", dict(cell="lstm", n_layers=layers, hidden=hidden, batch=batch, seq=bptt))
    speedup = 1 / common.ratio(times["bf16"]["wall"], times["fp32"]["wall"])
    return common.row(label,
                      f"bf16 {ms['bf16']:.0f} ms ({speedup:.1f}x; {share['bf16']:.0%} of bf16 peak)",
                      f"fp32 {ms['fp32']:.0f} ms ({share['fp32']:.0%} of fp32 peak)", "-", None,
                      speedup=speedup, ms=ms, peak_share=share, auto=auto, flops=flops, rounds=rounds)


def numerics(text, steps, quick=False):
    """The race's LSTM trained `steps` steps in fp32 and in bf16, each scored on the whole last 10%."""
    import quality
    why = precision.bf16_refusal("cpu", "lstm")
    if why:
        return common.row(f"12c. bf16 vs fp32, the race's LSTM, {steps} steps, whole last 10%",
                          f"not measured: no bf16 LSTM kernel on this CPU ({why})", "-",
                          f"|difference| < {NUMERICS_GOAL}", None, refusal=why)
    over = {**quality.OVERRIDES, "max_steps": steps, "lr_decay_every": max(1, steps // 7), "eval_every": steps}
    if quick:
        over.update(n_layers=1, hidden=32, batch_size=8)
    val = {}
    for p in ("fp32", "bf16"):
        t = Trainer(presets.get("tinyshakespeare", "cpu", precision=p, **over), text=text, device="cpu")
        t0 = time.process_time()
        for _ in range(steps):
            t.train_step()
        cpu_s = time.process_time() - t0
        val[p] = dict(val=score_stream(t.model, t.splits["val"]), cpu_s=cpu_s)
        print(f"  {p}: val {val[p]['val']:.4f} after {steps} steps ({cpu_s:.0f} CPU s)", flush=True)
    diff = abs(val["bf16"]["val"] - val["fp32"]["val"])
    return common.row(f"12c. bf16 vs fp32, the race's LSTM, {steps} steps, whole last 10%",
                      f"bf16 val {val['bf16']['val']:.4f} ({val['bf16']['cpu_s']:.0f} CPU s)",
                      f"fp32 val {val['fp32']['val']:.4f} ({val['fp32']['cpu_s']:.0f} CPU s)",
                      f"|difference| < {NUMERICS_GOAL}", diff < NUMERICS_GOAL, difference=diff, runs=val,
                      overrides={k: v for k, v in over.items() if k != "split"})


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--steps", type=int, default=1500, help="steps of each numerics run (default 1,500)")
    p.add_argument("--no-numerics", action="store_true", help="speed only")
    p.set_defaults(threads=1)
    args = p.parse_args(argv)
    common.setup(args)
    text = common.load_text()
    if args.quick:
        text = text[:60000]
    rows, peak = peaks(QUICK_MATMULS if args.quick else MATMULS)
    rows += [step_row(text, *s, peak) for s in (QUICK_STEPS if args.quick else STEPS)]
    if not args.no_numerics:
        rows.append(numerics(text, 30 if args.quick else args.steps, args.quick))
    return common.report(rows, args, "bf16")


if __name__ == "__main__":
    main()
