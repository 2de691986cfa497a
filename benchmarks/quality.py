"""Quality per CPU-minute: rnnkit's cpu LSTM against a small GPT, same budget, same run.

Both models train on Tiny Shakespeare's first 90% and are scored on the last 10%
(nanoGPT's 90/10 split; rnnkit's preset split is 90/5/5, so we override it: split=(0.9, 0.1, 0)).
The two take turns in one process, a slice of budget each (A B A B ...), so a busy
neighbour slows both alike. The budget counts process CPU seconds by default (2 threads x
300 s = 600 s, what five quiet wall minutes give), or wall seconds with --budget-wall.
Evaluation is outside the budget.

The LSTM is rnnkit itself: presets.get("tinyshakespeare", "cpu", **OVERRIDES) driven by
Trainer.train_step(), stopping at the budget or at the config's max_steps.

    python benchmarks/quality.py                        # the race, ~10 quiet minutes
    python benchmarks/quality.py --no-gpt --set lr=4e-3  # explore an LSTM setting alone
"""
import ast
import math

import torch

import common
from gpt import GPTRunner
from rnnkit import presets
from rnnkit.text import Vocab, split
from rnnkit.train import Trainer

SPLIT = (0.9, 0.1, 0.0)
TARGET = 1.65
# The tuned LSTM (benchmarks/README.md): more, smaller updates and a higher lr than the preset,
# halved every quarter of the run. The same 0.88M-parameter 2x256 model with embed 64.
# max_steps is sized to ~600 CPU s on 2 threads; the budget stops it first if the machine is slower.
TUNED = dict(batch_size=16, seq_len=32, lr=8e-3, lr_decay=0.5, lr_decay_every=2500, max_steps=10000)
OVERRIDES = dict(split=SPLIT, **TUNED)


def splits(text, quick=False):
    """Train and val ids of the 90/10 split, and the vocabulary size (ids as Trainer makes them)."""
    if quick:
        text = text[:60000]
    vocab = Vocab.from_text(text)
    train, val, _ = split(vocab.encode_symbols(text), SPLIT)
    return train, val, len(vocab)


class LSTMRunner:
    """rnnkit's Trainer, one train_step() at a time."""

    def __init__(self, cfg, text):
        self.cfg = cfg
        self.trainer = Trainer(cfg, text=text, device="cpu")
        self.name = f"rnnkit LSTM {cfg.n_layers}x{cfg.hidden}"
        self.steps, self.chars, self.progress = 0, 0, 0.0
        self.config = {k: v for k, v in vars(cfg).items() if k not in ("data", "scale")}

    def n_params(self):
        return self.trainer.model.n_params()

    def step(self):
        loss = self.trainer.train_step()
        self.steps += 1
        self.chars += self.cfg.batch_size * self.cfg.seq_len
        return loss

    def done(self):
        return self.trainer.step >= self.cfg.max_steps

    def evaluate(self, max_chars=None):
        t = self.trainer
        if max_chars:  # quick mode: a piece of the val split
            t.splits["val"] = t.splits["val"][:max_chars]
        return {"carried state": t.evaluate("val", max_batches=0)}


def race(runners, budget, wall=False, slice_s=10.0, log=print):
    """Give each runner `budget` seconds (CPU, or wall if wall=True) in turns of slice_s.
    Returns {name: figures}; 'val' is the first of the runner's evaluate() figures."""
    used = {r.name: {"cpu": 0.0, "wall": 0.0} for r in runners}
    losses = {r.name: [] for r in runners}
    key = "wall" if wall else "cpu"
    active = list(runners)
    while active:
        for r in list(active):
            u = used[r.name]
            spent = 0.0
            while spent < slice_s and u[key] < budget and not r.done():
                r.progress = u[key] / budget
                with common.Clock() as c:
                    losses[r.name].append(r.step())
                u["cpu"] += c.cpu
                u["wall"] += c.wall
                spent += getattr(c, key)
            if u[key] >= budget or r.done():
                active.remove(r)
            recent = losses[r.name][-50:]
            log(f"  {r.name}: {r.steps} steps, {u['cpu']:.0f} cpu s, {u['wall']:.0f} wall s, "
                f"train {sum(recent) / max(1, len(recent)):.3f}", flush=True)
    out = {}
    for r in runners:
        with common.Clock() as c:
            val = r.evaluate(max_chars=20000 if budget < 60 else None)
        u, recent = used[r.name], losses[r.name][-100:]
        out[r.name] = dict(val=next(iter(val.values())), val_all=val, steps=r.steps, chars=r.chars,
                           cpu_s=round(u["cpu"], 1), wall_s=round(u["wall"], 1),
                           steps_per_cpu_s=r.steps / max(u["cpu"], 1e-9),
                           train_loss=sum(recent) / max(1, len(recent)), eval_wall_s=round(c.wall, 1),
                           params=r.n_params(), config=r.config)
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
    p.add_argument("--no-gpt", action="store_true", help="the LSTM alone (exploring)")
    p.add_argument("--steps", type=int, help="LSTM max_steps, lr halved every quarter of them: size the "
                   "schedule to a shorter budget (~24 steps per 1-thread CPU s for the tuned LSTM)")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="more overrides for the LSTM")
    p.add_argument("--also", action="append", default=[], metavar="'KEY=VALUE ...'",
                   help="race one more LSTM: these overrides on top of --set's (exploring; repeatable)")
    args = p.parse_args(argv)
    common.setup(args)

    text = common.load_text()
    overrides = {**OVERRIDES, **parse_set(args.set)}
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
        runners.insert(1, GPTRunner(train, val, V, **gpt_kw))
    print(f"quality race: {budget:.0f} {'wall' if wall else 'CPU'} s per model, {args.threads} threads, "
          f"overrides {overrides}", flush=True)
    res = race(runners, budget, wall=wall, slice_s=min(args.slice, budget))

    L = res[lstm.name]
    unit = "wall" if wall else "CPU"
    what = lambda r: (f"val {r['val']:.3f} ({r['params'] / 1e6:.2f}M params, {r['steps']} steps, "
                      f"{r['cpu_s']:.0f} CPU s / {r['wall_s']:.0f} wall s)")
    rows = [common.row(f"1. (explored) {r.name}", what(res[r.name]), "-", f"val <= {TARGET}",
                       res[r.name]["val"] <= TARGET, lstm=res[r.name]) for r in runners[1 + (not args.no_gpt):]]
    if args.no_gpt:
        rows.append(common.row(f"1. quality, {budget:.0f} {unit} s (LSTM alone)", what(L), "-",
                               f"val <= {TARGET}", L["val"] <= TARGET, lstm=L))
    else:
        G = res[runners[1].name]
        met = L["val"] <= TARGET and L["val"] < G["val"]
        rows.append(common.row(f"1. quality per CPU-minute, {budget:.0f} {unit} s each, 90/10 split",
                               what(L), "GPT " + what(G), f"val <= {TARGET} and < GPT", met,
                               lstm=L, gpt=G, budget=budget, budget_unit=unit))
    return common.report(rows[::-1], args, "quality")


if __name__ == "__main__":
    main()
