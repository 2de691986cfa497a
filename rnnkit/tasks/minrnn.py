"""A recurrent network that trains like a Transformer: minGRU (Feng et al. 2024), char-level.

A GRU's gates read the previous state, so h_t waits for h_{t-1}. minGRU takes the state out of
them and the tanh off the candidate:

    z_t  = sigmoid(W_z x_t + b_z)          the update gate: from the input only
    h~_t = W_h x_t + b_h                   the candidate: from the input only
    h_t  = (1 - z_t) h_{t-1} + z_t h~_t    = a_t h_{t-1} + b_t

Every a_t and b_t is known before any state is, and composing two steps, (a1, b1) then
(a2, b2), is again one such step, (a1 a2, a2 b1 + b2): the states of a whole sequence come from
one associative scan instead of T dependent steps. Four ways to run it are here, measured
against each other in chapter 18:

  scan_sequential   the loop: T small steps (the reference)
  scan_doubling     Hillis & Steele's doubling: log2 T passes over everything, T log T work
  scan_log          Heinsen (2023): h = A (h0 + cumsum(b / A)) in log space, logcumsumexp;
                    needs b > 0, and its sums grow with T (float32 precision falls with them)
  scan              the one the model uses: rnnkit.model.linear_scan (chunks of sqrt T steps,
                    about 5 sqrt T operations, no divisions) with its backward written out as
                    the same scan run backwards (LinearScan). Chosen by measuring on this
                    project's CPU (benchmarks/scan.py; chapter 18 measures again): at 1,024
                    steps, forward and backward, 2-5x faster than the loop and 5-13x faster
                    than doubling or log space; on short rows the loop keeps up, or wins when
                    there are many of them (8,192 characters in rows of 32-256: up to 2x),
                    which the model's long rows do not meet; and its float32 states stay
                    within 1e-6 of the exact ones at 4,096 steps, where the log-space scan's
                    are off by ~1e-4

The language model, CharMinGRU, is the Transformer's block with attention replaced by the
recurrence: per layer, x + minGRU(LayerNorm(x)), then x + MLP(LayerNorm(x)). Two paths through
the same weights, as CharRNN has: forward(idx, state) over a whole chunk (the scan, for training
and scoring) and step(idx_t, state), the article's API, one character at a time with a state of
layers x width numbers. MinGRUTrainer runs it in rnnkit.tasks.race; PRESETS holds chapter 18's
sizes.
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from .. import export
from ..errors import OptionError
from ..loop import stream_losses, update
from ..model import linear_scan
from ..text import Batches, Vocab
from .common import strict_options
from .gpt import GPTTrainer

# Chapter 18's sizes. scan: minrnn.time_scans's options; model: CharMinGRU's sizes; lengths: the
# BPTT lengths (contexts) of the speed sweep, every update `chars` characters (rows = chars /
# length), `speed_steps` timed updates after one untimed; then chapter 15's race (budget CPU
# seconds each, each racer at its own best length; lstm: overrides of its preset, gpt:
# GPTTrainer's options, mingru: MinGRUTrainer's) and the cost per generated character at `contexts`.
PRESETS = {
    "parallel-rnn": {
        "smoke": dict(scan=dict(length=256, chars=1024, width=32, reps=1, long=1024),
                      model=dict(layers=2, width=32, expand=2), lengths=(32, 64), chars=256, speed_steps=1,
                      budget=2, slice_s=1, curve_every=1, curve_chars=2000, text_chars=60000, lstm=dict(),
                      gpt=dict(layers=1, heads=2, width=32), mingru=dict(lr=6e-3, min_lr=6e-4, warmup=5),
                      contexts=(64, 256), reps=1),
        "cpu": dict(scan=dict(length=1024, chars=8192, width=128, reps=3, long=4096),
                    model=dict(layers=4, width=144, expand=4), lengths=(32, 64, 128, 256, 512, 1024), chars=1024,
                    speed_steps=3, budget=40, slice_s=5, curve_every=5, curve_chars=20000, text_chars=None,
                    lstm=dict(), gpt=dict(), mingru=dict(lr=6e-3, min_lr=6e-4, warmup=50),
                    contexts=(64, 256, 1024, 4096), reps=3),
        # gpu: the race still runs on the CPU (chapter 15's harness counts CPU seconds), longer
        "gpu": dict(scan=dict(length=1024, chars=8192, width=128, reps=5, long=16384),
                    model=dict(layers=4, width=144, expand=4), lengths=(32, 64, 128, 256, 512, 1024), chars=1024,
                    speed_steps=5, budget=150, slice_s=10, curve_every=15, curve_chars=20000, text_chars=None,
                    lstm=dict(), gpt=dict(), mingru=dict(lr=6e-3, min_lr=6e-4, warmup=50),
                    contexts=(64, 256, 1024, 4096), reps=3),
    },
}


# ----------------------------------------------------------------------------- the scans

def scan_sequential(a, b, h0):
    """h_t = a_t h_{t-1} + b_t along dim 1 of a, b (B, T, H), from h_{-1} = h0 (B, H): the loop."""
    h, out = h0, []
    for a_t, b_t in zip(a.unbind(1), b.unbind(1)):  # split the time axis once
        h = a_t * h + b_t
        out.append(h)
    return torch.stack(out, 1)


def scan_doubling(a, b, h0):
    """The same states by doubling (Hillis & Steele 1986): after the pass with distance d, step
    t holds the composition of steps t-2d+1..t; log2 T passes, each over the whole sequence."""
    b = torch.cat([(a[:, :1] * h0.unsqueeze(1) + b[:, :1]), b[:, 1:]], 1)  # h0 folded into step 0
    d = 1
    while d < a.shape[1]:
        b = torch.cat([b[:, :d], a[:, d:] * b[:, :-d] + b[:, d:]], 1)
        a = torch.cat([a[:, :d], a[:, d:] * a[:, :-d]], 1)
        d *= 2
    return b


def scan_log(a, b, h0):
    """The same states in log space (Heinsen 2023): with A_t = a_0 ... a_t,
    h_t = A_t (h0 + sum_{j<=t} b_j / A_j), so log h_t = log A_t + logcumsumexp(log b_j - log A_j)
    (with log h0 first). Needs b > 0 and h0 >= 0 (minGRU passes its candidate through a positive
    function for this); log A_t grows with t, and float32 keeps fewer of h's digits as it does."""
    log_a_star = a.log().cumsum(1)
    first = h0.clamp_min(torch.finfo(h0.dtype).tiny).log().unsqueeze(1)
    log_h = log_a_star + torch.logcumsumexp(torch.cat([first, b.log() - log_a_star], 1), 1)[:, 1:]
    return log_h.exp()


