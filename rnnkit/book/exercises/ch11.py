"""Chapter 11 (many to one, classifying names): sorting and padding a batch of names, and packing
it time step by time step as pack_padded_sequence does."""
import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from .core import Case, Exercise, Mistake
from .quiz import Option, Question

_BATCHES = (  # names as lists of character ids (0 is the pad)
    [[3, 1, 4], [1, 5], [9, 2, 6, 5]],
    [[7], [2, 8], [1, 8, 3], [4, 4]],
    [[5, 5, 5]],
)


def _sorted_padded(names, reverse=True, left=False, sort=True):
    order = sorted(range(len(names)), key=lambda i: -len(names[i]) if reverse else len(names[i])) if sort \
        else list(range(len(names)))
    width = max(map(len, names))
    rows = [[0] * (width - len(names[i])) + names[i] if left else names[i] + [0] * (width - len(names[i]))
            for i in order]
    return np.array(rows), [len(names[i]) for i in order]


def _unsorted(names):
    return _sorted_padded(names, sort=False)


def _shortest_first(names):
    return _sorted_padded(names, reverse=False)


def _pad_left(names):
    return _sorted_padded(names, left=True)


def _packed(padded, lengths):
    p = pack_padded_sequence(torch.as_tensor(padded), torch.as_tensor(lengths), batch_first=True)
    return p.data.numpy(), p.batch_sizes.numpy()


def _packed_name_by_name(padded, lengths):
    return np.concatenate([row[:n] for row, n in zip(padded, lengths)]), _packed(padded, lengths)[1]


def _lengths_as_batch_sizes(padded, lengths):
    return _packed(padded, lengths)[0], np.array(lengths)


def _padding_packed(padded, lengths):
    return padded.T.reshape(-1), np.full(padded.shape[1], padded.shape[0])


_PACK = tuple(_sorted_padded(b) for b in _BATCHES[:2]) + (
    (np.array([[4, 2, 7, 1, 3], [6, 6, 0, 0, 0], [8, 0, 0, 0, 0]]), [5, 2, 1]),)

def _outputs(B, T, H, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(B, T, H, generator=g, dtype=torch.float64)


_STATES = ((_outputs(3, 4, 2, 1), [4, 2, 1]), (_outputs(2, 5, 3, 2), [3, 5]), (_outputs(1, 3, 2, 3), [3]))


def _after_padding(outputs, lengths):
    return outputs[:, -1]


def _one_step_too_far(outputs, lengths):
    return outputs[torch.arange(len(lengths)), torch.tensor(lengths).clamp(max=outputs.shape[1] - 1)]


EXERCISES = (
    Exercise(
        "11.1", "Sort a batch of names by length and pad it",
        cases=tuple(Case((b,), _sorted_padded(b), f"names {b}") for b in _BATCHES),
        mistakes=(
            Mistake(_unsorted,
                    "The rows are not sorted: put the longest name first (pack_padded_sequence's "
                    "enforce_sorted expects it)."),
            Mistake(_shortest_first, "Sorted shortest first: the longest name comes first."),
            Mistake(_pad_left, "The pad is on the left: pad after each name, so that it starts at step 0."),
        ),
    ),
    Exercise(
        "11.2", "Pack a padded batch",
        cases=tuple(Case((p, l), _packed(p, l), f"padded {p.tolist()}, lengths {l}") for p, l in _PACK),
        mistakes=(
            Mistake(_packed_name_by_name,
                    "The data are packed name by name: packing goes time step by time step, the first "
                    "character of every name, then the second of those still running, and so on."),
            Mistake(_lengths_as_batch_sizes,
                    "batch_sizes are not the lengths: batch_sizes[t] is how many names are still "
                    "running at step t."),
            Mistake(_padding_packed,
                    "The padding is packed too: only the first `length` characters of each row go in."),
        ),
    ),
    Exercise(
        "11.3", "The state after each name's own last letter",
        cases=tuple(Case((o, l), o[torch.arange(len(l)), torch.tensor(l) - 1],
                         f"outputs of shape {tuple(o.shape)}, lengths {l}") for o, l in _STATES),
        mistakes=(
            Mistake(_after_padding,
                    "That is the state after the last step of the padded batch: for a short name it has "
                    "read the padding too, the chapter's pitfall. Take row b at step lengths[b] - 1."),
            Mistake(_one_step_too_far, "One step too far: a name of length n ends at step n - 1."),
        ),
    ),
)

QUIZ = (
    Question("Fed a padded batch without packing, which state does a left-to-right LSTM classify?",
             (Option("The state after the last pad, a different number of steps after each name's last letter.", True,
                     "The RNN reads on through the padding; packing stops each row at its own length."),
              Option("The state after each name's last letter.", False, "That is what packing gives."),
              Option("The state before the first letter.", False, "That is the initial state, before any reading."))),
    Question("Why are the names that are in both lists kept out of training and test?",
             (Option("They have no single right answer.", True,
                     "A classifier scored on them is scored on a coin the data itself tossed."),
              Option("They are too long.", False, "Their length is not the issue; their label is."),
              Option("They would make training slower.", False, "There are few of them; the problem is their label."))),
    Question("A bidirectional LSTM classifies a name from which final state?",
             (Option("The left-to-right state after the last letter and the right-to-left state after the "
                     "first, concatenated.", True, "PyTorch's h_n[-2] and h_n[-1]: each direction's last step."),
              Option("The right-to-left state after the last letter.", False,
                     "The right-to-left pass ends at the first letter, so that is where its final state is."),
              Option("The average of the two directions' states at every step.", False,
                     "The chapter's models concatenate the two final states, with no averaging."))),
    Question("With about a thousand test names, two accuracies 2 points apart are...",
             (Option("not distinguishable: the 95% intervals overlap.", True,
                     "The chapter notes that models closer than about three points cannot be told apart."),
              Option("clearly different.", False, "At n ≈ 1000 the Wilson interval is several points wide."),
              Option("different only if both are above 80%.", False,
                     "The width of the interval depends on n and p, and the difference here is smaller than it."))),
)
