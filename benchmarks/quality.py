"""Quality per CPU-minute: rnnkit's cpu LSTM against a small GPT, same budget, same run.

Both models train on Tiny Shakespeare's first 90% and are scored on the last 10%
(nanoGPT's 90/10 split; rnnkit's preset split is 90/5/5, so we override it: split=(0.9, 0.1, 0)).
The budget counts each model's process CPU seconds (or wall seconds with --budget-wall). By
default each model races in its own process on one thread, the two side by side on the two
cores (--lanes): one thread turns a CPU second into the most training (2 threads: 15.2 LSTM
steps per CPU s; 1 thread: 18.9), and issue 14's nanoGPT figures were measured on one thread.
With --lanes 1 the models take turns in one process, a slice of budget each (A B A B ...).
Evaluation is outside the budget, and covers the WHOLE val split (every character after
the first, once): the LSTM as one stream with its state carried (rnnkit.tasks.race.score_stream),
the GPT in windows of its context every half context (rnnkit.tasks.gpt.score_gpt).

The target (issue 14) is nanoGPT's A100 figure, 1.4697, within 600 CPU seconds.
The LSTM is rnnkit itself: presets.get("tinyshakespeare", "cpu", **OVERRIDES) driven by
Trainer.train_step(), stopping at the budget or at the config's max_steps; the GPT is
rnnkit.tasks.gpt.GPTTrainer (the model and loop live in the library, the chapters race them too).

    python benchmarks/quality.py                        # the race, ~11 quiet minutes
    python benchmarks/quality.py --no-gpt --set lr=4e-3  # explore an LSTM setting alone
"""
import ast
import os

import torch

import common
from rnnkit import presets
from rnnkit.config import PRECISIONS
from rnnkit.tasks.gpt import GPTTrainer
from rnnkit.tasks.race import LSTMRunner, race
from rnnkit.text import Vocab, split

SPLIT = (0.9, 0.1, 0.0)
# nanoGPT's shakespeare_char figure on one A100 (6 layers x 384, context 256, ~3 minutes):
# the issue-14 target for rnnkit's LSTM within 600 CPU seconds.
TARGET = 1.4697
# The tuned LSTM (benchmarks/README.md): many small updates (batch 16 x BPTT 32) at lr 6e-3,
# halved every 1,640 steps (seven times: to lr/128); the same 0.88M-parameter 2x256 model with
# embed 64. Halving only every quarter (to lr/8) ended 0.02 higher; lr 8e-3 and 1e-2 higher,
# dropout 0.1 and BPTT 48 did not help within the budget. 11,500 steps take ~570 CPU s on one
# thread here; the budget stops the run first on a slower machine.
TUNED = dict(batch_size=16, seq_len=32, lr=6e-3, lr_decay=0.5, lr_decay_every=1640, max_steps=11500)
OVERRIDES = dict(split=SPLIT, **TUNED)


def splits(text, quick=False):
    """Train and val ids of the 90/10 split, and the vocabulary size (ids as Trainer makes them)."""
    if quick:
        text = text[:60000]
    vocab = Vocab.from_text(text)
    train, val, _ = split(vocab.encode_symbols(text), SPLIT)
    return train, val, len(vocab)


def _lane(runner, budget, threads, race_kw, results):
    torch.set_num_threads(threads)
    results.put(race([runner], budget, **race_kw))


