"""rnnkit.tasks.padding: padded batches shared by the classifier, the generator and seq2seq."""
import pytest
import torch

from rnnkit.errors import TextError
from rnnkit.tasks.padding import PAD, NameVocab, batches, pad, reverse_within


def test_pad_keeps_each_length_and_fills_with_pad():
    ids, lengths = pad([[3, 1, 2], [5], []])
    assert ids.dtype == torch.long and ids.tolist() == [[3, 1, 2], [5, PAD, PAD], [PAD, PAD, PAD]]
    assert lengths.tolist() == [3, 1, 0]
    with pytest.raises(TextError, match="empty"):
        pad([])


def test_name_vocab_reserves_zero_for_padding():
    v = NameVocab.from_names(["bob", "anna"])
    assert v.chars == ["<pad>", "a", "b", "n", "o"] and len(v) == 5
    ids, lengths = v.encode(["anna", "bob"])
    assert ids.tolist() == [[1, 3, 3, 1], [2, 4, 2, PAD]] and lengths.tolist() == [4, 3]
    with pytest.raises(TextError, match="'xz'"):
        v.encode(["zax"])
    with pytest.raises(TextError, match="non-empty"):
        v.encode(["bob", ""])


def test_reverse_within_keeps_padding_at_the_end():
    ids = torch.tensor([[1, 2, 3, 0], [4, 5, 6, 7]])
    assert reverse_within(ids, torch.tensor([3, 4])).tolist() == [[3, 2, 1, 0], [7, 6, 5, 4]]


def test_batches_in_order_or_in_one_seeded_permutation():
    items = list("abcdefg")
    assert list(batches(items, 3)) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    gen = torch.Generator().manual_seed(0)
    first = list(batches(items, 3, gen))
    order = torch.randperm(7, generator=torch.Generator().manual_seed(0)).tolist()
    assert [x for chunk in first for x in chunk] == [items[i] for i in order]
    assert sorted(x for chunk in first for x in chunk) == items
    assert list(batches(items, 3, gen)) != first  # the generator goes on: a new order each pass
