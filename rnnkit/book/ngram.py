"""A character n-gram model with interpolated Kneser-Ney smoothing: the paper's baseline.

The paper compares its LSTMs with a 20-gram model (test cross-entropy, nats per character:
War and Peace 1.077 LSTM vs 1.195 20-gram; Linux kernel 0.84 vs 0.889). We use interpolated
modified Kneser-Ney (Chen & Goodman 1998, the smoothing of KenLM and SRILM's -kndiscount):

  P_k(w | ctx) = [c_k(ctx w) - D_k(c) + F_k(ctx) P_{k-1}(w | shorter ctx)] / C_k(ctx)

with k the context length (0 ... order-1), c_k the raw count at the top order and the
*continuation count* (how many different characters precede `ctx w` in the training text)
below it, C_k(ctx) = sum over w of c_k(ctx w), three discounts D_k(1), D_k(2), D_k(3+) per
order from its counts of counts, and F_k(ctx) = sum over w of D_k(c_k(ctx w)), the mass the
discounts freed, handed to the shorter context. An unseen context passes P_{k-1} through
unchanged; below order 0 sits the uniform 1/V, so every character keeps some probability.

How it stays fast without a dict per context. Every k-gram gets a 64-bit hash, computed for
all positions at once by a rolling recurrence in numpy: G_L(t) = mix((G_{L-1}(t-1) << 8) | x_t).
An n-gram is stored as the key (context hash, 48 bits) << 8 | next character, so sorting the
keys also groups them by context: counting is one np.sort per order, and context totals are
run lengths, not another sort. (48 bits: with a few million contexts per order, two of them
share a key with probability about 1e-2 per order, and then only those two are merged.)
Lookups sort the queries first: a binary search in sorted order stays in cache.
The tables of one order are built, used to score the text and thrown away before the next
order, so memory stays at a few arrays the size of the training text even for order 20. The
price: scoring re-reads the training text (one sort per order), so score once, all at once.
"""
import numpy as np

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S8, _S16, _S27, _S30, _S31 = (np.uint64(s) for s in (8, 16, 27, 30, 31))
_LOW48 = np.uint64((1 << 48) - 1)


def _mix(x):
    """splitmix64's finaliser: a bijection of uint64 that spreads every bit over all bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _S30)) * _M1
        x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def _grams_up(G, ids):
    """Hashes of (L)-grams ending at each t from those of (L-1)-grams: G'(t) = mix(G(t-1)<<8 | x_t)."""
    out = np.empty_like(G)
    out[0] = _mix(ids[0])  # as if G(-1) were the empty gram's 0: right for L = 1, masked above
    out[1:] = _mix((G[:-1] << _S8) | ids[1:])
    return out


def _pair_keys(G, ids):
    """Key of the n-gram ending at t: (hash of the context before t, 48 bits) << 8 | x_t."""
    ctx = np.zeros_like(G)
    ctx[1:] = G[:-1] & _LOW48
    return (ctx << _S8) | ids


def _lookup(keys, tables, queries):
    """For each query, tables[j][i] where keys[i] == query (keys sorted), else 0."""
    order = np.argsort(queries)
    qs = queries[order]
    pos = np.minimum(np.searchsorted(keys, qs), len(keys) - 1)
    hit = keys[pos] == qs
    out = []
    for tab in tables:
        v = np.zeros(len(queries), dtype=np.float64)
        v[order] = np.where(hit, tab[pos], 0)
        out.append(v)
    return out


def _runs(sorted_keys):
    """Start index of every run of equal values in a sorted array."""
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def _discounts(counts):
    """Modified Kneser-Ney's three discounts (for counts 1, 2, 3+) from the counts of counts."""
    n1, n2, n3, n4 = (np.count_nonzero(counts == i) for i in (1, 2, 3, 4))
    if min(n1, n2, n3, n4) == 0:  # tiny corpora: one middle-of-the-road discount
        return np.array([0.0, 0.5, 0.5, 0.5])
    y = n1 / (n1 + 2 * n2)
    d = [1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3]
    return np.array([0.0] + [min(max(x, 0.0), i + 1.0) for i, x in enumerate(d)])


