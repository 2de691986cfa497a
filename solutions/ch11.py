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


def last_states(outputs, lengths):
    rows = torch.arange(len(lengths))
    return outputs[rows, torch.tensor(lengths) - 1]


SOLUTIONS = {"11.1": sort_and_pad, "11.2": pack, "11.3": last_states}

NOTES = {
    "11.1": "sorted(..., reverse=True) keeps equal lengths in their order (Python's sort is stable, and "
            "reverse=True preserves that). The chapter's classifier passes enforce_sorted=False instead, "
            "and PyTorch sorts and unsorts internally; the exercise shows what it does.",
    "11.2": "Compare with torch.nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True): "
            ".data and .batch_sizes. The RNN then runs step t on the first batch_sizes[t] rows only, which "
            "is why the rows must be sorted longest first.",
    "11.3": "Fancy indexing picks one step per row: outputs[arange(B), lengths - 1]. This is what a packed "
            "RNN's h_n holds for a one-layer, one-direction LSTM; an unpacked RNN's h_n equals outputs[:, -1], "
            "the state after the padding.",
}


def _raises(names):
    raise TypeError("can only concatenate list (not \"int\") to list")


def _rows_by_length(padded, lengths):
    return padded[lengths].reshape(-1), torch.tensor(lengths)  # lengths are not row numbers: IndexError


def _nan(padded, lengths):
    return torch.full((sum(lengths),), float("nan")), pack(padded, lengths)[1]


def _one_too_far(outputs, lengths):
    return outputs[torch.arange(len(lengths)), torch.tensor(lengths)]  # the longest: IndexError


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch11 import (_after_padding, _lengths_as_batch_sizes, _one_step_too_far,
                                            _packed_name_by_name, _pad_left, _padding_packed, _shortest_first,
                                            _unsorted)
    return {
        "11.1": [(_unsorted, "not sorted"), (_shortest_first, "shortest first"), (_pad_left, "on the left"),
                 (_raises, "raised TypeError"),
                 (lambda names: None, "returned None")],
        "11.2": [(_packed_name_by_name, "time step by time step"), (_lengths_as_batch_sizes, "still running"),
                 (_padding_packed, "padding is packed too"),
                 (_nan, "NaN"), (_rows_by_length, "raised IndexError")],
        "11.3": [(_after_padding, "pitfall"), (_one_step_too_far, "One step too far"),
                 (_one_too_far, "raised IndexError"), (lambda outputs, lengths: None, "returned None")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
