"""Chapter 14 (vanishing and exploding gradients): backpropagation through a tanh RNN's states,
and clipping a gradient by its norm."""
import numpy as np

from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _norms(W, hs, g, transpose=True, factor=True, shift=0):
    """||dL/dh_t|| at distances 0..T-1 (hs holds h_1..h_T; g = dL/dh_T). The variants make the
    known mistakes: W instead of W^T, no tanh factor, the factor of the wrong step."""
    out = [np.linalg.norm(g)]
    for j in range(len(hs) - 1, 0, -1):  # from dL/dh_j to dL/dh_{j-1}
        h = hs[j - shift]
        d = g * (1 - h ** 2) if factor else g
        g = (W.T if transpose else W) @ d
        out.append(np.linalg.norm(g))
    return np.array(out)


def _norms_untransposed(W, hs, g):
    return _norms(W, hs, g, transpose=False)


def _norms_no_tanh_factor(W, hs, g):
    return _norms(W, hs, g, factor=False)


def _norms_previous_state(W, hs, g):
    return _norms(W, hs, g, shift=1)


_W = np.array([[0.5, -1.2], [0.8, 0.3]])
_HS = np.array([[0.1, -0.4], [0.6, 0.2], [-0.3, 0.9], [0.2, -0.5]])
_G = np.array([1.0, -2.0])
_BIG = np.array([[3.0, 0.0, 1.0], [-2.0, 1.5, 0.0], [0.5, 0.0, -2.5]])
_BIG_HS = np.zeros((3, 3))


def _clip(grads, max_norm):
    total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * scale for g in grads]


def _clip_each(grads, max_norm):
    return [g * min(1.0, max_norm / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g for g in grads]


def _clip_values(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads]


def _scale_always(grads, max_norm):
    total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
    return [g * max_norm / total for g in grads]


_GRADS = [np.array([6.0, 8.0]), np.array([[0.0, 24.0], [0.0, 0.0]])]  # global norm 26
_SMALL = [np.array([0.3, -0.4]), np.array([[0.0, 1.2]])]             # global norm 1.3

EXERCISES = (
    Exercise(
        "14.1", "The gradient's norm at every distance, one Jacobian at a time",
        cases=(Case((_W, _HS, _G), _norms(_W, _HS, _G), "the 2-unit RNN, 4 states, dL/dh_T = [1, -2]"),
               Case((_W, _HS[:1], _G), _norms(_W, _HS[:1], _G), "a single state (distance 0 only)"),
               Case((_BIG, _BIG_HS, np.array([1.0, 0.0, 0.0])), _norms(_BIG, _BIG_HS, np.array([1.0, 0.0, 0.0])),
                    "a 3-unit RNN at h = 0 (tanh' = 1): the gradient grows")),
        mistakes=(
            Mistake(_norms_untransposed,
                    "The gradient flows back through W_hh transposed: "
                    "dL/dh_{j-1} = W_hhᵀ (dL/dh_j ⊙ (1 - h_j²))."),
            Mistake(_norms_no_tanh_factor,
                    "The tanh derivative (1 - h_j²) is missing from each Jacobian."),
            Mistake(_norms_previous_state,
                    "Off by one step: the Jacobian ∂h_j/∂h_{j-1} uses h_j, the later state, not h_{j-1}."),
        ),
    ),
    Exercise(
        "14.2", "Clipping a gradient by its global norm",
        cases=(Case((_GRADS, 5.0), _clip(_GRADS, 5.0), "two arrays of global norm 26, max_norm 5"),
               Case((_SMALL, 5.0), _clip(_SMALL, 5.0), "global norm 1.3, max_norm 5 (left alone)"),
               Case((_SMALL, 0.65), _clip(_SMALL, 0.65), "global norm 1.3, max_norm 0.65")),
        mistakes=(
            Mistake(_clip_each, "Each array was clipped by its own norm: clip by the norm of all of them "
                                "together, so that the direction of the whole gradient is kept."),
            Mistake(_clip_values, "That clips each value to [-max_norm, max_norm], which changes the "
                                  "direction; scale the whole gradient instead."),
            Mistake(_scale_always, "A gradient already below the threshold must be left as it is: "
                                   "scale only when the norm exceeds max_norm."),
        ),
    ),
)

QUIZ = (
    Question("Why does the gradient reaching a state k steps back shrink or grow exponentially with k?",
             (Option("It is a product of k Jacobians, which behaves like the k-th power of a typical factor.", True,
                     "Backpropagation through time multiplies one Jacobian diag(1 - h²) W_hh per step of distance."),
              Option("Because the learning rate decays during training.", False,
                     "The learning rate scales the update; it does not depend on the distance inside one sequence."),
              Option("Because the loss is summed over k characters.", False,
                     "The chapter's measurement uses the loss of the last prediction only; the decay comes from the "
                     "chain of states."))),
    Question("What lets an LSTM keep a gradient alive over long distances?",
             (Option("Its additive cell state: along it the factor per step is the forget gate, which can stay near "
                     "1.", True,
                     "c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t, so ∂c_t/∂c_{t-1} is f_t itself."),
              Option("It has more parameters than a tanh RNN of the same width.", False,
                     "Parameter count does not change the product of per-step factors."),
              Option("Its output is not passed through tanh.", False,
                     "An LSTM's output h_t = o_t ⊙ tanh(c_t) does pass through tanh; the cell's additive path is "
                     "what matters."))),
    Question("What does clipping by norm do to a gradient whose norm exceeds the threshold?",
             (Option("Scales the whole gradient down to the threshold, keeping its direction.", True,
                     "Pascanu et al. (2013): g ← g · threshold / ‖g‖; only the step's length is bounded."),
              Option("Sets every component above the threshold to the threshold.", False,
                     "That is clipping by value: it changes the direction of the gradient."),
              Option("Skips the update.", False, "The update still happens, with a bounded step."))),
    Question("In the adding problem, what mean squared error does a network get by always answering 1?",
             (Option("About 0.167, the variance of a sum of two uniform values.", True,
                     "Each U(0,1) value has variance 1/12; the sum has 2/12 ≈ 0.167, and 1 is its mean."),
              Option("0", False, "Answering a constant cannot be exact: the sum varies from sequence to sequence."),
              Option("0.5", False, "0.5 is a marked value's mean, not the error of guessing the sum's mean."))),
)