class LinearScan(torch.autograd.Function):
    """linear_scan with its gradient: dL/dh_t collects g_t (from above) plus a_{t+1} dL/dh_{t+1},
    the same recurrence run from the end, so the backward is one more chunked scan."""

    @staticmethod
    def forward(ctx, a, b, h0):
        a, b = a.contiguous(), b.contiguous()
        h = linear_scan(a, b, h0)
        ctx.save_for_backward(a, h, h0)
        return h

    @staticmethod
    def backward(ctx, grad):
        a, h, h0 = ctx.saved_tensors
        a_next = torch.cat([a[:, 1:], torch.zeros_like(a[:, :1])], 1)  # a_{t+1}; nothing after T-1
        g = linear_scan(a_next.flip(1), grad.contiguous().flip(1), torch.zeros_like(h0)).flip(1)
        h_prev = torch.cat([h0.unsqueeze(1), h[:, :-1]], 1)
        return g * h_prev, g, a[:, 0] * g[:, 0]


def scan(a, b, h0):
    """h_t = a_t h_{t-1} + b_t for t = 0..T-1 from h0: the chunked scan, with its gradient."""
    return LinearScan.apply(a, b, h0)


SCANS = {"loop": scan_sequential, "doubling": scan_doubling, "log space": scan_log, "chunked": scan}


