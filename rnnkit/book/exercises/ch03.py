"""Chapter 3 (Paul Graham, temperature): temperature applied to logits, and char-rnn's batch streams."""
import numpy as np

from ...text import Batches, Vocab
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _temperature(logits, t):
    if t == 0:
        out = np.zeros(len(logits))
        out[np.argmax(logits)] = 1.0
        return out
    return _softmax(logits / t)


_LOGITS = (
    (np.array([2.0, 1.0, 0.0, -1.0]), 1.0, "logits [2, 1, 0, -1], T = 1"),
    (np.array([2.0, 1.0, 0.0, -1.0]), 0.5, "logits [2, 1, 0, -1], T = 0.5"),
    (np.array([3.0, 1.0, 2.0]), 4.0, "logits [3, 1, 2], T = 4"),
    (np.array([0.5, 3.0, 1.0]), 0.001, "logits [0.5, 3, 1], T = 0.001 (large scores after dividing)"),
)


def _times_t(logits, t):
    return _softmax(logits * t)


def _no_temperature(logits, t):
    return _softmax(logits)


def _overflowing(logits, t):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(logits / t)
        return e / e.sum()


def _rows(text, batch_size, seq_len, k):
    """The expected answer, read off rnnkit's own Batches."""
    vocab = Vocab.from_text(text)
    batches = Batches(vocab.encode(text), batch_size, seq_len)
    x, y, _ = list(batches)[k]
    return [(vocab.decode(x[r]), vocab.decode(y[r])) for r in range(batch_size)]


def _row_major(text, batch_size, seq_len, k):
    # consecutive chunks side by side: row r of batch k is chunk k * batch_size + r
    out = []
    for r in range(batch_size):
        start = (k * batch_size + r) * seq_len
        out.append((text[start:start + seq_len], text[start + 1:start + seq_len + 1]))
    return out


def _unshifted(text, batch_size, seq_len, k):
    return [(x, x) for x, _ in _rows(text, batch_size, seq_len, k)]


_TOY = "the model reads one long text in chunks, one stream per row of the batch."
_ABC = "abcdefghijklmnopqrstuvwxyz0123456789"
_BATCHES = ((_TOY, 2, 8, 0), (_TOY, 2, 8, 2), (_ABC, 3, 4, 1))

EXERCISES = (
    Exercise(
        "03.1", "Temperature applied to the logits",
        cases=tuple(Case((z, t), _temperature(z, t), label) for z, t, label in _LOGITS)
        + (Case((np.array([1.0, 4.0, 2.0]), 0), np.array([0.0, 1.0, 0.0]), "logits [1, 4, 2], T = 0 (greedy)"),),
        mistakes=(
            Mistake(_times_t, "The logits are multiplied by T: divide them by T."),
            Mistake(_no_temperature, "The temperature is not applied: divide the logits by T."),
            Mistake(_overflowing, "Dividing by a small T makes exp() overflow: subtract the largest logit first."),
        ),
    ),
    Exercise(
        "03.2", "Batch k of char-rnn's streams",
        cases=tuple(Case(args, _rows(*args), f"{args[0][:12]!r}..., batch_size={args[1]}, "
                         f"seq_len={args[2]}, k={args[3]}") for args in _BATCHES),
        mistakes=(
            Mistake(_row_major, "Consecutive chunks sit side by side: each row must be its own stream, "
                                "the text cut into batch_size long pieces, so row r continues row r."),
            Mistake(_unshifted, "The targets are the inputs shifted by one character, not the inputs."),
        ),
    ),
)

QUIZ = (
    Question("What does sampling at temperature T do to the model's scores z?",
             (Option("It samples from softmax(z / T).", True, "Dividing by T before the softmax is the definition."),
              Option("It samples from softmax(z) / T.", False,
                     "That is not a distribution any more: it no longer sums to 1."),
              Option("It adds T to every score.", False, "Adding a constant to every score changes no probability."))),
    Question("What happens as T goes to 0?",
             (Option("All the probability goes to the most likely character: greedy decoding.", True,
                     "Dividing by a tiny T stretches the gap between the top score and the rest without bound."),
              Option("Every character becomes equally likely.", False, "That is the limit of a large T."),
              Option("The samples get more varied.", False,
                     "They get less varied: the chapter measures loops at T = 0."))),
    Question("Why does greedy decoding fall into loops?",
             (Option("The most likely continuation of text it has already written is the same text again.", True,
                     "Once the state comes back to a place it has been, the same choices follow: the article's "
                     "'is that they were all the same thing' loop."),
              Option("The model was trained on repeated text.", False,
                     "Paul Graham's essays repeat little: the chapter measures their repeated-window share."),
              Option("The hidden state is reset after every character.", False,
                     "The state is carried through the whole sample."))),
    Question("In truncated backpropagation the state is carried over between batches but detached. Then:",
             (Option("Memory can reach past seq_len characters; the gradient reaches back seq_len only.", True,
                     "The state's values go on; the record of how they were computed does not."),
              Option("The model forgets everything at the end of each batch.", False,
                     "That would be a reset: the state is carried over; only at the data's start it begins at zeros."),
              Option("Every update backpropagates to the start of the text.", False,
                     "That is what detaching prevents: each update would cost more and more."))),
)
