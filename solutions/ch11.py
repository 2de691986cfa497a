"""Chapter 11: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import torch


def sort_and_pad(names):
    ordered = sorted(names, key=len, reverse=True)  # sorted() is stable: ties keep their order
    width = len(ordered[0])
    padded = torch.tensor([name + [0] * (width - len(name)) for name in ordered])
    return padded, [len(name) for name in ordered]


def pack(padded, lengths):
    data, batch_sizes = [], []
    for t in range(max(lengths)):
        running = [b for b, n in enumerate(lengths) if n > t]
        data += [int(padded[b][t]) for b in running]
        batch_sizes.append(len(running))
    return torch.tensor(data), torch.tensor(batch_sizes)


SOLUTIONS = {"11.1": sort_and_pad, "11.2": pack}

NOTES = {
    "11.1": "sorted(..., reverse=True) keeps equal lengths in their order (Python's sort is stable, and "
            "reverse=True preserves that). The chapter's classifier passes enforce_sorted=False instead, "
            "and PyTorch sorts and unsorts internally; the exercise shows what it does.",
    "11.2": "Compare with torch.nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True): "
            ".data and .batch_sizes. The RNN then runs step t on the first batch_sizes[t] rows only, which "
            "is why the rows must be sorted longest first.",
}


def _unsorted(names):
    width = max(map(len, names))
    return torch.tensor([n + [0] * (width - len(n)) for n in names]), [len(n) for n in names]


def _shortest_first(names):
    ordered = sorted(names, key=len)
    width = len(ordered[-1])
    return torch.tensor([n + [0] * (width - len(n)) for n in ordered]), [len(n) for n in ordered]


def _pad_left(names):
    ordered = sorted(names, key=len, reverse=True)
    width = len(ordered[0])
    return torch.tensor([[0] * (width - len(n)) + n for n in ordered]), [len(n) for n in ordered]


def _raises(names):
    raise TypeError("can only concatenate list (not \"int\") to list")


def _row_by_row(padded, lengths):
    data = [int(x) for row, n in zip(padded, lengths) for x in row[:n]]
    return torch.tensor(data), pack(padded, lengths)[1]


def _lengths_as_sizes(padded, lengths):
    return pack(padded, lengths)[0], torch.tensor(lengths)


def _with_padding(padded, lengths):
    B, T = padded.shape
    return padded.T.reshape(-1), torch.full((T,), B)


def _rows_by_length(padded, lengths):
    return padded[lengths].reshape(-1), torch.tensor(lengths)  # lengths are not row numbers: IndexError


def _nan(padded, lengths):
    return torch.full((sum(lengths),), float("nan")), pack(padded, lengths)[1]


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "11.1": [(_unsorted, "not sorted"), (_shortest_first, "shortest first"), (_pad_left, "on the left"),
             (_raises, "raised TypeError"),
             (lambda names: None, "returned None")],
    "11.2": [(_row_by_row, "time step by time step"), (_lengths_as_sizes, "still running"),
             (_with_padding, "padding is packed too"),
             (_nan, "NaN"), (_rows_by_length, "raised IndexError")],
}
