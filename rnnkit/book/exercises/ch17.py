"""Chapter 17 (sampling strategies): the top-k and the top-p (nucleus) filters, applied to one
distribution over the next character."""
import numpy as np
import torch

from ...sample import nucleus
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _top_k(probs, k, renorm=True):
    keep = np.zeros_like(probs)
    idx = np.argsort(-probs)[:k]
    keep[idx] = probs[idx]
    return keep / keep.sum() if renorm else keep


def _top_k_unnormalised(probs, k):
    return _top_k(probs, k, renorm=False)


def _bottom_k(probs, k):
    return _top_k(-probs, k)


def _top_p(probs, p, renorm=True):
    # rnnkit's own nucleus filter, then the renormalisation multinomial would do
    kept = nucleus(torch.tensor(probs, dtype=torch.float64).unsqueeze(0), p)[0].numpy()
    return kept / kept.sum() if renorm else kept


def _top_p_unnormalised(probs, p):
    return _top_p(probs, p, renorm=False)


def _top_p_short(probs, p):
    """The mistake of cutting where the running sum passes p, dropping the character that reaches it."""
    order = np.argsort(-probs)
    keep = np.zeros_like(probs)
    total = 0.0
    for i in order:
        total += probs[i]
        if total > p + 1e-12:
            break
        keep[i] = probs[i]
    return keep / keep.sum() if keep.sum() > 0 else keep


def _top_p_unsorted(probs, p):
    keep = np.where(np.cumsum(probs) - probs < p, probs, 0.0)
    return keep / keep.sum()


_P = np.array([0.05, 0.4, 0.1, 0.25, 0.2])   # not sorted: the filters must sort
_SURE = np.array([0.01, 0.02, 0.95, 0.02])
_HESITANT = np.array([0.3, 0.2, 0.26, 0.24])

EXERCISES = (
    Exercise(
        "17.1", "The top-k filter",
        cases=(Case((_P, 2), _top_k(_P, 2), "probs [0.05, 0.4, 0.1, 0.25, 0.2], k = 2"),
               Case((_P, 1), _top_k(_P, 1), "the same probs, k = 1 (greedy)"),
               Case((_P, 5), _P.copy(), "the same probs, k = 5 (all kept)")),
        mistakes=(
            Mistake(_top_k_unnormalised, "The kept probabilities must be renormalised to add up to 1."),
            Mistake(_bottom_k, "Those are the k least likely characters: sort in descending order."),
        ),
    ),
    Exercise(
        "17.2", "The top-p (nucleus) filter",
        cases=(Case((_P, 0.6), _top_p(_P, 0.6), "probs [0.05, 0.4, 0.1, 0.25, 0.2], p = 0.6"),
               Case((_P, 0.7), _top_p(_P, 0.7), "the same probs, p = 0.7"),
               Case((_SURE, 0.9), _top_p(_SURE, 0.9), "a sure model: [0.01, 0.02, 0.95, 0.02], p = 0.9"),
               Case((_HESITANT, 0.5), _top_p(_HESITANT, 0.5), "a hesitant one: [0.3, 0.2, 0.26, 0.24], p = 0.5")),
        mistakes=(
            Mistake(_top_p_unnormalised,
                    "Renormalise after cutting the tail: the kept probabilities must add up to 1."),
            Mistake(_top_p_short, "The character whose probability carries the sum to p or past it is kept: "
                                  "the set must reach p."),
            Mistake(_top_p_unsorted, "The running sum must go from the most likely character down: sort first."),
        ),
    ),
)

QUIZ = (
    Question("How does top-p's cut differ from top-k's?",
             (Option("It adapts: one or two characters where the model is sure, many where it hesitates.", True,
                     "Top-p keeps the smallest set reaching probability p, so the set's size follows the "
                     "distribution."),
              Option("It always keeps more characters than top-k.", False,
                     "Where the model is sure, top-p may keep a single character."),
              Option("It changes every probability, like temperature.", False,
                     "It removes the tail and leaves the kept characters' proportions alone."))),
    Question("What does a temperature below 1 do?",
             (Option("Sharpens the distribution: likely characters get likelier.", True,
                     "p_i ∝ exp(z_i / T): dividing by T < 1 widens the gaps between scores."),
              Option("Removes the unlikely characters entirely.", False,
                     "Every probability stays above zero; only truncation removes characters."),
              Option("Flattens the distribution.", False, "That is a temperature above 1."))),
    Question("Which setting is greedy decoding?",
             (Option("top-k with k = 1", True, "Only the most likely character is kept."),
              Option("top-p with p = 1", False, "p = 1 keeps every character: plain sampling."),
              Option("temperature 1", False, "Temperature 1 samples from the model as trained."))),
    Question("What does the chapter's 'distinct word pairs' measure?",
             (Option("Diversity: the distinct pairs of consecutive words, as a share of all of a sample's pairs.", True,
                     "A sample stuck in a loop repeats its pairs and scores near 0."),
              Option("Quality: the share of words found in the training text.", False,
                     "That is the real-word share, the other axis of the figure."),
              Option("How many characters the filter keeps.", False, "It is measured on the sampled text, not on the "
                                                                     "filter."))),
)