def side_by_side(runners, budget, threads, **race_kw):
    """race() each runner alone in its own process, all at once (one core each with one thread):
    the same CPU-second budget in a fraction of the wall time; a busy neighbour slows every lane."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")  # the children inherit the runners as built (data, seeds)
    results = ctx.Queue()
    lanes = [ctx.Process(target=_lane, args=(r, budget, threads, race_kw, results)) for r in runners]
    for lane in lanes:
        lane.start()
    out = {}
    for _ in lanes:
        out.update(results.get())
    for lane in lanes:
        lane.join()
        if lane.exitcode:
            raise SystemExit(f"quality.py: a race lane failed (exit code {lane.exitcode})")
    return out


def parse_set(items):
    """--set key=value pairs -> overrides (values as Python literals, else strings)."""
    out = {}
    for item in items:
        k, v = item.split("=", 1)
        try:
            out[k] = ast.literal_eval(v)
        except (ValueError, SyntaxError):
            out[k] = v
    return out


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--budget-cpu", type=float, default=600.0, help="process CPU seconds per model (default 600)")
    p.add_argument("--budget-wall", type=float, default=None, help="wall seconds per model, instead of CPU")
    p.add_argument("--slice", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--lanes", type=int, default=None, help="models raced at once, each in its own process "
                   "(default: one per core, up to one per model; 1: all in turns in this process)")
    p.add_argument("--no-gpt", action="store_true", help="the LSTM alone (exploring)")
    p.add_argument("--precision", choices=PRECISIONS, default="auto", help="both models' training arithmetic "
                   "(default auto: bf16 autocast for each model only where a probe measures it faster here)")
    p.add_argument("--steps", type=int, help="LSTM max_steps, lr halved every quarter of them: size the "
                   "schedule to a shorter budget (~24 steps per 1-thread CPU s for the tuned LSTM)")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="more overrides for the LSTM")
    p.add_argument("--also", action="append", default=[], metavar="'KEY=VALUE ...'",
                   help="race one more LSTM: these overrides on top of --set's (exploring; repeatable)")
    p.set_defaults(threads=1)  # CPU seconds go furthest on one thread each (issue 14's figures: one thread)
    args = p.parse_args(argv)
    common.setup(args)

    text = common.load_text()
    overrides = {**OVERRIDES, "precision": args.precision, **parse_set(args.set)}
    if args.steps:
        overrides.update(max_steps=args.steps, lr_decay_every=max(1, args.steps // 4))
    wall = args.budget_wall is not None
    budget = args.budget_wall if wall else args.budget_cpu
    if args.quick:
        text, budget, wall = text[:60000], 4.0, False
        overrides.update(n_layers=1, hidden=32, batch_size=8, seq_len=32)
    lstm = LSTMRunner(presets.get("tinyshakespeare", "cpu", **overrides), text)
    runners = [lstm]
    for k, more in enumerate(args.also):
        extra = LSTMRunner(presets.get("tinyshakespeare", "cpu", **{**overrides, **parse_set(more.split())}), text)
        extra.name += f" ({more})"
        runners.append(extra)
    if not args.no_gpt:
        train, val, V = splits(text)
        assert V == len(lstm.trainer.vocab) and torch.equal(val, lstm.trainer.splits["val"])
        gpt_kw = dict(width=32, heads=2, layers=1) if args.quick else {}
        runners.insert(1, GPTTrainer(train, val, V, precision=args.precision, **gpt_kw))
    if args.lanes is None:
        args.lanes = 1 if args.quick else max(1, min(len(runners), (os.cpu_count() or 1) // args.threads))
    print(f"quality race ({args.lanes} at once): {budget:.0f} {'wall' if wall else 'CPU'} s per model, {args.threads} threads, "
          f"overrides {overrides}; precision " + ", ".join(f"{r.name} {r.config['precision']}" for r in runners),
          flush=True)
    race_kw = dict(wall=wall, slice_s=min(args.slice, budget), curve_every=None if args.quick else budget / 10)
    res = side_by_side(runners, budget, args.threads, **race_kw) if args.lanes > 1 else race(runners, budget, **race_kw)

    L = res[lstm.name]
    unit = "wall" if wall else "CPU"
    what = lambda r: (f"val {r['val']:.3f} ({r['params'] / 1e6:.2f}M params, {r['steps']} steps, "
                      f"{r['cpu_s']:.0f} CPU s / {r['wall_s']:.0f} wall s)")
    rows = [common.row(f"1. (explored) {r.name}", what(res[r.name]), "-", f"val < {TARGET}",
                       res[r.name]["val"] < TARGET, lstm=res[r.name]) for r in runners[1 + (not args.no_gpt):]]
    if args.no_gpt:
        rows.append(common.row(f"1. quality, {budget:.0f} {unit} s (LSTM alone)", what(L), "-",
                               f"val < {TARGET}", L["val"] < TARGET, lstm=L))
    else:
        G = res[runners[1].name]
        met = L["val"] < TARGET and L["val"] < G["val"]
        rows.append(common.row(f"1. quality per CPU-minute, {budget:.0f} {unit} s each, 90/10 split",
                               what(L), "GPT " + what(G), f"val < {TARGET} (nanoGPT, A100) and < GPT", met,
                               lstm=L, gpt=G, budget=budget, budget_unit=unit))
    verdict = "below" if L["val"] < TARGET else "NOT below"
    print(f"target: rnnkit LSTM val {L['val']:.4f} over the whole last 10% after {L['cpu_s']:.0f} CPU s: "
          f"{verdict} nanoGPT's A100 figure {TARGET}", flush=True)
    return common.report(rows[::-1], args, "quality")


if __name__ == "__main__":
    main()
