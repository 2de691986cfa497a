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


def _no_renorm(probs, k):
    keep = np.zeros_like(probs)
    best = np.argsort(probs)[::-1][:k]
    keep[best] = probs[best]
    return keep


def _raises(probs, k):
    return probs[np.argsort(probs)[::-1][:k]].reshape(k, k)


def _cut_short(probs, p):
    order = np.argsort(probs)[::-1]
    keep = np.zeros_like(probs)
    chosen = order[np.cumsum(probs[order]) <= p]
    keep[chosen] = probs[chosen]
    return keep / keep.sum()


def _unsorted(probs, p):
    keep = np.where(np.cumsum(probs) - probs < p, probs, 0.0)
    return keep / keep.sum()


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "17.1": [(_no_renorm, "renormalised"), (_raises, "raised ValueError"), (lambda probs, k: None, "returned None"),
             (lambda probs, k: top_k_filter(-probs, k), "least likely")],
    "17.2": [(_cut_short, "carries the sum"), (_unsorted, "sort first"), (lambda probs, p: probs * np.nan, "NaN"),
             (lambda probs, p: np.where(top_p_filter(probs, p) > 0, probs, 0.0), "Renormalise after"),
             (lambda probs, p: top_p_filter(probs, p)[np.argsort(probs)[p]], "raised IndexError")],
}
