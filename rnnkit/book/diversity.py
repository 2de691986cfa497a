"""Sampling strategies measured: diversity against quality for temperature, top-k and top-p.

    sizes = options("cpu")         # chapter 17's model, and n samples of `length` per knob value
    grid = strategy_grid(model, vocab, dictionary, GRIDS, n=sizes["n"], length=sizes["length"], seed=0)
    at, best = best_at(grid, x=0.8)    # each strategy's real-word share at a diversity of 0.8
    x, at, best, at_x = comparison_point(grid, 0.8)   # at 0.8 if two strategies reach it

Diversity: the share of distinct word pairs (bigrams) of a text ("distinct-2", Li et al.
2016; 1.0: no two words ever repeat in that order). Longer n-grams saturate at 1.0 on
samples of a thousand characters unless the text loops outright, so pairs separate the
knobs better. Also the loop share of measures.repeated_fraction.
Quality: the share of words (2 letters or more) found in the training text, measures.word_fraction.
Every point is the mean over n samples of `length` characters drawn in one batched call.
"""
from ..sample import sample
from ..tasks.common import sizes
from . import measures

# Chapter 17's sizes: one Tiny Shakespeare char model ("model": overrides of
# presets.get("tinyshakespeare", scale)), and n samples of `length` characters per knob value.
# (The tasks' schema: {experiment: {scale: sizes}}, every scale with the same keys.)
PRESETS = {
    "sampling": {
        "smoke": dict(model=dict(max_steps=30), n=2, length=200),
        "cpu": dict(model=dict(hidden=192, embed=48, max_steps=1500, lr_decay_every=500, eval_every=1500,
                               eval_batches=20), n=4, length=1000),
        "gpu": dict(model=dict(), n=8, length=2000),
    },
}

# Each strategy's knob; top-k and top-p at temperature 1 (the model as trained).
GRIDS = {
    "temperature": [0.1, 0.3, 0.5, 0.7, 0.85, 1.0, 1.2, 1.5],
    "top-k": [1, 2, 3, 5, 8, 12, 20],
    "top-p": [0.05, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0],
}


def options(scale="auto", **overrides):
    """Chapter 17's sizes at `scale` (a new dict), with overrides of its keys."""
    return sizes(PRESETS["sampling"], scale, **overrides)


def distinct_ngrams(text, n=4):
    """Share of distinct word n-grams among all word n-grams of text (words: runs of letters,
    lower-cased). NaN when the text has fewer than n words."""
    ws = [w.lower() for w in measures.words(text)]
    grams = [tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)]
    if not grams:
        return float("nan")
    return len(set(grams)) / len(grams)


def diversity_and_quality(texts, dictionary):
    """Mean diversity and quality over a list of texts, and the standard error of the
    real-word share (spread over the texts / sqrt(count); 0 for a single text)."""
    mean = lambda f: sum(f(t) for t in texts) / len(texts)
    words = [measures.word_fraction(t, dictionary, min_len=2) for t in texts]
    m = sum(words) / len(words)
    se = (sum((w - m) ** 2 for w in words) / (len(words) - 1) / len(words)) ** 0.5 if len(words) > 1 else 0.0
    return {
        "distinct2": mean(lambda t: distinct_ngrams(t, 2)),
        "loops": mean(measures.repeated_fraction),
        "real_words": m,
        "real_words_se": se,
    }


def strategy_samples(model, vocab, strategy, knob, n=4, length=1000, prime="\n", seed=0):
    """n samples drawn with one strategy at one knob value, one batched call."""
    kw = {"temperature": dict(temperature=knob), "top-k": dict(top_k=int(knob)),
          "top-p": dict(top_p=knob)}
    if strategy not in kw:
        raise ValueError(f"unknown strategy {strategy!r}; choose {', '.join(kw)}")
    return sample(model, vocab, length=length, prime=prime, n=n, seed=seed, **kw[strategy])


def strategy_grid(model, vocab, dictionary, grids=None, n=4, length=1000, prime="\n", seed=0):
    """{strategy: [(knob, measures, first sample)]} over every knob of every strategy."""
    out = {}
    for strategy, knobs in (grids or GRIDS).items():
        out[strategy] = []
        for knob in knobs:
            texts = strategy_samples(model, vocab, strategy, knob, n, length, prime, seed)
            texts = [t[len(prime):] for t in texts]  # the samples only, not the prime
            out[strategy].append((knob, diversity_and_quality(texts, dictionary), texts[0]))
    return out


def interpolate(points, x):
    """y at x on the polyline through points [(x, y)] sorted by x; None outside their range."""
    pts = sorted(points)
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return None


def best_at(grid, x, xkey="distinct2", ykey="real_words"):
    """{strategy: its quality interpolated at diversity x} (None where its knob's range does
    not reach x), and the strategy with the highest value (None if none reaches x)."""
    at = {s: interpolate([(m[xkey], m[ykey]) for _, m, _ in rows], x) for s, rows in grid.items()}
    reached = {s: v for s, v in at.items() if v is not None}
    return at, (max(reached, key=reached.get) if reached else None)


def comparison_point(grid, x, xkey="distinct2", ykey="real_words"):
    """Where to compare the strategies: at diversity x (e.g. real text's) when at least two of
    them reach it, else at the median of all the diversities the knobs reach. Returns (the
    diversity used, best_at's {strategy: quality}, the best strategy, True when it is x)."""
    at, best = best_at(grid, x, xkey, ykey)
    if sum(v is not None for v in at.values()) >= 2:
        return x, at, best, True
    xs = sorted(m[xkey] for rows in grid.values() for _, m, _ in rows)
    x = xs[len(xs) // 2]
    at, best = best_at(grid, x, xkey, ykey)
    return x, at, best, False



def knob_ends(grid, xkey="distinct2", ykey="real_words"):
    """{strategy: ((diversity, quality) at its safest knob, the same at its boldest)}: each grid
    runs from the safe end (low temperature, small k, small p) to the bold one."""
    return {s: ((rows[0][1][xkey], rows[0][1][ykey]), (rows[-1][1][xkey], rows[-1][1][ykey]))
            for s, rows in grid.items()}
