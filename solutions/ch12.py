"""Chapter 12: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import math

import torch


def conditioned_inputs(chars, label):
    return torch.cat([chars, label.expand(chars.shape[0], -1)], dim=1)


def wilson(k, n, z=1.96):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


SOLUTIONS = {"12.1": conditioned_inputs, "12.2": wilson}

NOTES = {
    "12.1": "ConditionalNameModel.forward does the same for a batch: the label embedding, expanded over "
            "the time steps, concatenated after each character's embedding (torch.cat(..., -1)). "
            "expand() makes a view, repeat() a copy; either is right here.",
    "12.2": "Wilson's score interval (classify.Accuracy.interval): centre (p + z²/2n)/(1 + z²/n), half-width "
            "z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n). At 0 of 20 the Wald interval is [0, 0], Wilson's "
            "[0, 0.16]: 'never in 20 tries' is not 'never'.",
}


def _raises(chars, label):
    return torch.cat([chars, label], dim=1)  # label is 1-D: torch.cat raises


def _domain(k, n, z=1.96):
    half = z * math.sqrt(k / n - 1) / n  # 1 - p turned into p - 1: ValueError (math domain error)
    return k / n - half, k / n + half


def _nan(k, n, z=1.96):
    return float("nan"), float("nan")


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch12 import _label_added, _label_first, _label_first_step_only, _wald, _wald_z1
    return {
        "12.1": [(_label_first_step_only, "first step only"), (_label_first, "label comes first"),
                 (_label_added, "concatenated"), (_raises, "raised"), (lambda chars, label: None, "returned None")],
        "12.2": [(_wald, "Wald"), (_wald_z1, "68%"), (_nan, "NaN"), (_domain, "raised ValueError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