class KneserNey:
    """Interpolated Kneser-Ney over ids in [0, vocab_size), vocab_size <= 256.

        lm = KneserNey(order=20, vocab_size=V).fit(train_ids)
        nll = -lm.logprobs(test_ids, history=val_ids[-100:])   # nats, one per character
    """

    def __init__(self, order=20, vocab_size=256):
        if order < 1:
            raise ValueError("order must be at least 1 (a unigram model)")
        if not 1 <= vocab_size <= 256:
            raise ValueError("vocab_size must be in 1..256 (a character takes 8 bits of a key)")
        self.order, self.vocab_size = order, vocab_size
        self.train = None
        self.discounts = []

    def fit(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or len(ids) < 2:
            raise ValueError("fit needs a 1-D sequence of at least 2 ids")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise ValueError(f"ids must lie in [0, {self.vocab_size})")
        self.train = ids.astype(np.uint64)
        return self

    def _tables(self, k, G, tr):
        """Counts of order k (context length k): sorted n-gram keys with their (continuation)
        counts, and sorted context keys with C (total count) and N (distinct next characters)."""
        pair = _pair_keys(G, tr)
        if k == self.order - 1:  # top order: raw counts
            keys, counts = np.unique(pair[k:], return_counts=True)
        else:                    # continuation counts: distinct left neighbours a of each n-gram
            left = np.sort((pair[k + 1:] << _S8) | tr[:len(tr) - k - 1])
            left = left[_runs(left)]          # distinct (n-gram, a)
            grams = left >> _S8
            starts = _runs(grams)
            keys, counts = grams[starts], np.diff(np.r_[starts, len(grams)])
        ctx = keys >> _S8
        starts = _runs(ctx)
        D = _discounts(counts)
        C = np.add.reduceat(counts, starts).astype(np.float64)
        # the mass the discounts free up in each context: sum over its n-grams of D(count)
        freed = np.add.reduceat(D[np.minimum(counts, 3)], starts)
        return keys, counts.astype(np.float64), ctx[starts], C, freed, D

    def logprobs(self, ids, history=None):
        """log P(ids[t] | everything before it) in nats, for every t; `history` (ids that come
        just before, e.g. the end of the validation split) gives the first characters context.
        ids may also be 2-D (B, T): B independent queries, scored in one pass."""
        if self.train is None:
            raise RuntimeError("call fit() first")
        ids = np.asarray(ids, dtype=np.int64)
        q = np.atleast_2d(ids)
        skip = 0
        if history is not None and len(history):
            h = np.broadcast_to(np.asarray(history, dtype=np.int64), (q.shape[0], len(history)))
            q, skip = np.concatenate([h, q], axis=1), len(history)
        B, T = q.shape
        flat = q.reshape(-1).astype(np.uint64)  # one stream; `col` keeps contexts inside a row
        col = np.tile(np.arange(T), B)
        tr = self.train

        prob = np.full(B * T, 1.0 / self.vocab_size)  # below order 0: uniform
        self.discounts = []
        G_tr, G_q = np.zeros(len(tr), np.uint64), np.zeros(B * T, np.uint64)  # 0-gram hashes
        for k in range(self.order):
            keys, counts, ctx_keys, C, freed, D = self._tables(k, G_tr, tr)
            self.discounts.append(D[1:])
            pair_q = _pair_keys(G_q, flat)
            (c,) = _lookup(keys, [counts], pair_q)
            Cq, Fq = _lookup(ctx_keys, [C, freed], pair_q >> _S8)
            seen = (Cq > 0) & (col >= k)  # a row's first k characters have no k-context
            kept = c - D[np.minimum(c, 3).astype(np.int64)]
            prob = np.where(seen, (kept + Fq * prob) / np.where(seen, Cq, 1), prob)
            G_tr, G_q = _grams_up(G_tr, tr), _grams_up(G_q, flat)
        out = np.log(prob).reshape(B, T)[:, skip:]
        return out[0] if ids.ndim == 1 else out

    def cross_entropy(self, ids, history=None):
        """Mean negative log-likelihood in nats per character."""
        return float(-self.logprobs(ids, history).mean())


# -- where the LSTM wins ------------------------------------------------------------------------

def brace_distances(text, open_="{", close="}"):
    """For every closing brace in text: its position and the distance (in characters) back to
    its matching opening brace. Unmatched closers are skipped."""
    stack, pos, dist = [], [], []
    for i, ch in enumerate(text):
        if ch == open_:
            stack.append(i)
        elif ch == close and stack:
            j = stack.pop()
            pos.append(i)
            dist.append(i - j)
    return np.array(pos, dtype=np.int64), np.array(dist, dtype=np.int64)


def loss_by_distance(losses_a, losses_b, positions, distances, bins=(1, 10, 20, 40, 80, 160, 10**9)):
    """Mean loss of two models on the characters at `positions`, grouped by `distances` into
    [bins[i], bins[i+1]). losses_* are per-character losses of the same text (NaN = not scored).
    Returns a list of dicts: lo, hi, n, a, b."""
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (distances >= lo) & (distances < hi)
        p = positions[m]
        p = p[~(np.isnan(losses_a[p]) | np.isnan(losses_b[p]))]
        rows.append(dict(lo=lo, hi=hi, n=len(p),
                         a=float(losses_a[p].mean()) if len(p) else float("nan"),
                         b=float(losses_b[p].mean()) if len(p) else float("nan")))
    return rows


def beyond(groups, lo=40):
    """The groups of loss_by_distance from distance `lo` on, pooled: (characters, mean loss of
    model a, of model b), weighted by each group's count (NaN means when there are none)."""
    far = [g for g in groups if g["lo"] >= lo and g["n"]]
    n = sum(g["n"] for g in far)
    if not n:
        return 0, float("nan"), float("nan")
    return n, sum(g["a"] * g["n"] for g in far) / n, sum(g["b"] * g["n"] for g in far) / n


def distance_label(group):
    """A loss_by_distance group's distances in words: '40-79', or '160+' for the open-ended last."""
    return f"{group['lo']}-{group['hi'] - 1}" if group["hi"] < 10**9 else f"{group['lo']}+"


def model_losses(model, ids, streams=32, history=None):
    """Per-character loss (nats) of a CharRNN on ids, aligned with KneserNey.logprobs: entry t
    is -log P(ids[t] | before). ids are cut into `streams` rows run as one batch (each row starts
    from a zero state); `history` (ids just before) warms up the first row like the n-gram's.
    Entries no row covers (the ragged end) are NaN."""
    import torch
    import torch.nn.functional as F
    ids = torch.as_tensor(np.asarray(ids), dtype=torch.long)
    hist = torch.as_tensor(np.asarray(history if history is not None else []), dtype=torch.long)
    full = torch.cat([hist, ids])
    rows = len(full) // streams
    x = full[:rows * streams].view(streams, rows)
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        logits, _ = model(x[:, :-1].to(device))
        nll = F.cross_entropy(logits.transpose(1, 2), x[:, 1:].to(device), reduction="none").cpu()
    model.train()
    out = torch.full((len(full),), float("nan"))
    out.view(-1)[:rows * streams].view(streams, rows)[:, 1:] = nll
    return out[len(hist):].numpy().astype(np.float64)


def compare(exp, order=20, train_chars=None, test_chars=None, streams=64):
    """Per-character losses of an n-gram model fitted on an Experiment's train split and of its
    trained network, on the same test characters (both warmed up on the last 100 val ids)."""
    s = exp.trainer.splits
    train = s["train"].numpy()[:train_chars or None]  # 0 or None: all of it
    lm = KneserNey(order, len(exp.vocab)).fit(train)
    test = s["test"].numpy()[:test_chars]
    history = s["val"].numpy()[-100:]
    return dict(test=test, ngram=-lm.logprobs(test, history=history),
                lstm=model_losses(exp.model, test, history=history, streams=streams))
