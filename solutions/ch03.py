"""Chapter 3: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def apply_temperature(logits, T):
    if T == 0:
        probs = np.zeros(len(logits))
        probs[np.argmax(logits)] = 1.0
        return probs
    z = logits / T
    e = np.exp(z - z.max())
    return e / e.sum()


def batch_rows(text, batch_size, seq_len, k):
    n = len(text) - 1                   # every input needs a next character as its target
    length = n // batch_size            # characters per stream
    rows = []
    for r in range(batch_size):
        start = r * length + k * seq_len
        rows.append((text[start:start + seq_len], text[start + 1:start + seq_len + 1]))
    return rows


SOLUTIONS = {"03.1": apply_temperature, "03.2": batch_rows}

NOTES = {
    "03.1": "softmax(z / T), with the largest score subtracted before exp (the T = 0.001 case overflows "
            "otherwise) and T = 0 as its limit, the one-hot argmax. Raising p to the power 1/T and "
            "renormalising is the same function and passes.",
    "03.2": "Streams of length (len(text) - 1) // batch_size, one per row; batch k takes characters "
            "k*seq_len .. (k+1)*seq_len of each stream. Ask why row r of batch k+1 must continue row r "
            "of batch k: the trainer carries each row's hidden state over.",
}


def _no_zero(logits, T):
    return apply_temperature(logits, T) if T else 1 / T  # ZeroDivisionError at T = 0


def _one_row(text, batch_size, seq_len, k):
    return batch_rows(text, batch_size, seq_len, k)[:1]


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch03 import _no_temperature, _overflowing, _row_major, _times_t, _unshifted
    return {
        "03.1": [(_times_t, "multiplied by T"), (_no_temperature, "not applied"),
                 (_overflowing, "overflow"), (_no_zero, "raised ZeroDivisionError"),
                 (lambda z, T: None, "returned None")],
        "03.2": [(_row_major, "its own stream"), (_unshifted, "shifted by one"), (_one_row, "expected 2 values"),
                 (lambda text, b, s, k: text[k] + 1, "raised TypeError"),
                 (lambda text, b, s, k: None, "returned None")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
