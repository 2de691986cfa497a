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


def _raises(scores, target):
    raise IndexError("index 9 is out of bounds")


def _nan(scores, target):
    return np.full_like(scores, np.nan)


def _tanh_of_list(h, dh):
    return dh * (1.0 - list(h) ** 2)  # a list has no ** : TypeError


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch02 import (_grad_overflowing, _grad_sign_flipped, _no_tanh_factor, _probs_only,
                                            _tanh_again)
    return {
        "02.1": [(_grad_sign_flipped, "sign is flipped"), (_raises, "raised IndexError"), (_nan, "NaN"),
                 (_grad_overflowing, "overflow"), (_probs_only, "not subtracted")],
        "02.2": [(_no_tanh_factor, "missing"), (_tanh_again, "already tanh"), (lambda h, dh: None, "returned None"),
                 (_tanh_of_list, "raised TypeError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
