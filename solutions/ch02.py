"""Chapter 2: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def softmax_xent_grad(scores, target):
    p = np.exp(scores - scores.max())
    p /= p.sum()
    p[target] -= 1.0
    return p


def tanh_backward(h, dh):
    return dh * (1.0 - h * h)


SOLUTIONS = {"02.1": softmax_xent_grad, "02.2": tanh_backward}

NOTES = {
    "02.1": "The loss is -log p[target]; its derivative with respect to score j is p[j] - [j == target]. "
            "Students who skip the max-subtraction fail the third case (scores of ±1000).",
    "02.2": "The forward pass stores h = tanh(a); the backward reuses h: da = dh * (1 - h**2).",
}


def _flipped(scores, target):
    return -softmax_xent_grad(scores, target)


def _raises(scores, target):
    raise IndexError("index 9 is out of bounds")


def _nan(scores, target):
    return np.full_like(scores, np.nan)


def _no_factor(h, dh):
    return dh


def _retanh(h, dh):
    return dh * (1 - np.tanh(h) ** 2)


def _overflows(scores, target):
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(scores) / np.exp(scores).sum()
    p[target] -= 1.0
    return p


def _probs_only(scores, target):
    p = np.exp(scores - scores.max())
    return p / p.sum()


def _tanh_of_list(h, dh):
    return dh * (1.0 - list(h) ** 2)  # a list has no ** : TypeError


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "02.1": [(_flipped, "sign is flipped"), (_raises, "raised IndexError"), (_nan, "NaN"),
             (_overflows, "overflow"), (_probs_only, "not subtracted")],
    "02.2": [(_no_factor, "missing"), (_retanh, "already tanh"), (lambda h, dh: None, "returned None"),
             (_tanh_of_list, "raised TypeError")],
}