def time_scans(length=1024, chars=8192, width=128, reps=3, long=4096, seed=0):
    """Each scan of SCANS on the same float32 inputs: 'ms', the CPU milliseconds of a forward and
    backward over chars / length rows of `length` steps (best of `reps`), and 'error', the largest
    relative error of its states against the loop in float64 over `long` steps (positive b, as
    the log-space scan needs). Returns {name: {"ms", "error"}}."""
    gen = torch.Generator().manual_seed(seed)

    def inputs(rows, T):
        return (torch.sigmoid(torch.randn(rows, T, width, generator=gen) * 2 + 2),
                torch.rand(rows, T, width, generator=gen) + 0.01, torch.rand(rows, width, generator=gen))

    timed, (la, lb, lh) = inputs(max(1, chars // length), length), inputs(1, long)
    exact = scan_sequential(la.double(), lb.double(), lh.double())
    out = {}
    for name, fn in SCANS.items():
        times = []
        for _ in range(reps):
            a, b, h0 = (t.clone().requires_grad_() for t in timed)
            c0 = time.process_time()
            fn(a, b, h0).sum().backward()
            times.append(time.process_time() - c0)
        with torch.no_grad():
            error = ((fn(la, lb, lh).double() - exact).abs() / exact).max().item()
        out[name] = dict(ms=1e3 * min(times), error=error)
    return out


# ----------------------------------------------------------------------------- the model

class Block(nn.Module):
    """x + minGRU(LayerNorm(x)), then x + MLP(LayerNorm(x)). gates: one matmul gives both the
    update gate's and the candidate's pre-activations."""

    def __init__(self, width, expand):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.gates = nn.Linear(width, 2 * width)
        # SiLU, x sigmoid(x) (Mamba's): on this CPU less than half the time of GELU's tanh form,
        # and the browser computes exactly the same function
        self.mlp = nn.Sequential(nn.Linear(width, expand * width), nn.SiLU(), nn.Linear(expand * width, width))

    def coefficients(self, x):
        """a, b of h_t = a_t h_{t-1} + b_t: a = 1 - z = sigmoid(-pre), b = z h~ (exact: no 1 - z)."""
        pre, cand = self.gates(self.ln1(x)).chunk(2, dim=-1)
        return torch.sigmoid(-pre), torch.sigmoid(pre) * cand

    def forward(self, x, h0):
        """x (B, T, C), h0 (B, C) -> (B, T, C) and the last state."""
        h = scan(*self.coefficients(x), h0)
        x = x + h
        return x + self.mlp(self.ln2(x)), h[:, -1]

    def step(self, x, h):
        """x (B, C), h (B, C): one time step, the recurrence written out."""
        a, b = self.coefficients(x)
        h = a * h + b
        x = x + h
        return x + self.mlp(self.ln2(x)), h


class CharMinGRU(nn.Module):
    """A character model of `layers` minGRU blocks, `width` wide (the state: layers x width)."""

    @strict_options
    def __init__(self, vocab_size, layers=4, width=128, expand=4):
        super().__init__()
        if min(vocab_size, layers, width, expand) < 1:
            raise OptionError("vocab_size, layers, width and expand must be at least 1")
        # args in CharRNN's names where they mean the same (rnnkit.export writes them in its header)
        self.args = dict(vocab_size=vocab_size, cell="mingru", n_layers=layers, hidden=width, expand=expand)
        self.vocab_size, self.hidden = vocab_size, width
        self.embedding = nn.Embedding(vocab_size, width)
        self.layers = nn.ModuleList(Block(width, expand) for _ in range(layers))
        self.ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab_size)

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def init_state(self, batch_size, device=None):
        """Zeros: one (batch, width) state per layer."""
        return [torch.zeros(batch_size, self.hidden, device=device) for _ in self.layers]

    @staticmethod
    def detach_state(state):
        return [h.detach() for h in state]

    def forward(self, idx, state=None):
        """idx (B, T) -> logits (B, T, V) and the state after the last step: the parallel path."""
        if state is None:
            state = self.init_state(idx.shape[0], idx.device)
        x, new_state = self.embedding(idx.long()), []  # splits hold ids compact (uint8)
        for block, h in zip(self.layers, state):
            x, h = block(x, h)
            new_state.append(h)
        return self.head(self.ln(x)), new_state

    def step(self, idx_t, state):
        """The article's API: idx_t (B,) -> logits (B, V) and the new state, one character."""
        x, new_state = self.embedding(idx_t.long()), []
        for block, h in zip(self.layers, state):
            x, h = block.step(x, h)
            new_state.append(h)
        return self.head(self.ln(x)), new_state


def load_export(source):
    """(CharMinGRU, Vocab) with the weights the browser computes with: rnnkit.export's file of a
    CharMinGRU (a path, or the dict export.read gives), dequantized, in eval mode."""
    data = source if isinstance(source, dict) else export.read(source)
    args = data["args"]
    if args.get("cell") != "mingru":
        raise export.ExportError(f"the exported model is a {args.get('cell')}, not a minGRU: use rnnkit.export.load")
    model = CharMinGRU(args["vocab_size"], args["n_layers"], args["hidden"], args["expand"])
    model.load_state_dict(export.dequantize(data))
    return model.eval(), Vocab.from_state(data["vocab"])


@torch.no_grad()
def path_gap(model, ids):
    """The largest difference between the logits of the two paths over ids (1-D): forward()'s
    scan against step() one character at a time, from the same zero state."""
    was = model.training
    model.eval()
    full, _ = model(ids.view(1, -1))
    state, gap = model.init_state(1), 0.0
    for t, idx in enumerate(ids):
        logits, state = model.step(idx.view(1), state)
        gap = max(gap, (logits[0] - full[0, t]).abs().max().item())
    model.train(was)
    return gap


# ----------------------------------------------------------------------------- a racer

class MinGRUTrainer:
    """Trains a CharMinGRU as rnnkit's Trainer trains the LSTM: char-rnn's batches (contiguous
    streams, the state carried from one chunk to the next, truncated BPTT of seq_len), AdamW
    with nanoGPT's warm-up and cosine schedule over `progress` (set by the race), clip 1.
    A runner of rnnkit.tasks.race."""

    @strict_options
    def __init__(self, train_ids, val_ids, vocab_size, batch=8, seq_len=128, lr=3e-3, min_lr=3e-4,
                 warmup=50, weight_decay=0.1, seed=1337, layers=4, width=128, expand=4):
        torch.manual_seed(seed)
        self.model = CharMinGRU(vocab_size, layers, width, expand)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=weight_decay)
        self.batches, self.val_ids = Batches(train_ids, batch, seq_len), val_ids
        self.lr, self.min_lr, self.warmup = lr, min_lr, warmup
        self.state, self.steps, self.chars, self.progress = None, 0, 0, 0.0
        self.name = f"minGRU {layers}x{width}"
        self.config = dict(layers=layers, width=width, expand=expand, batch=batch, seq_len=seq_len, lr=lr,
                           min_lr=min_lr, warmup=warmup, optimizer=f"AdamW(0.9,0.99) wd {weight_decay}", clip=1.0)

    # the GPT's: n_params(); lr_now(), nanoGPT's warm-up then cosine to min_lr over the race's
    # progress; done(), never (it runs until the budget is spent)
    n_params, lr_now, done = GPTTrainer.n_params, GPTTrainer.lr_now, GPTTrainer.done

    def train_step(self):
        """One update on the next chunk of every stream; returns its training loss."""
        x, y, reset = self.batches.next()
        if reset or self.state is None:
            self.state = self.model.init_state(x.shape[0])
        for g in self.opt.param_groups:
            g["lr"] = self.lr_now()
        self.model.train()
        logits, state = self.model(x, self.state)
        loss = update(self.opt, F.cross_entropy(logits.flatten(0, 1), y.flatten()), grad_clip=1.0).loss
        self.state = CharMinGRU.detach_state(state)
        self.steps += 1
        self.chars += x.numel()
        return loss

    def evaluate(self, max_chars=None):
        """{"stream": nats per character}: the split read as one stream, as the LSTM is scored."""
        ids = self.val_ids[:max_chars] if max_chars else self.val_ids
        return {"stream": stream_losses(self.model, ids).double().mean().item()}
