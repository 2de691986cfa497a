"""Chapter 10 (inside the LSTM): the correlation of one cell with a feature of the text, and how
often a gate is saturated."""
import numpy as np

from .. import features
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _pearson(cell, feature):
    return float(features.correlations(np.asarray(cell, float)[:, None], np.asarray(feature, float)[:, None])[0, 0])


def _cosine(cell, feature):
    norms = np.sqrt((cell @ cell) * (feature @ feature))
    if norms == 0:  # undefined: let a NaN answer be reported as NaN, not as this mistake
        raise ZeroDivisionError("a zero vector has no cosine")
    return float(cell @ feature / norms)


def _r_squared(cell, feature):
    return _pearson(cell, feature) ** 2


def _covariance(cell, feature):
    return float(np.mean((cell - cell.mean()) * (feature - feature.mean())))


_CELLS = (  # (tanh of a cell over held-out characters, a feature of the same characters)
    (np.array([0.9, 0.8, -0.7, -0.9, 0.85, -0.6]), np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0]), "a quote cell"),
    (np.array([0.1, 0.3, 0.45, 0.7, 0.15, 0.2, 0.35]), np.array([0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0]),
     "a line-position cell"),
    (np.array([-0.6, 0.2, 0.5, -0.4]), np.array([1.0, 0.0, 0.0, 1.0]), "a cell that turns off inside"),
    (np.array([0.2, 0.4, -0.1]), np.array([0.0, 0.0, 0.0]), "a feature absent from the text"),
)

_GATES = (  # (T steps, H cells) of one gate's values
    np.array([[0.05, 0.5, 0.95], [0.02, 0.95, 0.97], [0.5, 0.5, 0.99], [0.08, 0.03, 0.2]]),
    np.array([[0.5, 0.01], [0.92, 0.99], [0.95, 0.5], [0.97, 0.09], [0.5, 0.5]]),
)


def _saturation(gate):
    left, right = features.gate_saturation([{"f": gate}], ["f"])["f"][0]
    return left, right


def _left_right_swapped(gate):
    return _saturation(gate)[::-1]


def _over_the_cells(gate):
    return (gate < 0.1).mean(1), (gate > 0.9).mean(1)


def _counts(gate):
    return (gate < 0.1).sum(0), (gate > 0.9).sum(0)


EXERCISES = (
    Exercise(
        "10.1", "The correlation of one cell with a feature",
        cases=tuple(Case((c, f), _pearson(c, f), f"{label}: cell {c.tolist()}, feature {f.tolist()}")
                    for c, f, label in _CELLS),
        mistakes=(
            Mistake(_cosine, "The means are not subtracted: that is the cosine of the two vectors, "
                             "not their correlation."),
            Mistake(_r_squared,
                    "That is r², the share of variance explained; r keeps its sign (a cell can turn off "
                    "inside a quote)."),
            Mistake(_covariance, "That is the covariance: divide by both standard deviations."),
        ),
    ),
    Exercise(
        "10.2", "How often a gate is saturated",
        cases=tuple(Case((g,), _saturation(g), f"gate values {g.tolist()} (steps × cells)") for g in _GATES),
        mistakes=(
            Mistake(_left_right_swapped, "Left and right are swapped: left-saturated is nearly closed (below 0.1)."),
            Mistake(_over_the_cells,
                    "The average runs over the cells: average over the time steps (axis 0), one "
                    "fraction per cell."),
            Mistake(_counts, "Those are counts: divide by the number of time steps to get fractions."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter call a cell interpretable only from |r| ≥ 0.5?",
             (Option("The feature alone then accounts for at least a quarter of the cell's variance.", True,
                     "r² ≥ 0.25: a weaker correlation leaves most of what the cell does unexplained."),
              Option("Half of the cells then pass.", False,
                     "The threshold is set from r², not from how many cells pass; only a small share do."),
              Option("Correlations above 0.5 cannot happen by chance.", False,
                     "They can: that is why an untrained copy of the network is measured too."))),
    Question("Why is the same count made for an untrained copy of each network?",
             (Option("It shows what a threshold gives by chance: random cells driven by the text already "
                     "follow some features a little.", True,
                     "A trained cell is only remarkable next to what random weights reach on the same text."),
              Option("To check that training lowered the loss.", False, "The loss curves show that; this is about cells."),
              Option("Because untrained cells are easier to read.", False,
                     "They are not: they are the chance level a trained cell has to beat."))),
    Question("In the paper's gate figure, what is a left-saturated gate?",
             (Option("One whose value is below 0.1: nearly closed.", True, "Right-saturated is above 0.9, nearly open."),
              Option("One whose value is above 0.9.", False, "That is right-saturated, nearly open."),
              Option("A gate of the first layer.", False, "Saturation is about a gate's values, in any layer."))),
    Question("Why can a 20-gram model not predict a closing brace 40 characters after its opening brace?",
             (Option("It sees only the last 19 characters, so the opening brace is out of its window.", True,
                     "An n-gram model predicts from the last n-1 characters only; an LSTM's state can carry the depth."),
              Option("Braces are too rare to count.", False, "The Linux kernel is full of braces; the window is the limit."),
              Option("Kneser-Ney smoothing gives braces probability zero.", False,
                     "Smoothing hands probability down to shorter contexts: no character ever gets zero."))),
    Question("At an equal budget of parameters, why does a GRU get a wider state than an LSTM?",
             (Option("It has three blocks of weights to the LSTM's four.", True,
                     "A GRU of the same width has a quarter fewer parameters, so the budget buys more units."),
              Option("It has no gates.", False, "It has two, the reset and the update gate."),
              Option("It has no hidden state.", False, "It has no separate cell state; its hidden state is the state."))),
)
