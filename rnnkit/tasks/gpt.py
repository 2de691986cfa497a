"""A small character GPT in plain torch: the Transformer the book races the LSTM against.

nanoGPT's shakespeare_char recipe scaled down to the size of rnnkit's cpu LSTM (~0.8M
parameters): 4 layers, 4 heads, 128 wide, context 64, tied input/output embedding.
Three things live here:

  GPT              the model; forward(idx) over a window, or forward(idx, cache) one piece
                   at a time with a KV cache (each layer keeps the keys and values it has seen)
  generate(...)    autoregressive sampling, with or without the KV cache; both give the same
                   characters (a test checks it); the cost per character differs
  GPTTrainer       one AdamW update at a time on random windows, nanoGPT's schedule (warm-up,
                   cosine to min_lr over the run's fraction done), and scoring of a whole split;
                   a runner of rnnkit.tasks.race

Without a cache, each new character re-reads the whole context: its cost grows with the
context. With a cache each character costs one row of attention over the cached keys: still
growing with the context, but linearly, and the cache itself grows (2 x layers x context x
width numbers). An LSTM's state has a fixed size: rnnkit.book's context-cost measurement.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .. import precision as precisions
from ..errors import OptionError
from ..loop import update
from .common import strict_options


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        if width % heads:
            raise OptionError(f"width {width} must divide by heads {heads}")
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, cache=None):
        """x (B, T, C). cache: None, or a dict this block appends its keys and values to
        (then x holds only the new positions, which attend to everything cached before)."""
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        if T == 1:  # one new position sees every key: no mask needed
            y = F.scaled_dot_product_attention(q, k, v)
        elif k.shape[2] == T:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # a piece of several new positions after a cached prefix
            S = k.shape[2]
            mask = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(S - T)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    @strict_options
    def __init__(self, vocab_size, layers=4, heads=4, width=128, context=64):
        super().__init__()
        self.args = dict(vocab_size=vocab_size, layers=layers, heads=heads, width=width, context=context)
        self.context = context
        self.tok, self.pos = nn.Embedding(vocab_size, width), nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab_size, bias=False)
        self.head.weight = self.tok.weight  # tied, as nanoGPT
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def new_cache(self):
        return [{} for _ in self.blocks]

    def forward(self, idx, cache=None):
        """idx (B, T) -> logits (B, T, V). With a cache (from new_cache()), idx continues
        what the cache has seen, and positions count on from there."""
        start = cache[0]["k"].shape[2] if cache is not None and "k" in cache[0] else 0
        if start + idx.shape[1] > self.context:
            raise OptionError(f"context {start + idx.shape[1]} exceeds the model's {self.context}")
        idx = idx.long()  # a corpus's ids are stored compact (rnnkit.text)
        x = self.tok(idx) + self.pos(torch.arange(start, start + idx.shape[1], device=idx.device))
        for i, block in enumerate(self.blocks):
            x = block(x, None if cache is None else cache[i])
        return self.head(self.ln(x))


@torch.no_grad()
def generate(model, prime_ids, length, temperature=1.0, seed=0, kv_cache=True):
    """`length` new ids after prime_ids (1-D LongTensor), sampled at `temperature` with a
    seeded generator. The window slides when it is full (the cache is then rebuilt)."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    ids = prime_ids.view(1, -1)
    cache, out = None, []
    for _ in range(length):
        window = ids[:, -model.context:]
        if not kv_cache:
            logits = model(window)[:, -1]
        elif cache is None or cache[0]["k"].shape[2] >= model.context:
            cache = model.new_cache()  # (re)start the cache from the current window
            logits = model(window, cache)[:, -1]
        else:
            logits = model(ids[:, -1:], cache)[:, -1]
        probs = torch.softmax(logits / max(temperature, 1e-8), dim=-1)
        nxt = torch.multinomial(probs, 1, generator=gen)
        ids = torch.cat([ids, nxt], dim=1)
        out.append(int(nxt))
    return out


def cache_bytes(model, context):
    """Bytes a full KV cache holds at `context` positions (keys and values, float32)."""
    return 2 * len(model.blocks) * context * model.args["width"] * 4


