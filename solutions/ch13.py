"""Chapter 13: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import torch


def attend(s, H, W, mask):
    scores = H @ W.T @ s                                # scores[i] = s @ W @ H[i]
    scores = scores.masked_fill(~mask, float("-inf"))   # padding: weight exactly zero
    weights = torch.softmax(scores, dim=0)
    return weights, weights @ H


def carries(question):
    a, b = question.split("+")
    count, carry = 0, 0
    for i in range(max(len(a), len(b))):
        x = int(a[-1 - i]) if i < len(a) else 0
        y = int(b[-1 - i]) if i < len(b) else 0
        carry = (x + y + carry) // 10
        count += carry
    return count


SOLUTIONS = {"13.1": attend, "13.2": carries}

NOTES = {
    "13.1": "Luong's general score sᵀ W hᵢ for every i at once is H @ W.T @ s. Masking with -inf before the "
            "softmax gives padded positions exactly zero weight; masking after (multiplying the weights "
            "by the mask) leaves weights that no longer sum to 1. The context is the weighted sum of the "
            "encoder states, weights @ H.",
    "13.2": "Line the places up from the right and add the incoming carry: 95+5 carries twice and 199+1 "
            "twice. The library's seq2seq.has_carry only asks whether some place's two digits reach 10 "
            "on their own, which is enough to pick sums for the heat maps.",
}


def _wrong_order(s, H, W, mask):
    scores = H @ s @ W  # (T,) @ (D, D): RuntimeError
    return torch.softmax(scores, dim=0), None


def _nan(s, H, W, mask):
    weights = torch.exp(H @ W.T @ s) * mask
    weights = weights / weights.sum() * float("inf")  # a stray factor: inf * 0 is NaN
    return weights, weights @ H


def _raises(question):
    return int(question)  # "535+61" is not a number: ValueError


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch13 import _carries_from_left, _carries_unchained, _dot_score, _unmasked, _w_transposed
    return {
        "13.1": [(_unmasked, "padding got weight"), (_dot_score, "W is missing"), (_w_transposed, "W is transposed"),
                 (_nan, "NaN"), (_wrong_order, "raised RuntimeError"),
                 (lambda s, H, W, mask: (H @ W.T @ s).softmax(0), "expected 2 values")],
        "13.2": [(_carries_unchained, "incoming carry"), (_carries_from_left, "lined up from the left"),
                 (_raises, "raised ValueError"), (lambda question: None, "returned None")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
