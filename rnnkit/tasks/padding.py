"""Sequences of different lengths in one batch: padded to the longest, index 0 meaning "no
symbol here", with each row's own length kept beside it.

    vocab = NameVocab.from_names(["Anna", "Bob"])
    ids, lengths = vocab.encode(["Anna", "Bob"])   # [[A, n, n, a], [B, o, b, 0]], [4, 3]
    reverse_within(ids, lengths)                   # [[a, n, n, A], [b, o, B, 0]]

A model reads the lengths to stop at each row's last real symbol (pack_padded_sequence), to
mask the padding out of attention, or to ignore it in a loss (ignore_index=PAD). The name
classifier, the name generator and the addition encoder-decoder all batch this way.
"""
import torch

from ..errors import TextError

PAD = 0  # index 0 of every padded vocabulary


def pad(rows):
    """(ids, lengths) for lists of ids: a (batch, longest) LongTensor padded with PAD, and
    each row's length."""
    if not rows:
        raise TextError("nothing to pad: the list of sequences is empty")
    lengths = torch.tensor([len(r) for r in rows])
    ids = torch.full((len(rows), int(lengths.max())), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r, dtype=torch.long)
    return ids, lengths


def reverse_within(ids, lengths):
    """Each row's first `length` entries reversed; the padding stays at the end."""
    T = ids.shape[1]
    pos = torch.arange(T).expand(len(ids), T)
    src = torch.where(pos < lengths[:, None], lengths[:, None] - 1 - pos, pos)
    return ids.gather(1, src)


def batches(items, batch_size, generator=None):
    """Lists of up to batch_size items: in order, or in the random order of one
    torch.randperm drawn from `generator` (a new order each pass when the generator goes on)."""
    order = torch.randperm(len(items), generator=generator) if generator is not None else torch.arange(len(items))
    order = order.tolist()
    for i in range(0, len(items), batch_size):
        yield [items[j] for j in order[i:i + batch_size]]


class NameVocab:
    """Characters to indices, PAD (0) first, the rest sorted: a padded batch of names is a
    plain LongTensor."""

    def __init__(self, chars):
        self.chars = ["<pad>"] + sorted(set(chars))
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_names(cls, names):
        if isinstance(names, str) or not all(isinstance(n, str) for n in names) or not "".join(names):
            raise TextError(f"from_names needs a list of names (strings), not all empty, got {names!r:.60}")
        return cls(set("".join(names)))

    def __len__(self):
        return len(self.chars)

    def encode(self, names):
        """(ids, lengths): a (batch, longest) LongTensor padded with PAD, and each name's length."""
        if isinstance(names, str) or not names or not all(isinstance(n, str) and n for n in names):
            raise TextError(f"encode needs a non-empty list of non-empty names, got {names!r:.60}")
        unknown = {c for n in names for c in n} - set(self.stoi)
        if unknown:
            raise TextError(f"characters not in the vocabulary: {''.join(sorted(unknown))!r}")
        return pad([[self.stoi[c] for c in n] for n in names])
