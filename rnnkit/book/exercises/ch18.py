"""Chapter 18 (RNNs that train like Transformers): one minGRU step, the linear recurrence as a
sequential scan, and the composition of two steps that makes the scan parallel."""
import numpy as np
import torch

from ...tasks.minrnn import scan_sequential
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _mingru(h, pre, cand):
    z = _sigmoid(pre)
    return (1 - z) * h + z * cand


def _gate_swapped(h, pre, cand):
    return _mingru(cand, pre, h)


def _pre_as_gate(h, pre, cand):
    return (1 - pre) * h + pre * cand


def _tanh_candidate(h, pre, cand):
    return _mingru(h, pre, np.tanh(cand))


def _scan(a, b, h0):
    # rnnkit's own loop, on a batch of one
    t = lambda x: torch.tensor(x, dtype=torch.float64).unsqueeze(0)
    return scan_sequential(t(a), t(b), t(h0))[0].numpy()


def _last_state_only(a, b, h0):
    return _scan(a, b, h0)[-1]


def _states_from_h0(a, b, h0):
    return np.vstack([h0[None], _scan(a, b, h0)[:-1]])


def _b_decayed(a, b, h0):
    return _scan(a, a * b, h0)


def _compose(first, second):
    (a1, b1), (a2, b2) = first, second
    return round(a1 * a2, 12), round(a2 * b1 + b2, 12)  # rounded: the message shows 0.3, not 0.30000000000000004


def _compose_reversed(first, second):
    return _compose(second, first)


def _b1_not_decayed(first, second):
    return first[0] * second[0], first[1] + second[1]


_H = np.array([0.5, -1.0, 2.0])
_PRE = np.array([0.0, 2.0, -3.0])
_CAND = np.array([1.0, 0.5, -0.5])
_A = np.array([[0.5, 0.9], [0.8, 0.1], [0.2, 0.7], [0.9, 0.5]])
_B = np.array([[1.0, 0.0], [-0.5, 2.0], [0.3, 0.3], [0.0, -1.0]])
_H0 = np.array([2.0, -1.0])

EXERCISES = (
    Exercise(
        "18.1", "One minGRU step",
        cases=(Case((_H, _PRE, _CAND), _mingru(_H, _PRE, _CAND),
                    "h = [0.5, -1, 2], pre = [0, 2, -3], h~ = [1, 0.5, -0.5]"),
               Case((np.zeros(2), np.array([0.0, 0.0]), np.array([4.0, -2.0])), np.array([2.0, -1.0]),
                    "h = 0, pre = 0 (z = 0.5), h~ = [4, -2]")),
        mistakes=(
            Mistake(_gate_swapped,
                    "The weights are swapped: the gate z_t multiplies the candidate, 1 - z_t the old state."),
            Mistake(_pre_as_gate, "z_t is the sigmoid of the pre-activation, not the pre-activation."),
            Mistake(_tanh_candidate,
                    "minGRU's candidate has no tanh: h~ = W_h x + b_h, used as it is."),
        ),
    ),
    Exercise(
        "18.2", "The linear recurrence h_t = a_t h_{t-1} + b_t, one step after another",
        cases=(Case((_A, _B, _H0), _scan(_A, _B, _H0), "4 steps, 2 wide, h0 = [2, -1]"),
               Case((_A[:1], _B[:1], np.zeros(2)), _B[:1].copy(), "1 step from h0 = 0"),
               Case((np.ones((3, 1)), np.ones((3, 1)), np.zeros(1)), np.array([[1.0], [2.0], [3.0]]),
                    "a = 1, b = 1 for 3 steps: a counter")),
        mistakes=(
            Mistake(_last_state_only, "Return every state h_1..h_T, one row per step, not only the last."),
            Mistake(_states_from_h0,
                    "Off by one: row t holds h_t after step t; h0 itself is not in the output."),
            Mistake(_b_decayed, "b_t is added after the decay, not multiplied by it: h_t = a_t h_{t-1} + b_t."),
        ),
    ),
    Exercise(
        "18.3", "Two steps make one: the scan's associative operator",
        cases=(Case(((0.5, 1.0), (0.8, -0.5)), _compose((0.5, 1.0), (0.8, -0.5)),
                    "(a1, b1) = (0.5, 1), (a2, b2) = (0.8, -0.5)"),
               Case(((1.0, 0.0), (0.3, 2.0)), (0.3, 2.0), "the identity step (1, 0) first"),
               Case(((0.2, 3.0), (1.0, 0.0)), (0.2, 3.0), "the identity step (1, 0) second")),
        mistakes=(
            Mistake(_compose_reversed, "The order matters: the first step's b is decayed by the second step's a."),
            Mistake(_b1_not_decayed, "The first b must pass through the second step's decay: a2·b1 + b2."),
        ),
    ),
)

QUIZ = (
    Question("What does minGRU remove from a GRU so that a whole sequence can be computed at once?",
             (Option("Every dependence of the gates and the candidate on the previous state (the U matrices, the "
                     "reset gate) and the tanh.", True,
                     "Then a_t and b_t depend on the input alone, and h_t = a_t h_{t-1} + b_t is a linear recurrence."),
              Option("The hidden state.", False, "It keeps a state of one vector per layer; that is what it "
                                                 "generates with."),
              Option("The update gate.", False, "The update gate z_t stays: it gives a_t = 1 - z_t and b_t = z_t "
                                                "h~_t."))),
    Question("Why can the states of a linear recurrence be computed as a parallel scan?",
             (Option("Two steps compose into one step of the same form, and the composition is associative.", True,
                     "(a1, b1) then (a2, b2) is (a1 a2, a2 b1 + b2); associativity lets the pieces run side by side."),
              Option("Because the steps do not depend on one another.", False,
                     "Each h_t still depends on h_{t-1}; the scan regroups that dependence, it does not remove it."),
              Option("Because the sigmoid is monotonic.", False, "Monotonicity plays no part; linearity in h does."))),
    Question("What does a minGRU give up by being linear in its state?",
             (Option("Its gates cannot read the state, so it cannot flip on the state's value, as parity needs.", True,
                     "The chapter's parity task: Grazzi et al. prove such layers with decays in (0, 1) cannot give "
                     "parity at every length."),
              Option("A fixed-size state for generation.", False, "It keeps one: the chapter measures its state "
                                                                  "bytes flat with the context."),
              Option("The ability to be trained by gradient descent.", False, "It trains like any network; its scan "
                                                                              "has a backward pass."))),
    Question("Why can the doubling scan (Hillis and Steele) lose to the plain loop on one CPU core?",
             (Option("It does T log2 T work where the loop does T: parallel hardware can afford that, one core "
                     "cannot.", True,
                     "The chapter's timings compare the four scans on the same inputs."),
              Option("It gives wrong answers.", False, "It computes the same states; the chapter compares their "
                                                       "precision."),
              Option("It needs b_t > 0.", False, "That is the log-space scan's requirement."))),
)
