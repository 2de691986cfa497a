"""Chapter 8 (names): the bigram yardstick, counted, and the loss it gives one name."""
import numpy as np

from .. import names as namelib
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _probs(names, chars):
    return namelib.Bigram(chars).fit("".join(n + "\n" for n in names)).probs


def _counts(names, chars, start=True):
    stoi = {c: i for i, c in enumerate(chars)}
    counts = np.zeros((len(chars), len(chars)))
    for n in names:
        seq = ("\n" if start else "") + n + "\n"
        for a, b in zip(seq, seq[1:]):
            counts[stoi[a], stoi[b]] += 1
    return counts


def _unsmoothed(names, chars):
    c = _counts(names, chars)
    with np.errstate(invalid="ignore", divide="ignore"):
        return c / c.sum(1, keepdims=True)


def _by_column(names, chars):
    c = _counts(names, chars) + 1
    return c / c.sum(0, keepdims=True)


def _no_start(names, chars):
    c = _counts(names, chars, start=False) + 1
    return c / c.sum(1, keepdims=True)


_LISTS = ((["ann", "bob"], "\nabno"), (["ab"], "\nab"), (["a", "aa"], "\na"))


def _loss(probs, chars, name, end=True, log=np.log, mean=True):
    stoi = {c: i for i, c in enumerate(chars)}
    seq = "\n" + name + ("\n" if end else "")
    nll = [-log(probs[stoi[a], stoi[b]]) for a, b in zip(seq, seq[1:])]
    return float(np.mean(nll) if mean else np.sum(nll))


def _loss_no_end(probs, chars, name):
    return _loss(probs, chars, name, end=False)


def _loss_in_bits(probs, chars, name):
    return _loss(probs, chars, name, log=np.log2)


def _loss_total(probs, chars, name):
    return _loss(probs, chars, name, mean=False)


_UNIFORM = namelib.Bigram("ab")  # nothing counted: add-one smoothing alone, uniform over 3 symbols
_FITTED = namelib.Bigram("abno").fit("ann\nbob\n")
_NAMES = ((_UNIFORM, "ab", "uniform over 3 symbols, name 'ab'"),
          (_FITTED, "ann", "fitted on ['ann', 'bob'], name 'ann'"),
          (_FITTED, "nab", "fitted on ['ann', 'bob'], name 'nab'"))

EXERCISES = (
    Exercise(
        "08.1", "A bigram model of names, with add-one smoothing",
        cases=tuple(Case((n, c), _probs(n, c), f"names {n}, chars {c!r}") for n, c in _LISTS),
        mistakes=(
            Mistake(_unsmoothed, "Without add-one smoothing a pair never seen gets probability 0, "
                                 "and a row never seen divides 0 by 0: add 1 to every count."),
            Mistake(_by_column, "Each row (the current character) must sum to 1: normalise along axis 1, not axis 0."),
            Mistake(_no_start, "The newline before a name is its start: count the pair (newline, first letter) too."),
        ),
    ),
    Exercise(
        "08.2", "The loss per character of one name, its end included",
        # the expected loss is the Bigram's own, over the name and the newline that ends it
        cases=tuple(Case((b.probs, "".join(b.chars), n), b.nll(n + "\n"), label) for b, n, label in _NAMES),
        mistakes=(
            Mistake(_loss_no_end, "A name of n letters costs n + 1 predictions: the newline that ends it counts too."),
            Mistake(_loss_in_bits, "The loss is in nats: use the natural log."),
            Mistake(_loss_total, "That is the total: divide by the number of predictions."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter shuffle the name lists before splitting them?",
             (Option("Sorted, each name follows a neighbour with the same first letters, and the test split "
                     "would be the end of the alphabet only", True,
                     "Shuffling gives a test set that is a random sample of the list, and no free prefixes."),
              Option("To make training faster", False, "The order changes what is learnt and tested, not the speed."),
              Option("To remove duplicate names", False, "Duplicates stay, as in makemore."))),
    Question("In the stream of names, what does the newline do?",
             (Option("It ends one name and starts the next", True,
                     "That is why the loss per character of the stream, newlines included, counts what makemore counts."),
              Option("Nothing: it is removed before training", False, "It stays: it is how the model learns where names end."),
              Option("It marks a female name", False, "The lists are concatenated; nothing marks the sex."))),
    Question("Why score the generated names with a bigram model of the training names?",
             (Option("'New' alone says little: gibberish is new too", True,
                     "The bigram yardstick knows nothing about LSTMs and gives gibberish a much higher loss than names."),
              Option("Because the bigram is the best name model", False,
                     "It is a weak model; it is used as a yardstick, not as a competitor."),
              Option("To train the LSTM", False, "The LSTM trains on the next-character loss alone."))),
    Question("Why can the chapter's losses on the CMU list not be compared with makemore's numbers?",
             (Option("Its names are capitalised and drawn from a different population", True,
                     "Only losses on the same list, measured the same way, compare; so the chapter trains on makemore's list too."),
              Option("The CMU list is too small to train on", False,
                     "The chapter trains on it and measures its test loss; size is not why the numbers differ."),
              Option("makemore measures in bits", False, "Both report nats per character."))),
)
