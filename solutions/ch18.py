"""Chapter 18: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def mingru_step(h, pre, cand):
    z = 1.0 / (1.0 + np.exp(-pre))
    return (1.0 - z) * h + z * cand


def linear_scan(a, b, h0):
    h, out = h0, []
    for a_t, b_t in zip(a, b):
        h = a_t * h + b_t
        out.append(h)
    return np.stack(out)


def compose(first, second):
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


SOLUTIONS = {"18.1": mingru_step, "18.2": linear_scan, "18.3": compose}

NOTES = {
    "18.1": "a_t = 1 - z_t and b_t = z_t h~_t: the step is an average of the old state and the candidate, "
            "which is why the chapter says a minGRU must keep z_t small to count.",
    "18.2": "This is minrnn.scan_sequential for one row. The third case (a = b = 1) is a counter: a linear "
            "recurrence can hold a sum.",
    "18.3": "Check associativity by hand on three steps; (1, 0) is the identity. Any parallel scan "
            "(doubling, chunked) only needs this operator.",
}


def _raises(h, pre, cand):
    return np.concatenate(h, pre)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch18 import (_b1_not_decayed, _b_decayed, _compose_reversed, _gate_swapped,
                                            _last_state_only, _pre_as_gate, _states_from_h0, _tanh_candidate)
    return {
        "18.1": [(_gate_swapped, "swapped"), (_raises, "raised TypeError"),
                 (lambda h, pre, cand: None, "returned None"), (_pre_as_gate, "not the pre-activation"),
                 (_tanh_candidate, "no tanh")],
        "18.2": [(_last_state_only, "not only the last"), (_states_from_h0, "Off by one"),
                 (lambda a, b, h0: a * np.nan, "NaN"), (_b_decayed, "not multiplied"),
                 (lambda a, b, h0: np.stack([a[t] * a[t - 1] for t in range(len(a) + 1)]), "raised IndexError")],
        "18.3": [(_compose_reversed, "order matters"), (_b1_not_decayed, "a2·b1 + b2"),
                 (lambda f, s: (f[0] * s[0],), "wrong shape"),
                 (lambda f, s: (f[0] * s[0], f[1] * s[2]), "raised IndexError"), (lambda f, s: None, "returned None")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
