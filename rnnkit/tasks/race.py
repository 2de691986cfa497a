"""Quality per CPU second: models trained in turns on the same budget, in one process.

    lstm = LSTMRunner(presets.get("tinyshakespeare", "cpu", split=(0.9, 0.1, 0)), text)
    gpt = GPTTrainer(train_ids, val_ids, len(vocab))           # rnnkit.tasks.gpt
    result = race([lstm, gpt], budget=600, curve_every=60, curve_chars=20000)

Each runner has train_step() (one update, returns the train loss), done(), evaluate(max_chars)
({name: loss}, the first figure is the one compared), n_params(), name and config, and a
`progress` the race sets to the fraction of its budget used (the GPT's cosine schedule
reads it). The runners take turns of `slice_s` seconds (A B A B ...) so that a busy
neighbour slows both alike. The budget counts process CPU seconds (time.process_time)
by default, or wall seconds; evaluation is outside it.

Both models are scored on the whole held-out split: every character after the first,
each exactly once (score_stream for the RNN, rnnkit.tasks.gpt.score_gpt for the GPT).
"""
import time

from ..loop import stream_losses
from ..model import CharRNN
from ..train import Trainer
from .common import strict_options

# Chapter 15's sizes: the tinyshakespeare LSTM ("lstm": overrides of its preset at this scale)
# against rnnkit.tasks.gpt's GPT ("gpt": GPTTrainer options), `budget` CPU seconds each, scored
# on nanoGPT's split (the last 10%); then the cost per character at `contexts`. The full
# 600-CPU-second race is benchmarks/quality.py (make bench).
PRESETS = {
    "rnn-vs-transformer": {
        "smoke": dict(budget=3, slice_s=1, curve_every=1, curve_chars=2000, text_chars=60000,
                      lstm=dict(), gpt=dict(layers=1, heads=2, width=32), contexts=(64, 256), reps=1),
        "cpu": dict(budget=45, slice_s=5, curve_every=5, curve_chars=20000, text_chars=None,
                    lstm=dict(max_steps=1100, lr_decay_every=275), gpt=dict(), contexts=(64, 256, 1024, 4096),
                    reps=3),
        "gpu": dict(budget=300, slice_s=10, curve_every=30, curve_chars=20000, text_chars=None,
                    lstm=dict(n_layers=2, hidden=256, embed=64, batch_size=16, seq_len=32, lr=8e-3, lr_decay=0.5,
                              dropout=0.0, lr_decay_every=1500, max_steps=6000),
                    gpt=dict(), contexts=(64, 256, 1024, 4096), reps=3),
    },
}


class Clock:
    """Wall and process-CPU seconds of a block: `with Clock() as c: ...; c.wall, c.cpu`."""

    def __enter__(self):
        self.w0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w0
        self.cpu = time.process_time() - self.c0


def score_stream(model: CharRNN, ids, chunk=2048):
    """Loss in nats per character over all of ids: one stream, batch 1, the state carried
    from zeros at the first character to the end; every character after the first is
    predicted once (unlike Trainer.evaluate, which cuts the split into batch rows and drops
    the remainder)."""
    return stream_losses(model, ids, chunk).double().mean().item()


class LSTMRunner:
    """rnnkit's Trainer, one train_step() at a time."""

    def __init__(self, cfg, text, name=None):
        self.cfg = cfg
        self.trainer = Trainer(cfg, text=text, device="cpu")
        self.name = name or f"rnnkit {cfg.cell.upper()} {cfg.n_layers}x{cfg.hidden}"
        self.steps, self.chars, self.progress = 0, 0, 0.0
        self.config = {k: v for k, v in vars(cfg).items() if k not in ("data", "scale")}
        self.config["precision"] = self.trainer.precision  # the resolved one ("auto" says nothing)

    def n_params(self):
        return self.trainer.model.n_params()

    def train_step(self):
        loss = self.trainer.train_step()
        self.steps += 1
        self.chars += self.cfg.batch_size * self.cfg.seq_len
        return loss

    def done(self):
        return self.steps >= self.cfg.max_steps

    def evaluate(self, max_chars=None):
        val = self.trainer.splits["val"]
        return {"stream": score_stream(self.trainer.model, val[:max_chars] if max_chars else val)}


@strict_options
def race(runners, budget, wall=False, slice_s=10.0, curve_every=None, curve_chars=20000, log=print):
    """Give each runner `budget` seconds (CPU, or wall if wall=True) in turns of slice_s.
    With curve_every, each runner is also scored on the first curve_chars of its val split
    every curve_every seconds of its budget (outside the budget): its 'curve'.
    Returns {name: figures}; 'val' is the first of the runner's final evaluate() figures
    over the whole val split; 'stopped' says what ended its run: "budget", or "done" when the
    runner's own schedule (done()) ended it first."""
    key = "wall" if wall else "cpu"
    used = {r.name: {"cpu": 0.0, "wall": 0.0} for r in runners}
    losses = {r.name: [] for r in runners}
    curves = {r.name: [] for r in runners}
    next_mark = {r.name: curve_every for r in runners}

    def mark(r):
        first = next(iter(r.evaluate(max_chars=curve_chars).values()))
        curves[r.name].append((round(used[r.name][key], 2), r.steps, first))

    active = list(runners)
    while active:
        for r in list(active):
            u = used[r.name]
            spent = 0.0
            while spent < slice_s and u[key] < budget and not r.done():
                r.progress = u[key] / budget
                with Clock() as c:
                    losses[r.name].append(r.train_step())
                u["cpu"] += c.cpu
                u["wall"] += c.wall
                spent += getattr(c, key)
                if curve_every and u[key] >= next_mark[r.name]:
                    mark(r)
                    next_mark[r.name] += curve_every
            if u[key] >= budget or r.done():
                active.remove(r)
                if curve_every and (not curves[r.name] or curves[r.name][-1][1] != r.steps):
                    mark(r)
            if log:
                recent = losses[r.name][-50:]
                log(f"  {r.name}: {r.steps} steps, {u['cpu']:.0f} cpu s, {u['wall']:.0f} wall s, "
                    f"train {sum(recent) / max(1, len(recent)):.3f}", flush=True)
    out = {}
    for r in runners:
        with Clock() as c:
            val = r.evaluate()
        u, recent = used[r.name], losses[r.name][-100:]
        out[r.name] = dict(val=next(iter(val.values())), val_all=val, steps=r.steps, chars=r.chars,
                           cpu_s=round(u["cpu"], 1), wall_s=round(u["wall"], 1),
                           stopped="budget" if u[key] >= budget else "done",
                           steps_per_cpu_s=r.steps / max(u["cpu"], 1e-9),
                           train_loss=sum(recent) / max(1, len(recent)), eval_wall_s=round(c.wall, 1),
                           params=r.n_params(), config=r.config, curve=curves[r.name])
    return out
