"""Chapter 1 (the RNN API): the vanilla `step`, and the LSTM's gated cell update."""
import numpy as np

from ...numpy_rnn import RNN, sigmoid
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


# Tiny literal weights: 2 inputs, 2 hidden units, 1 output.
_W_XH = np.array([[0.5, -1.0], [1.5, 0.25]])
_W_HH = np.array([[0.8, -0.2], [0.1, 0.9]])
_W_HY = np.array([[1.0, -2.0]])
_STEPS = (  # (x, h_prev, label)
    (np.array([1.0, 0.0]), np.zeros(2), "x = [1, 0], h = [0, 0] (the first step)"),
    (np.array([0.0, 1.0]), np.array([0.5, -0.25]), "x = [0, 1], h = [0.5, -0.25]"),
    (np.array([2.0, -1.0]), np.array([-0.9, 0.9]), "x = [2, -1], h = [-0.9, 0.9]"),
)


def _step(x, h, w_xh, w_hh, w_hy):
    """The expected answer: numpy_rnn.RNN's own step, from state h with these weights."""
    rnn = RNN(len(x), len(h), len(w_hy), rng=0)
    rnn.W_xh, rnn.W_hh, rnn.W_hy, rnn.h = w_xh, w_hh, w_hy, h
    y = rnn.step(x)
    return rnn.h, y


def _step_no_tanh(x, h, w_xh, w_hh, w_hy):
    h = w_hh @ h + w_xh @ x
    return h, w_hy @ h


def _step_old_h(x, h, w_xh, w_hh, w_hy):
    return np.tanh(w_hh @ h + w_xh @ x), w_hy @ h


def _step_tanh_y(x, h, w_xh, w_hh, w_hy):
    h = np.tanh(w_hh @ h + w_xh @ x)
    return h, np.tanh(w_hy @ h)


# LSTM gate pre-activations for 2 hidden units, rows stacked i, f, g, o (PyTorch's order).
_GATES = (
    (np.array([0.0, 1.0, 2.0, -1.0, 0.5, -0.5, 1.0, 0.0]), np.array([0.5, -1.0]),
     "gates i=[0, 1] f=[2, -1] g=[0.5, -0.5] o=[1, 0], c = [0.5, -1]"),
    (np.array([-3.0, 3.0, 4.0, 4.0, 2.0, 2.0, -2.0, 2.0]), np.array([1.0, 2.0]),
     "gates i=[-3, 3] f=[4, 4] g=[2, 2] o=[-2, 2], c = [1, 2]"),
    (np.zeros(8), np.zeros(2), "all gates 0, c = [0, 0]"),
)


def _lstm(gates, c, order="ifgo", squash_h=True, g_act=np.tanh):
    parts = dict(zip(order, np.split(gates, 4)))
    c_new = sigmoid(parts["f"]) * c + sigmoid(parts["i"]) * g_act(parts["g"])
    o = sigmoid(parts["o"])
    return (o * np.tanh(c_new) if squash_h else o * c_new), c_new


def _lstm_h_unsquashed(gates, c):
    return _lstm(gates, c, squash_h=False)


def _lstm_i_f_swapped(gates, c):
    return _lstm(gates, c, order="figo")


def _lstm_g_sigmoid(gates, c):
    return _lstm(gates, c, g_act=sigmoid)


EXERCISES = (
    Exercise(
        "01.1", "One step of the vanilla RNN",
        cases=tuple(Case((x, h, _W_XH, _W_HH, _W_HY), _step(x, h, _W_XH, _W_HH, _W_HY), label)
                    for x, h, label in _STEPS),
        mistakes=(
            Mistake(_step_no_tanh, "The tanh is missing: the new state is tanh(W_hh h + W_xh x)."),
            Mistake(_step_old_h, "y is read off the previous state: compute the new h first, then y = W_hy h."),
            Mistake(_step_tanh_y, "Only the state is squashed: the output is y = W_hy h, with no tanh."),
        ),
    ),
    Exercise(
        "01.2", "The LSTM's cell update from its four gates",
        cases=tuple(Case((g, c), _lstm(g, c), label) for g, c, label in _GATES),
        mistakes=(
            Mistake(_lstm_h_unsquashed, "h is the output gate times tanh(c), not times c itself."),
            Mistake(_lstm_i_f_swapped, "The input and forget gates are swapped: the rows are stacked i, f, g, o."),
            Mistake(_lstm_g_sigmoid, "The candidate g goes through tanh, not the sigmoid: only i, f and o are gates."),
        ),
    ),
)

QUIZ = (
    Question("Reading a name and saying which language it comes from is which pattern?",
             (Option("Many to one", True, "A sequence of characters goes in; one label comes out at the end."),
              Option("One to many", False, "One to many starts from a single input and writes a sequence, "
                                           "like a name written for a requested list (chapter 12)."),
              Option("Synced many to many", False, "That gives an output at every step, like the character "
                                                   "models predicting each next character."))),
    Question("The same input x, given to `rnn.step` twice in a row, returns two different outputs. Why?",
             (Option("The hidden state changed after the first call, and the output depends on it.", True,
                     "The state is the network's memory: each step reads the previous one through W_hh."),
              Option("The weights were updated between the calls.", False,
                     "`step` only runs the network forward; nothing learns in it."),
              Option("step adds random noise.", False, "The step is deterministic: same state and input, same output."))),
    Question("On the very first step, with h = 0, what does the vanilla RNN compute?",
             (Option("h = tanh(W_xh x): the W_hh term vanishes.", True, "W_hh times a zero vector is zero."),
              Option("h = tanh(W_hh x)", False, "W_hh multiplies the previous state, never the input."),
              Option("Nothing: the first step only stores x.", False,
                     "The first step already produces a state and an output from x."))),
    Question("What lets an LSTM carry information over many steps better than the vanilla RNN?",
             (Option("Its cell is updated by adding gated input to a gated copy of the old cell.", True,
                     "A forget gate near 1 keeps the cell as it was, so values and gradients survive."),
              Option("It has no weight matrices on the state.", False,
                     "It has them, four blocks of them (i, f, g, o), applied to x and to h."),
              Option("It uses a different API than the vanilla RNN.", False,
                     "The API is the same: y = step(x); only the state update differs."))),
)
