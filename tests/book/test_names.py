import math

import numpy as np
import pytest

from rnnkit.book import names


def test_split_names_drops_unfinished_pieces():
    assert names.split_names("\nanna\nbob\ncar") == ["anna", "bob"]
    # no leading newline: the first piece may be the tail of a name
    assert names.split_names("na\nbob\ncarl\n") == ["bob", "carl"]
    assert names.split_names("na\nbob\n", first_is_complete=True) == ["na", "bob"]
    assert names.split_names("\n\n\nx") == []


def test_origin_and_novelty():
    train, held = ["anna", "bob"], ["cleo", "bob"]
    gen = ["anna", "cleo", "zed", "zed", "bob"]
    assert names.origin(gen, train, held) == {"train": 2, "held out": 1, "new": 2}
    assert names.novel(gen, train + held) == ["zed"]


def test_bigram_counts_by_hand():
    # "ab\n" twice: from "\n" always "a", from "a" always "b", from "b" always "\n"
    b = names.Bigram("ab", alpha=0).fit("ab\nab\n")
    assert b.nll("ab\n") == pytest.approx(0.0)
    b1 = names.Bigram("ab", alpha=1).fit("ab\nab\n")
    # with add-one smoothing each of the 3 predictions has p = (2 + 1) / (2 + 3)
    assert b1.nll("ab\n") == pytest.approx(-math.log(3 / 5))
    assert np.allclose(b1.probs.sum(1), 1)


def test_bigram_first_character_is_predicted_from_a_newline():
    # per character including the newline: "ab\n" is 3 predictions, the first from "\n"
    b = names.Bigram("abc", alpha=0).fit("ab\ncb\n")
    assert b.probs[b.stoi["\n"], b.stoi["a"]] == pytest.approx(0.5)
    assert b.nll("ab\n") == pytest.approx(-math.log(0.5) / 3)
    assert b.names_nll(["ab"]) == b.nll("ab\n")


def test_bigram_rejects_unknown_characters():
    with pytest.raises(ValueError, match="'z'"):
        names.Bigram("ab").fit("abz\n")


def test_uniform_is_worse_than_bigram_on_its_own_text():
    text = "anna\nanne\nannie\nbob\nbobby\n" * 10
    b = names.Bigram(set(text)).fit(text)
    assert b.nll(text) < math.log(len(set(text)))  # a uniform guess


def test_shuffled_list_is_a_fixed_permutation(mirror):
    path = names.shuffled_list("names", seed=0)
    text = path.read_text("utf-8")
    from rnnkit import data
    original = names.read_names(data.load("names"))
    shuffled = names.read_names(text)
    assert sorted(shuffled) == sorted(original) and shuffled != original
    assert text.endswith("\n")
    assert names.shuffled_list("names", seed=0).read_text("utf-8") == text
    assert names.read_names(names.shuffled_list("names", seed=1).read_text("utf-8")) != shuffled


def test_reference_points_are_ordered():
    values = [v for _, v in names.MAKEMORE_REFERENCE]
    assert values == sorted(values, reverse=True) and values[0] == pytest.approx(2.4765)
