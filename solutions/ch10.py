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


def _corrcoef(cell, feature):
    with np.errstate(invalid="ignore"):
        return float(np.corrcoef(cell, feature)[0, 1])  # NaN for a constant feature


def _misaligned(cell, feature):
    return float(np.dot(cell - cell.mean(), feature[1:] - feature.mean()))  # lengths differ: ValueError


def _raises(gate):
    raise ValueError("operands could not be broadcast together")


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch10 import (_cosine, _counts, _covariance, _left_right_swapped, _over_the_cells,
                                            _r_squared)
    return {
        "10.1": [(_cosine, "cosine"), (_r_squared, "r²"), (_corrcoef, "NaN"), (_misaligned, "raised ValueError"),
                 (_covariance, "covariance")],
        "10.2": [(_left_right_swapped, "swapped"), (_over_the_cells, "over the cells"), (_counts, "counts"),
                 (_raises, "raised ValueError"), (lambda gate: None, "returned None")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
