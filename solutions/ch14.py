"""Chapter 14: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def bptt_norms(W_hh, hs, dh_last):
    out = [np.linalg.norm(dh_last)]
    g = dh_last
    for j in range(len(hs) - 1, 0, -1):
        g = W_hh.T @ (g * (1.0 - hs[j] ** 2))  # dL/dh_{j-1} from dL/dh_j
        out.append(np.linalg.norm(g))
    return np.array(out)


def clip_by_norm(grads, max_norm):
    total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
    if total <= max_norm:
        return [g.copy() for g in grads]
    return [g * (max_norm / total) for g in grads]


SOLUTIONS = {"14.1": bptt_norms, "14.2": clip_by_norm}

NOTES = {
    "14.1": "Each step back multiplies by the transposed Jacobian (diag(1 - h_j²) W_hh)ᵀ = W_hhᵀ diag(1 - h_j²). "
            "The third case (h = 0, a weight matrix with large entries) shows the product growing: the "
            "same code explains exploding gradients. Students often forget the transpose; the first "
            "case's W is not symmetric so that mistake is caught.",
    "14.2": "One norm over all parameters, as torch.nn.utils.clip_grad_norm_ computes it. Clipping each "
            "array separately or clipping values both change the gradient's direction.",
}


def _raises(W_hh, hs, dh_last):
    return np.linalg.norm(W_hh @ hs)  # shapes do not match: (n, n) @ (T, n)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch14 import (_clip_each, _clip_values, _norms_no_tanh_factor, _norms_previous_state,
                                            _norms_untransposed, _scale_always)
    return {
        "14.1": [(_norms_untransposed, "transposed"), (_norms_no_tanh_factor, "derivative"),
                 (_raises, "raised ValueError"), (_norms_previous_state, "Off by one"),
                 (lambda W_hh, hs, dh_last: None, "returned None")],
        "14.2": [(_clip_each, "its own norm"), (_clip_values, "changes the direction"),
                 (_scale_always, "below the threshold"),
                 (lambda grads, max_norm: [g * np.nan for g in grads], "NaN"),
                 (lambda grads, max_norm: grads * (max_norm / np.linalg.norm(grads)), "raised ValueError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
