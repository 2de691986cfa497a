"""Chapter 17: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def top_k_filter(probs, k):
    keep = np.zeros_like(probs)
    best = np.argsort(probs)[::-1][:k]
    keep[best] = probs[best]
    return keep / keep.sum()


def top_p_filter(probs, p):
    order = np.argsort(probs)[::-1]
    before = np.cumsum(probs[order]) - probs[order]  # mass of the more likely characters
    keep = np.zeros_like(probs)
    chosen = order[before < p]  # the most likely always stays: its `before` is 0
    keep[chosen] = probs[chosen]
    return keep / keep.sum()


SOLUTIONS = {"17.1": top_k_filter, "17.2": top_p_filter}

NOTES = {
    "17.1": "argsort then take the last k (or the first k of the reversed order). Renormalising is what "
            "torch.multinomial would do anyway, but the function's contract is a distribution.",
    "17.2": "The test `mass before < p` keeps the character that reaches p, which `cumsum <= p` loses. "
            "rnnkit.sample.nucleus does the same on a batch of rows with sort/scatter.",
}


def _raises(probs, k):
    return probs[np.argsort(probs)[::-1][:k]].reshape(k, k)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch17 import (_bottom_k, _top_k_unnormalised, _top_p_short, _top_p_unnormalised,
                                            _top_p_unsorted)
    return {
        "17.1": [(_top_k_unnormalised, "renormalised"), (_raises, "raised ValueError"),
                 (lambda probs, k: None, "returned None"), (_bottom_k, "least likely")],
        "17.2": [(_top_p_short, "carries the sum"), (_top_p_unsorted, "sort first"),
                 (lambda probs, p: probs * np.nan, "NaN"),
                 (_top_p_unnormalised, "Renormalise after"),
                 (lambda probs, p: top_p_filter(probs, p)[np.argsort(probs)[p]], "raised IndexError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
