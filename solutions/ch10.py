"""Chapter 10: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import numpy as np


def cell_correlation(cell, feature):
    a, f = cell - cell.mean(), feature - feature.mean()
    spread = np.sqrt((a @ a) * (f @ f))
    return float(a @ f / spread) if spread > 0 else 0.0


def saturation(gate):
    return (gate < 0.1).mean(axis=0), (gate > 0.9).mean(axis=0)


SOLUTIONS = {"10.1": cell_correlation, "10.2": saturation}

NOTES = {
    "10.1": "Pearson's r: centre both vectors, then their dot product over the product of their norms. "
            "np.corrcoef gives NaN for a constant vector (a feature absent from the slice); the chapter's "
            "features.correlations, which does every cell against every feature in one matrix product, "
            "returns 0 there, as the contract asks.",
    "10.2": "Left-saturated: below 0.1 (nearly closed); right-saturated: above 0.9 (nearly open). The "
            "fraction is over the time steps, one pair of numbers per cell: features.gate_saturation.",
}


def _cosine(cell, feature):
    return float(cell @ feature / np.sqrt((cell @ cell) * (feature @ feature)))


def _squared(cell, feature):
    return cell_correlation(cell, feature) ** 2


def _corrcoef(cell, feature):
    with np.errstate(invalid="ignore"):
        return float(np.corrcoef(cell, feature)[0, 1])  # NaN for a constant feature


def _misaligned(cell, feature):
    return float(np.dot(cell - cell.mean(), feature[1:] - feature.mean()))  # lengths differ: ValueError


def _swapped(gate):
    return (gate > 0.9).mean(axis=0), (gate < 0.1).mean(axis=0)


def _over_cells(gate):
    return (gate < 0.1).mean(axis=1), (gate > 0.9).mean(axis=1)


def _counts(gate):
    return (gate < 0.1).sum(axis=0), (gate > 0.9).sum(axis=0)


def _raises(gate):
    raise ValueError("operands could not be broadcast together")


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "10.1": [(_cosine, "cosine"), (_squared, "r²"), (_corrcoef, "NaN"), (_misaligned, "raised ValueError"),
             (lambda cell, feature: float(np.mean((cell - cell.mean()) * (feature - feature.mean()))),
              "covariance")],
    "10.2": [(_swapped, "swapped"), (_over_cells, "over the cells"), (_counts, "counts"),
             (_raises, "raised ValueError"),
             (lambda gate: None, "returned None")],
}
