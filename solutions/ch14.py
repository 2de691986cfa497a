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


def _no_transpose(W_hh, hs, dh_last):
    out, g = [np.linalg.norm(dh_last)], dh_last
    for j in range(len(hs) - 1, 0, -1):
        g = W_hh @ (g * (1.0 - hs[j] ** 2))
        out.append(np.linalg.norm(g))
    return np.array(out)


def _no_factor(W_hh, hs, dh_last):
    out, g = [np.linalg.norm(dh_last)], dh_last
    for _ in range(len(hs) - 1):
        g = W_hh.T @ g
        out.append(np.linalg.norm(g))
    return np.array(out)


def _previous_state(W_hh, hs, dh_last):
    out, g = [np.linalg.norm(dh_last)], dh_last
    for j in range(len(hs) - 1, 0, -1):
        g = W_hh.T @ (g * (1.0 - hs[j - 1] ** 2))
        out.append(np.linalg.norm(g))
    return np.array(out)


def _raises(W_hh, hs, dh_last):
    return np.linalg.norm(W_hh @ hs)  # shapes do not match: (n, n) @ (T, n)


def _each(grads, max_norm):
    return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]


def _values(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads]


def _always(grads, max_norm):
    total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
    return [g * (max_norm / total) for g in grads]


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "14.1": [(_no_transpose, "transposed"), (_no_factor, "derivative"), (_raises, "raised ValueError"),
             (_previous_state, "Off by one"), (lambda W_hh, hs, dh_last: None, "returned None")],
    "14.2": [(_each, "its own norm"), (_values, "changes the direction"), (_always, "below the threshold"),
             (lambda grads, max_norm: [g * np.nan for g in grads], "NaN"),
             (lambda grads, max_norm: grads * (max_norm / np.linalg.norm(grads)), "raised ValueError")],
}
