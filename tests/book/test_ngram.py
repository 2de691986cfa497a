"""The n-gram baseline: a slow, obvious reference implementation checks the fast one."""
from collections import Counter

import numpy as np
import pytest
import torch

from rnnkit.book import ngram
from rnnkit.model import CharRNN


def reference_prob(train, history, w, order, V):
    """Interpolated modified Kneser-Ney written out with Counters, one probability at a time."""
    def stats(k):
        if k == order - 1:
            c = Counter(tuple(train[t - k:t + 1]) for t in range(k, len(train)))
        else:
            c = Counter(g for g in {tuple(train[t - k - 1:t + 1]) for t in range(k + 1, len(train))}
                        for g in [g[1:]])
        counts = np.array(list(c.values()))
        n = [np.sum(counts == i) for i in (1, 2, 3, 4)]
        if min(n) == 0:
            D = [0, .5, .5, .5]
        else:
            y = n[0] / (n[0] + 2 * n[1])
            D = [0] + [min(max(x, 0), i + 1) for i, x in enumerate(
                [1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])]
        return c, D

    p = 1 / V
    for k in range(order):
        if k > len(history):
            break
        c, D = stats(k)
        ctx = tuple(history[len(history) - k:]) if k else ()
        ext = {g: n for g, n in c.items() if g[:-1] == ctx}
        C = sum(ext.values())
        if C == 0:
            continue
        freed = sum(D[min(n, 3)] for n in ext.values())
        n = ext.get(ctx + (w,), 0)
        p = (n - D[min(n, 3)] + freed * p) / C
    return p


@pytest.fixture(scope="module")
def corpus():
    rng = np.random.default_rng(0)
    # a little structure (repeated phrases) so that higher orders matter
    words = [rng.integers(0, 6, size=rng.integers(2, 6)) for _ in range(12)]
    return np.concatenate([words[i] for i in rng.integers(0, 12, size=400)])


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_matches_the_reference(corpus, order):
    lm = ngram.KneserNey(order, vocab_size=7).fit(corpus)
    test = corpus[50:90]
    fast = np.exp(lm.logprobs(test, history=corpus[40:50]))
    full = np.concatenate([corpus[40:50], test])
    slow = [reference_prob(list(corpus), list(full[:10 + t]), full[10 + t], order, 7) for t in range(len(test))]
    np.testing.assert_allclose(fast, slow, rtol=1e-9)


@pytest.mark.parametrize("order", [1, 3, 20])
def test_distribution_sums_to_one(corpus, order):
    lm = ngram.KneserNey(order, vocab_size=7).fit(corpus)
    ctx = corpus[100:130]
    queries = np.stack([np.r_[ctx, w] for w in range(7)])  # every possible next character
    p = np.exp(lm.logprobs(queries)[:, -1])
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (p > 0).all()  # 6 never... all symbols keep mass, even one the corpus lacks


def test_longer_context_helps_on_structured_text(corpus):
    train, test = corpus[:1200], corpus[1200:]
    ce = [ngram.KneserNey(n, 7).fit(train).cross_entropy(test) for n in (1, 2, 6)]
    assert ce[0] > ce[1] > ce[2]


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        ngram.KneserNey(0)
    with pytest.raises(ValueError):
        ngram.KneserNey(3, vocab_size=4).fit([0, 1, 5])
    with pytest.raises(RuntimeError):
        ngram.KneserNey(3, vocab_size=4).logprobs([0, 1])


def test_brace_distances_and_grouping():
    text = "{a{b}c}{" + "x" * 30 + "}"
    pos, dist = ngram.brace_distances(text)
    assert pos.tolist() == [4, 6, 38] and dist.tolist() == [2, 6, 31]
    a, b = np.zeros(len(text)), np.ones(len(text))
    a[38] = 5.0
    rows = ngram.loss_by_distance(a, b, pos, dist, bins=(1, 10, 100))
    assert [r["n"] for r in rows] == [2, 1]
    assert rows[1]["a"] == 5.0 and rows[0]["b"] == 1.0
    assert [ngram.distance_label(r) for r in rows] == ["1-9", "10-99"]
    assert ngram.distance_label({"lo": 160, "hi": 10**9}) == "160+"  # the open-ended last group


def test_losses_beyond_a_distance_are_pooled_by_count():
    groups = [dict(lo=1, hi=40, n=5, a=9.0, b=9.0), dict(lo=40, hi=80, n=1, a=1.0, b=4.0),
              dict(lo=80, hi=10**9, n=3, a=2.0, b=2.0), dict(lo=160, hi=10**9, n=0, a=float("nan"), b=1.0)]
    n, a, b = ngram.beyond(groups, lo=40)
    assert n == 4 and a == (1.0 + 3 * 2.0) / 4 and b == (4.0 + 3 * 2.0) / 4
    n, a, b = ngram.beyond(groups, lo=500)
    assert n == 0 and a != a and b != b  # none that far: NaN, not a division by zero


def test_model_losses_align_with_a_direct_forward():
    torch.manual_seed(0)
    model = CharRNN(7, "lstm", 1, 16)
    ids = torch.randint(0, 7, (101,))
    losses = ngram.model_losses(model, ids, streams=1)
    assert np.isnan(losses[0]) and not np.isnan(losses[1:]).any()
    logits, _ = model(ids[None, :-1])
    direct = torch.nn.functional.cross_entropy(logits[0], ids[1:], reduction="none")
    np.testing.assert_allclose(losses[1:], direct.detach().numpy(), rtol=1e-5, atol=1e-6)
    # with history the first character is scored too
    assert not np.isnan(ngram.model_losses(model, ids, streams=1, history=ids[:5])).any()


def test_compare_aligns_ngram_and_network_losses(mirror):
    from rnnkit.book.experiment import Experiment

    exp = Experiment("linux", "smoke", seed=0, max_steps=5)
    out = ngram.compare(exp, order=3, train_chars=20_000, test_chars=2_000, streams=8)
    assert len(out["test"]) == len(out["ngram"]) == len(out["lstm"]) == 2_000
    assert np.isfinite(out["ngram"]).all() and np.nanmean(out["lstm"]) > 0
