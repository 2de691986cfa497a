"""The baseline a reader would otherwise reach for: a small character GPT in plain torch.

nanoGPT's shakespeare_char recipe scaled to ~0.8M parameters (the size of rnnkit's cpu LSTM):
4 layers, 4 heads, 128 wide, context 64, batch 12 random windows, AdamW lr 1e-3 with 100
warm-up steps and a cosine decay to 1e-4 over the budget (nanoGPT's own schedule; a
stronger baseline than a constant lr), no dropout (a few minutes of training do not overfit).

Alone, `python benchmarks/gpt.py --budget-cpu 600` trains it and prints its val loss.
The quality benchmark (quality.py) races it against the LSTM in the same process.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import common


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, layers=4, heads=4, width=128, context=64):
        super().__init__()
        self.context = context
        self.tok, self.pos = nn.Embedding(vocab_size, width), nn.Embedding(context, width)
        self.blocks = nn.Sequential(*(Block(width, heads) for _ in range(layers)))
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

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1], device=idx.device))
        return self.head(self.ln(self.blocks(x)))


class GPTRunner:
    """Trains the GPT one update at a time; lr follows the fraction of the budget used."""

    def __init__(self, train_ids, val_ids, vocab_size, batch=12, context=64, lr=1e-3, min_lr=1e-4,
                 warmup=100, seed=1337, **model_kw):
        torch.manual_seed(seed)
        self.model = GPT(vocab_size, context=context, **model_kw)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=0.1)
        self.train_ids, self.val_ids = train_ids, val_ids
        self.batch, self.context, self.lr, self.min_lr, self.warmup = batch, context, lr, min_lr, warmup
        self.gen = torch.Generator().manual_seed(seed)
        self.steps, self.chars, self.progress = 0, 0, 0.0
        self.name = "GPT {layers}x{heads}x{width}".format(**{**dict(layers=4, heads=4, width=128), **model_kw})
        self.config = {**dict(layers=4, heads=4, width=128), **model_kw, **dict(
            context=context, batch=batch, lr=lr, min_lr=min_lr, warmup=warmup,
            optimizer="AdamW(0.9,0.99) wd 0.1", clip=1.0)}

    def n_params(self):
        return self.model.n_params()

    def lr_now(self):
        if self.steps < self.warmup:
            return self.lr * (self.steps + 1) / self.warmup
        cos = 0.5 * (1 + math.cos(math.pi * min(self.progress, 1.0)))
        return self.min_lr + (self.lr - self.min_lr) * cos

    def step(self):
        T = self.context
        starts = torch.randint(len(self.train_ids) - T - 1, (self.batch,), generator=self.gen)
        x = torch.stack([self.train_ids[s:s + T] for s in starts])
        y = torch.stack([self.train_ids[s + 1:s + T + 1] for s in starts])
        for g in self.opt.param_groups:
            g["lr"] = self.lr_now()
        self.model.train()
        loss = F.cross_entropy(self.model(x).flatten(0, 1), y.flatten())
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        self.steps += 1
        self.chars += x.numel()
        return loss.item()

    def done(self):
        return False  # runs until the budget is spent

    @torch.no_grad()
    def evaluate(self, max_chars=None):
        """Val loss in nats/char over the val split, two ways:
        'sliding': windows of `context` every context/2 characters, each character scored
        with at least context/2 characters before it (the figure we compare: the GPT's best);
        'blocks': non-overlapping windows, nanoGPT's estimate (mean context ~32)."""
        self.model.eval()
        ids = self.val_ids[:max_chars] if max_chars else self.val_ids
        T, half = self.context, self.context // 2
        n = (len(ids) - 1 - T) // half + 1
        total, count = 0.0, 0
        block_total, block_count = 0.0, 0
        for b0 in range(0, n, 256):
            starts = torch.arange(b0, min(n, b0 + 256)) * half
            x = torch.stack([ids[s:s + T] for s in starts])
            y = torch.stack([ids[s + 1:s + T + 1] for s in starts])
            nll = F.cross_entropy(self.model(x).flatten(0, 1), y.flatten(), reduction="none").view(len(starts), T)
            first = b0 == 0
            total += nll[0].sum().item() if first else 0.0
            count += T if first else 0
            rest = nll[1:] if first else nll
            total += rest[:, half:].sum().item()
            count += rest[:, half:].numel()
            even = (starts // half) % 2 == 0  # every other window tiles the split without overlap
            block_total += nll[even].sum().item()
            block_count += nll[even].numel()
        return {"sliding": total / count, "blocks": block_total / block_count}


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--budget-cpu", type=float, default=600.0, help="process CPU seconds (2 threads x 300 s)")
    p.add_argument("--budget-wall", type=float, default=None, help="wall seconds instead of CPU seconds")
    args = p.parse_args(argv)
    common.setup(args)
    import quality
    train, val, V = quality.splits(common.load_text(), quick=args.quick)
    runner = GPTRunner(train, val, V, **(dict(width=32, heads=2, layers=1) if args.quick else {}))
    budget = 4.0 if args.quick else (args.budget_wall or args.budget_cpu)
    res = quality.race([runner], budget, wall=args.budget_wall is not None and not args.quick, slice_s=budget)
    r = res[runner.name]
    rows = [common.row(f"GPT baseline alone ({runner.n_params() / 1e6:.2f}M params)",
                       f"val {r['val']:.3f}", "-", "-", None, **r)]
    return common.report(rows, args, "gpt")


if __name__ == "__main__":
    main()
