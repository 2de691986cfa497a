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

The targets (issue 23): the LSTM at or below 1.43 within 600 CPU seconds, and below nanoGPT's A100
figure, 1.4697 (issue 14's target for 600), within 200 (a second, shorter race of the LSTM alone).
Each LSTM schedule is sized to its budget by timing the step on this machine (size_schedule).
The LSTM is rnnkit itself: presets.get("tinyshakespeare", "cpu", **OVERRIDES) driven by
Trainer.train_step(), stopping at the budget or at the config's max_steps; the GPT is
rnnkit.tasks.gpt.GPTTrainer (the model and loop live in the library, the chapters race them too).

    python benchmarks/quality.py                        # the races, ~15 quiet minutes
    python benchmarks/quality.py --no-gpt --set lr=4e-3  # explore an LSTM setting alone
"""
import ast
import os
import time

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
RAISED = 1.43  # issue 23: the 600-CPU-s race's goal, once bf16 made the first one easy where it pays
# The tuned LSTM (benchmarks/README.md): many small updates (batch 16 x BPTT 32), the lr halved
# seven times over the run (to lr/128), embed 64. Until issue 23 it was the 0.88M-parameter 2x256
# at lr 6e-3 (11,500 steps, 1.456 in fp32). Where bf16 pays, a CPU second buys more: 2x256 then
# runs ~24,000 steps in 600 CPU s and over-fits (1.492), and a wider model with dropout wins
# (one run each, bf16, 2-core Zen 4: 2x384 dropout 0.1 lr 4e-3 1.436; 2x448 dropout 0.15 lr 4e-3
# 1.432; 2x512 dropout 0.25 lr 3e-3 1.443; 2x384 dropout 0.2 1.455). max_steps and
# lr_decay_every are sized to the budget here (size_schedule); these are for --budget-wall.
TUNED = dict(hidden=448, dropout=0.15, batch_size=16, seq_len=32, lr=4e-3, lr_decay=0.5, lr_decay_every=1140,
             max_steps=8000)
OVERRIDES = dict(split=SPLIT, **TUNED)
# The short race (issue 23): 200 CPU seconds, the same target. The 0.88M-parameter 2x256 without
# dropout: ~8,000 steps in bf16 (a wider model gets too few); lr 5e-3 ended at 1.463 where 6e-3
# ended at 1.474 (one run each, bf16, Zen 4).
SHORT_BUDGET, SHORT = 200.0, dict(hidden=256, dropout=0.0, lr=5e-3)
# A schedule is sized to the budget on the machine that runs it (size_schedule): the steps
# the budget buys at this machine's measured speed, the lr halved HALVINGS times over them
# (to lr/128, as in TUNED). A fixed step count stops early on a slow machine, with the lr still
# high, and leaves budget unused on a fast one (11,500 steps took 290 of 600 CPU s in bf16).
HALVINGS, SPEED_MARGIN = 7, 0.97  # a lane's speed varies by ~10% from the probe's, either way


def splits(text, quick=False):
    """Train and val ids of the 90/10 split, and the vocabulary size (ids as Trainer makes them)."""
    if quick:
        text = text[:60000]
    vocab = Vocab.from_text(text)
    train, val, _ = split(vocab.encode_symbols(text), SPLIT)
    return train, val, len(vocab)


def size_schedule(overrides, text, budget, probe_s=3.0):
    """overrides with max_steps and lr_decay_every sized to `budget` CPU seconds: the LSTM's own
    train step timed here (process CPU time, this process's threads) for probe_s after a warm-up."""
    runner = LSTMRunner(presets.get("tinyshakespeare", "cpu", **overrides), text)
    for _ in range(10):
        runner.train_step()
    t0, n = time.process_time(), 0
    while time.process_time() - t0 < min(probe_s, budget / 20):
        runner.train_step()
        n += 1
    rate = n / max(1e-9, time.process_time() - t0)
    steps = max(HALVINGS + 1, int(SPEED_MARGIN * rate * budget))
    return {**overrides, "max_steps": steps, "lr_decay_every": max(1, steps // HALVINGS)}, rate


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
    p.add_argument("--no-short", action="store_true", help=f"skip the short race ({SHORT_BUDGET:.0f} CPU s)")
    p.add_argument("--precision", choices=PRECISIONS, default="auto", help="both models' training arithmetic "
                   "(default auto: bf16 autocast for each model only where a probe measures it faster here)")
    p.add_argument("--steps", type=int, help="a fixed LSTM max_steps, lr halved every quarter of "
                   "them, instead of a schedule sized to the budget by timing the step here")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="more overrides for the LSTM")
    p.add_argument("--also", action="append", default=[], metavar="'KEY=VALUE ...'",
                   help="race one more LSTM: these overrides on top of --set's (exploring; repeatable)")
    p.set_defaults(threads=1)  # CPU seconds go furthest on one thread each (issue 14's figures: one thread)
    args = p.parse_args(argv)
    common.setup(args)

    text = common.load_text()
    given = parse_set(args.set)
    overrides = {**OVERRIDES, "precision": args.precision, **given}
    if args.steps:
        overrides.update(max_steps=args.steps, lr_decay_every=max(1, args.steps // 4))
    wall = args.budget_wall is not None
    budget = args.budget_wall if wall else args.budget_cpu
    short_overrides = {**overrides, **SHORT}
    if args.quick:
        text, budget, wall = text[:60000], 4.0, False
        tiny = dict(n_layers=1, hidden=32, batch_size=8, seq_len=32, dropout=0.0)
        overrides.update(tiny)
        short_overrides.update(tiny)
    sized = not (wall or args.steps or "max_steps" in given)

    def schedule(over, seconds, label):
        if not sized:
            return over
        over, rate = size_schedule(over, text, seconds)
        print(f"{label}: {rate:.1f} steps per CPU s here -> {over['max_steps']:,} steps in {seconds:.0f} CPU s, "
              f"lr halved every {over['lr_decay_every']:,}", flush=True)
        return over

    overrides = schedule(overrides, budget, "schedule")
    lstm = LSTMRunner(presets.get("tinyshakespeare", "cpu", **overrides), text)
    runners = [lstm]
    for k, more in enumerate(args.also):
        more = parse_set(more.split())
        over = {**overrides, **more} if "max_steps" in more else schedule({**overrides, **more}, budget, str(more))
        extra = LSTMRunner(presets.get("tinyshakespeare", "cpu", **over), text)
        extra.name += " (" + " ".join(f"{k}={v}" for k, v in more.items()) + ")"
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

    what = lambda r: (f"val {r['val']:.3f} ({r['params'] / 1e6:.2f}M params, {r['steps']} steps, "
                      f"{r['cpu_s']:.0f} CPU s / {r['wall_s']:.0f} wall s)")
    short_rows = []
    if not (args.no_gpt or args.no_short or wall):
        # the short race: the same LSTM, its own schedule sized to SHORT_BUDGET, alone
        seconds = 2.0 if args.quick else SHORT_BUDGET
        short = LSTMRunner(presets.get("tinyshakespeare", "cpu", **schedule(short_overrides, seconds,
                                                                             "short schedule")), text)
        short.name += f" ({seconds:.0f} CPU s)"
        S = race([short], seconds, slice_s=min(args.slice, seconds), curve_every=None)[short.name]
        short_rows.append(common.row(f"1b. quality within {seconds:.0f} CPU s (the LSTM alone, its schedule sized "
                                     "to the budget)", what(S), "-", f"val < {TARGET} (nanoGPT, A100)",
                                     S["val"] < TARGET, lstm=S, budget=seconds))
        print(f"target: rnnkit LSTM val {S['val']:.4f} after {S['cpu_s']:.0f} CPU s: "
              f"{'below' if S['val'] < TARGET else 'NOT below'} nanoGPT's A100 figure {TARGET}", flush=True)

    L = res[lstm.name]
    unit = "wall" if wall else "CPU"
    rows = [common.row(f"1. (explored) {r.name}", what(res[r.name]), "-", f"val < {TARGET}",
                       res[r.name]["val"] < TARGET, lstm=res[r.name]) for r in runners[1 + (not args.no_gpt):]]
    if args.no_gpt:
        rows.append(common.row(f"1. quality, {budget:.0f} {unit} s (LSTM alone)", what(L), "-",
                               f"val < {TARGET}", L["val"] < TARGET, lstm=L))
    else:
        G = res[runners[1].name]
        met = L["val"] <= RAISED and L["val"] < G["val"]
        rows.append(common.row(f"1. quality per CPU-minute, {budget:.0f} {unit} s each, 90/10 split",
                               what(L), "GPT " + what(G), f"val <= {RAISED} (raised from nanoGPT's {TARGET}) "
                               "and < GPT", met,
                               lstm=L, gpt=G, budget=budget, budget_unit=unit))
    verdict = "below" if L["val"] < TARGET else "NOT below"
    print(f"target: rnnkit LSTM val {L['val']:.4f} over the whole last 10% after {L['cpu_s']:.0f} CPU s: "
          f"{verdict} nanoGPT's A100 figure {TARGET}", flush=True)
    return common.report(rows[::-1] + short_rows, args, "quality")


if __name__ == "__main__":
    main()