class GPTTrainer:
    """Trains the GPT one update at a time on random windows of train_ids; lr follows
    nanoGPT's warm-up and cosine decay over `progress` (the fraction of the budget used,
    set by whoever runs the race)."""

    @strict_options
    def __init__(self, train_ids, val_ids, vocab_size, batch=12, context=64, lr=1e-3, min_lr=1e-4,
                 warmup=100, weight_decay=0.1, seed=1337, layers=4, heads=4, width=128, precision="auto"):
        torch.manual_seed(seed)
        self.model = GPT(vocab_size, layers, heads, width, context)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=weight_decay)
        self.train_ids, self.val_ids = train_ids, val_ids
        self.batch, self.context, self.lr, self.min_lr, self.warmup = batch, context, lr, min_lr, warmup
        self.gen = torch.Generator().manual_seed(seed)
        self.steps, self.chars, self.progress = 0, 0, 0.0
        self.precision = self._resolve(precision)  # "fp32" or "bf16" (rnnkit.precision; auto: a probe)
        a = self.model.args
        self.name = f"GPT {a['layers']}x{a['heads']}x{a['width']}"
        self.config = {**a, **dict(batch=batch, lr=lr, min_lr=min_lr, warmup=warmup,
                                   optimizer=f"AdamW(0.9,0.99) wd {weight_decay}", clip=1.0,
                                   precision=self.precision)}

    def _resolve(self, precision):
        """The GPT's own probe: its forward and loss on one batch of random ids, fp32 vs bf16."""
        x = torch.randint(self.model.args["vocab_size"], (self.batch, self.context), generator=torch.Generator())
        shape = dict(cell="gpt", n_layers=self.model.args["layers"], hidden=self.model.args["width"],
                     batch=self.batch, seq=self.context)
        loss = lambda: F.cross_entropy(self.model(x).flatten(0, 1), x.flatten())
        return precisions.resolve(precision, "cpu", shape, model=self.model, loss=loss)

    def n_params(self):
        return self.model.n_params()

    def lr_now(self):
        if self.steps < self.warmup:
            return self.lr * (self.steps + 1) / self.warmup
        cos = 0.5 * (1 + math.cos(math.pi * min(self.progress, 1.0)))
        return self.min_lr + (self.lr - self.min_lr) * cos

    def train_step(self):
        """One AdamW update on `batch` random windows; returns its training loss."""
        T = self.context
        starts = torch.randint(len(self.train_ids) - T - 1, (self.batch,), generator=self.gen)
        x = torch.stack([self.train_ids[s:s + T] for s in starts])
        y = torch.stack([self.train_ids[s + 1:s + T + 1] for s in starts]).long()
        for g in self.opt.param_groups:
            g["lr"] = self.lr_now()
        self.model.train()
        with precisions.autocast("cpu", self.precision):  # the forward and loss only; weights stay fp32
            loss = F.cross_entropy(self.model(x).flatten(0, 1), y.flatten())
        loss = update(self.opt, loss, grad_clip=1.0).loss
        self.steps += 1
        self.chars += x.numel()
        return loss

    def done(self):
        return False  # runs until the budget is spent

    def evaluate(self, max_chars=None):
        return score_gpt(self.model, self.val_ids[:max_chars] if max_chars else self.val_ids)


@torch.no_grad()
def score_gpt(model, ids, batch=256):
    """Loss in nats per character over a whole split, two ways:
    'sliding': every character from the second to the last scored exactly once, in windows of
    the model's context every context/2 characters, each seeing at least context/2 before it
    (the first window's characters see fewer; the last window is aligned to the end);
    'blocks': non-overlapping windows, nanoGPT's estimate (mean context ~ context/2)."""
    model.eval()
    T, half = model.context, model.context // 2
    n = len(ids) - 1  # targets are ids[1:]
    if n < T:
        raise OptionError(f"need more than {T} characters to score, got {len(ids)}")
    starts = list(range(0, n - T + 1, half))
    if starts[-1] != n - T:
        starts.append(n - T)  # the tail: a last window ending at the last character
    total, count, block_total, block_count, scored_to = 0.0, 0, 0.0, 0, 0
    for b0 in range(0, len(starts), batch):
        s = torch.tensor(starts[b0:b0 + batch])
        x = torch.stack([ids[i:i + T] for i in s])
        y = torch.stack([ids[i + 1:i + T + 1] for i in s]).long()
        nll = F.cross_entropy(model(x).flatten(0, 1), y.flatten(), reduction="none").view(len(s), T)
        for row, st in zip(nll, s.tolist()):
            new_from = scored_to - st  # positions in this window not scored yet
            total += row[new_from:].sum().item()
            count += T - new_from
            scored_to = st + T
            if st % T == 0 and st + T <= n:  # every other window tiles the split
                block_total += row.sum().item()
                block_count += T
    assert count == n, (count, n)
    return {"sliding": total / count, "blocks": block_total / block_count}
