"""Chapter 1: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def step(x, h, W_xh, W_hh, W_hy):
    h_new = np.tanh(W_hh @ h + W_xh @ x)
    return h_new, W_hy @ h_new


def lstm_update(gates, c):
    i, f, g, o = np.split(gates, 4)
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    c_new = sig(f) * c + sig(i) * np.tanh(g)
    return sig(o) * np.tanh(c_new), c_new


SOLUTIONS = {"01.1": step, "01.2": lstm_update}

NOTES = {
    "01.1": "The article's step written as a function: the state is an argument and a return value "
            "instead of an attribute. Common slips: y from the old h, a tanh on y, W_hh applied to x.",
    "01.2": "Gate order i, f, g, o is PyTorch's (nn.LSTMCell), and the chapter's LSTM.step uses it. "
            "Ask why c is updated by addition: it is the path along which gradients survive (chapter 14).",
}


def _shapes(x, h, W_xh, W_hh, W_hy):
    return np.tanh(W_hh @ x + W_xh @ h)  # one value instead of (h, y)


def _transposed(x, h, W_xh, W_hh, W_hy):
    h_new = np.tanh(W_hh @ h + W_xh.T @ x)  # (2, 2) here, so it runs; the third case catches it
    return h_new, W_hy.T @ h_new  # W_hy.T is (2, 1): matmul with h (2,) raises


def _raises(gates, c):
    i, f, g = np.split(gates, 3)  # three gates: numpy cannot split 8 into 3
    return i, c


def _nan(gates, c):
    return np.full(len(c), np.nan), np.full(len(c), np.nan)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch01 import (_lstm_g_sigmoid, _lstm_h_unsquashed, _lstm_i_f_swapped, _step_no_tanh,
                                            _step_old_h, _step_tanh_y)
    return {
        "01.1": [(_step_no_tanh, "tanh is missing"), (_step_old_h, "previous state"), (_step_tanh_y, "no tanh"),
                 (_shapes, "expected 2 values"),
                 (_transposed, "raised ValueError"), (lambda x, h, W_xh, W_hh, W_hy: None, "returned None")],
        "01.2": [(_lstm_h_unsquashed, "not times c"), (_lstm_i_f_swapped, "swapped"),
                 (_lstm_g_sigmoid, "not the sigmoid"), (_raises, "raised ValueError"), (_nan, "NaN")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
