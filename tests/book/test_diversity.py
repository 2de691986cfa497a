"""rnnkit.book.diversity: the sampling-strategy measures."""
import math

import torch

from rnnkit.book import diversity
from rnnkit.model import CharRNN
from rnnkit.text import Vocab


def test_distinct_ngrams():
    assert diversity.distinct_ngrams("the cat sat on the mat today") == 1.0
    looped = "to be or not " * 20
    assert diversity.distinct_ngrams(looped) < 0.1
    assert math.isnan(diversity.distinct_ngrams("two words"))


def test_interpolate_and_best_at():
    assert diversity.interpolate([(0.0, 0.0), (1.0, 2.0)], 0.25) == 0.5
    assert diversity.interpolate([(0.0, 0.0), (1.0, 2.0)], 1.5) is None
    grid = {"a": [(1, {"distinct2": 0.2, "real_words": 0.9}, ""), (2, {"distinct2": 0.8, "real_words": 0.5}, "")],
            "b": [(1, {"distinct2": 0.4, "real_words": 0.95}, ""), (2, {"distinct2": 0.9, "real_words": 0.7}, "")],
            "c": [(1, {"distinct2": 0.95, "real_words": 0.1}, "")]}
    at, best = diversity.best_at(grid, 0.6)
    assert best == "b" and at["c"] is None
    assert abs(at["a"] - (0.9 - 0.4 * (0.4 / 0.6))) < 1e-9



def point(d2, words):
    return {"distinct2": d2, "real_words": words}


def test_comparison_point_at_real_text_when_two_strategies_reach_it():
    grid = {"a": [(1, point(0.2, 0.9), ""), (2, point(0.8, 0.5), "")],
            "b": [(1, point(0.4, 0.95), ""), (2, point(0.9, 0.7), "")],
            "c": [(1, point(0.95, 0.1), "")]}
    x, at, best, at_real = diversity.comparison_point(grid, 0.6)
    assert (x, best, at_real) == (0.6, "b", True) and at == diversity.best_at(grid, 0.6)[0]


def test_comparison_point_falls_back_to_the_median_diversity():
    grid = {"a": [(1, point(0.2, 0.9), ""), (2, point(0.5, 0.5), "")],
            "b": [(1, point(0.3, 0.8), ""), (2, point(0.6, 0.6), "")],
            "c": [(1, point(0.4, 0.1), "")]}
    # only "a" and "b" span a range, and neither reaches 0.9: compare at the median of the five points
    x, at, best, at_real = diversity.comparison_point(grid, 0.9)
    assert (x, at_real) == (0.4, False)
    assert best == "b" and abs(at["a"] - 1.9 / 3) < 1e-9 and abs(at["b"] - 2.2 / 3) < 1e-9 and at["c"] is None

def test_top_k_one_is_greedy_and_grid_measures():
    text = "abc abd abe ab\n" * 20
    vocab = Vocab.from_text(text)
    torch.manual_seed(0)
    model = CharRNN(len(vocab), "lstm", 1, 16)
    a = diversity.strategy_samples(model, vocab, "top-k", 1, n=2, length=50, seed=1)
    b = diversity.strategy_samples(model, vocab, "top-k", 1, n=2, length=50, seed=2)
    assert a == b and a[0] == a[1]  # one candidate: no randomness left
    grid = diversity.strategy_grid(model, vocab, {"abc", "abd"}, {"top-p": [0.5, 1.0]}, n=2, length=80)
    (k0, m0, s0), (k1, m1, s1) = grid["top-p"]
    assert (k0, k1) == (0.5, 1.0) and len(s0) == 80
    assert set(m0) == {"distinct2", "loops", "real_words", "real_words_se"}
    m = diversity.diversity_and_quality(["the cat sat", "dog zz"], {"the", "cat", "sat", "dog"})
    assert m["real_words"] == 0.75 and abs(m["real_words_se"] - 0.25) < 1e-12


def test_knob_ends_are_the_safe_and_the_bold_end_of_each_grid():
    grid = {"temperature": [(0.2, {"distinct2": 0.1, "real_words": 0.99}, ""), (1.0, {"distinct2": 0.5, "real_words": 0.8}, ""),
                            (1.5, {"distinct2": 0.9, "real_words": 0.4}, "")],
            "top-k": [(1, {"distinct2": 0.05, "real_words": 1.0}, ""), (40, {"distinct2": 0.8, "real_words": 0.7}, "")]}
    assert diversity.knob_ends(grid) == {"temperature": ((0.1, 0.99), (0.9, 0.4)), "top-k": ((0.05, 1.0), (0.8, 0.7))}
    assert all(k == sorted(k) for k in diversity.GRIDS.values())  # every grid runs from safe to bold
