"""Chapter 2 ("helo", the numpy RNN): the gradient of softmax cross-entropy, and tanh's backward."""
import numpy as np

from ...numpy_rnn import softmax
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _onehot(i, n):
    v = np.zeros(n)
    v[i] = 1.0
    return v


def _grad_sign_flipped(scores, target):
    return _onehot(target, len(scores)) - softmax(scores)


def _grad_overflowing(scores, target):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(scores) / np.exp(scores).sum() - _onehot(target, len(scores))


def _probs_only(scores, target):
    return softmax(scores)


def _tanh_again(h, dh):
    return dh * (1 - np.tanh(h) ** 2)


def _no_tanh_factor(h, dh):
    return dh


_LOGITS = (np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 0.0, 0.0]), np.array([1000.0, 0.0, -1000.0]))
_TARGETS = (1, 2, 0)

EXERCISES = (
    Exercise(
        "02.1", "The gradient of softmax cross-entropy with respect to the scores",
        cases=tuple(Case((z, t), softmax(z) - _onehot(t, len(z)), f"scores {z.tolist()}, target {t}")
                    for z, t in zip(_LOGITS, _TARGETS)),
        mistakes=(
            Mistake(_grad_sign_flipped, "The sign is flipped: it is probabilities minus the one-hot target."),
            Mistake(_grad_overflowing, "Large scores overflow exp(): subtract the largest score first."),
            Mistake(_probs_only, "The one-hot target is not subtracted."),
        ),
    ),
    Exercise(
        "02.2", "Backward through tanh: from dL/dh to dL/d(pre-activation)",
        cases=(Case((np.array([0.0, 0.5, -0.9]), np.array([1.0, 2.0, -1.0])),
                    np.array([1.0, 1.5, -0.19]), "h = [0, 0.5, -0.9], dh = [1, 2, -1]"),
               Case((np.zeros(3), np.ones(3)), np.ones(3), "h = 0, dh = 1")),
        mistakes=(Mistake(_tanh_again, "h is already tanh's output: the derivative is 1 - h², not 1 - tanh(h)²."),
                  Mistake(_no_tanh_factor, "The factor (1 - h²) is missing.")),
    ),
)

QUIZ = (
    Question("Before any training, what loss per character should a model over V characters score?",
             (Option("ln V", True, "Uniform probabilities 1/V give -ln(1/V) = ln V nats per character."),
              Option("0", False, "A loss of 0 means certainty about every next character: a trained, overfit model."),
              Option("1/V", False, "1/V is the probability each character gets, not the loss."))),
    Question("Why does the RNN need its hidden state to predict the second 'l' of \"hello\"?",
             (Option("After 'l' comes 'l' once and 'o' once: only the history tells which.", True,
                     "The input 'l' alone is ambiguous; the state remembers whether an 'l' came before."),
              Option("Because 'l' is the most frequent character.", False,
                     "Frequency alone would give the same answer both times."),
              Option("It does not: a table of next characters suffices.", False,
                     "A bigram table gives 'l' -> 'l' and 'l' -> 'o' the same probability each time."))),
    Question("What does gradient checking compare?",
             (Option("Backpropagated gradients with finite-difference estimates.", True,
                     "Nudging each weight by ±h and measuring the loss change tests the backward pass."),
              Option("The training loss with the validation loss.", False, "That measures overfitting, not gradients."),
              Option("Two runs with different seeds.", False, "That measures variance between runs."))),
)
