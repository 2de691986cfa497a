"""Chapter 13 (sequence to sequence, learning to add): the attention weights and context vector of
one decoder step, and the carries a sum needs."""
import torch

from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _attend(s, H, W, mask, use_mask=True, transpose=False):
    scores = H @ (W if transpose else W.T) @ s  # score_i = s^T W h_i (or s^T W^T h_i, the mistake)
    if use_mask:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(0)
    return weights, weights @ H


def _unmasked(s, H, W, mask):
    return _attend(s, H, W, mask, use_mask=False)


def _w_transposed(s, H, W, mask):
    return _attend(s, H, W, mask, transpose=True)


def _dot_score(s, H, W, mask):
    return _attend(s, H, torch.eye(len(s)), mask)


def _step(D, T, pads, seed):
    g = torch.Generator().manual_seed(seed)
    s, H, W = torch.randn(D, generator=g), torch.randn(T, D, generator=g), torch.randn(D, D, generator=g)
    mask = torch.arange(T) < T - pads
    return s, H, W, mask


_STEPS = ((_step(3, 4, 1, 1), "D = 3, 4 characters of which the last is padding"),
          (_step(2, 3, 0, 2), "D = 2, 3 characters, no padding"),
          (_step(4, 6, 2, 3), "D = 4, 6 characters of which the last 2 are padding"))


def _carries(question, chained=True, from_right=True):
    a, b = question.split("+")
    width = max(len(a), len(b))
    a, b = (a.zfill(width), b.zfill(width)) if from_right else (a.ljust(width, "0"), b.ljust(width, "0"))
    count, carry = 0, 0
    for x, y in zip(reversed(a), reversed(b)):
        carry = int(int(x) + int(y) + (carry if chained else 0) >= 10)
        count += carry
    return count


def _carries_unchained(question):
    return _carries(question, chained=False)


def _carries_from_left(question):
    return _carries(question, from_right=False)


_SUMS = ("535+61", "47+5", "95+5", "199+1", "58+967")

EXERCISES = (
    Exercise(
        "13.1", "Attention: the weights and the context vector",
        cases=tuple(Case(args, _attend(*args), label) for args, label in _STEPS),
        mistakes=(
            Mistake(_unmasked,
                    "The padding got weight: set the scores of padded positions to -inf before the "
                    "softmax, so that their weights are exactly zero."),
            Mistake(_w_transposed,
                    "W is transposed: the score of position i is sᵀ W hᵢ (W @ H[i], then the dot "
                    "product with s)."),
            Mistake(_dot_score,
                    "W is missing: that is the dot-product score sᵀ hᵢ; the chapter's model uses "
                    "Luong's general score sᵀ W hᵢ."),
        ),
    ),
    Exercise(
        "13.2", "How many carries does a sum need?",
        cases=tuple(Case((q,), _carries(q), repr(q)) for q in _SUMS),
        mistakes=(
            Mistake(_carries_unchained,
                    "A carry can cause the next one: in 95+5, 5+5 carries a 1, and 9+0+1 carries "
                    "again. Add the incoming carry to each place."),
            Mistake(_carries_from_left,
                    "The digits are lined up from the left: place values line up from the right (the "
                    "units of both numbers)."),
        ),
    ),
)

QUIZ = (
    Question("Why does reversing the question help the encoder-decoder without attention?",
             (Option("The units digits, which the answer depends on first, are then read last, close to "
                     "where the decoder starts.", True,
                     "Sutskever, Vinyals and Le's trick shortens the path between what is read and what is written first."),
              Option("A reversed question is shorter.", False, "It has the same characters, only in the other order."),
              Option("The decoder then writes the answer reversed.", False,
                     "The answer is still written from its first digit; only the question is reversed."))),
    Question("What is teacher forcing?",
             (Option("In training, the decoder reads the true previous character at every step.", True,
                     "It makes training fast and stable, but the decoder never sees its own mistakes."),
              Option("The decoder reads its own previous output in training.", False,
                     "That is what happens when it answers, not in teacher-forced training."),
              Option("A larger learning rate for the decoder.", False, "It is about the decoder's inputs, not its optimiser."))),
    Question("Why can a decoder that generates not be bidirectional?",
             (Option("The characters to its right do not exist yet: they are what it is about to write.", True,
                     "A right-to-left layer would need them as its input."),
              Option("Bidirectional LSTMs cannot be trained with teacher forcing.", False,
                     "They can, and would look good in training by copying the next character: the trap."),
              Option("It would double the number of parameters.", False,
                     "Cost is not the reason: the future input is simply not there when generating."))),
    Question("What weight does the attention give to padding in the question?",
             (Option("Exactly zero.", True, "Padded positions are masked out before the softmax."),
              Option("A small positive weight.", False, "Without a mask it would; the chapter's model masks them."),
              Option("The same as every other character.", False, "The weights come from the scores, and padding is masked."))),
    Question("What can beam search do that greedy decoding cannot?",
             (Option("Keep a few likely partial answers and return the one with the highest total probability.", True,
                     "It can repair a step where the likeliest character led nowhere."),
              Option("Use a model with attention.", False, "Greedy decoding works with attention too."),
              Option("Read the question in both directions.", False, "That is the encoder's business, not the decoding."))),
)
