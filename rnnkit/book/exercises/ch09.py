"""Chapter 9 (how the samples evolve): the share of real words in a sample, and the step by which
a measure made half of its progress towards real text."""
import re

from .. import measures
from .core import Case, Exercise, Mistake
from .quiz import Option, Question

_DICT = frozenset({"the", "he", "and", "was", "we", "said", "prince", "of", "a", "she"})
_TEXTS = (
    "he said, the prince was here",            # punctuation stuck to "said,"
    "Thw prince ae xq and WE zzq",             # capitals, nonsense words
    "a b he xo, a the; onn",                   # one-letter words to leave out
)


def _split_on_spaces(text, vocabulary):
    words = [w for w in text.split() if len(w) >= 2]
    return sum(w.lower() in vocabulary for w in words) / len(words)


def _case_sensitive(text, vocabulary):
    words = re.findall(r"[A-Za-z]{2,}", text)
    return sum(w in vocabulary for w in words) / len(words)


def _one_letter_words_too(text, vocabulary):
    words = re.findall(r"[A-Za-z]+", text)
    return sum(w.lower() in vocabulary for w in words) / len(words)


_SERIES = (
    ((0, 100, 200, 300, 400, 500), (0.0, 0.35, 0.2, 0.4, 0.55, 0.6), 1.0),  # dips after reaching half
    ((0, 100, 200, 300), (0.9, 0.8, 0.5, 0.45), 0.4),                  # falls towards the target
    ((0, 100, 200, 300, 400, 500), (0.0, 0.02, 0.04, 0.05, 0.06, 0.08), 0.5),  # a fifth of the gap
)


def _first_reaching(steps, values, target):
    """First step whose progress reaches half of the final progress, kept or not."""
    final = (values[-1] - values[0]) / (target - values[0])
    return next(s for s, v in zip(steps, values) if (v - values[0]) / (target - values[0]) >= 0.5 * final)


def _half_of_gap(steps, values, target):
    """First step that closed half of the whole gap (not half of what the run closed)."""
    return next((s for s, v in zip(steps, values) if (v - values[0]) / (target - values[0]) >= 0.5), steps[-1])


EXERCISES = (
    Exercise(
        "09.1", "The share of real words in a sample",
        cases=tuple(Case((t, _DICT), measures.word_fraction(t, _DICT, 2), repr(t)) for t in _TEXTS),
        mistakes=(
            Mistake(_split_on_spaces,
                    "Splitting on spaces leaves punctuation stuck to the words (\"said,\"): a word is a "
                    "run of letters."),
            Mistake(_case_sensitive, "The dictionary is lower-case: compare each word lower-cased."),
            Mistake(_one_letter_words_too,
                    "One-letter words are counted: leave them out, random letters hit them too often."),
        ),
    ),
    Exercise(
        "09.2", "When did the model pick it up: the halfway step",
        cases=tuple(Case((list(s), list(v), t), measures.halfway_step(list(s), list(v), t, min_progress=0.0),
                         f"steps {list(s)}, values {list(v)}, real text {t}") for s, v, t in _SERIES),
        mistakes=(
            Mistake(_first_reaching,
                    "That is the first step that reached half of the progress, but the measure fell "
                    "back below it later: the halfway step is the one from which it stays there."),
            Mistake(_half_of_gap,
                    "Half of the progress the run made, not half of the whole gap to real text: a run "
                    "that closed a fifth of the gap has its halfway point at a tenth."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter sample with the same seed at every snapshot?",
             (Option("So that two snapshots differ only because the weights changed.", True,
                     "With the randomness of sampling fixed, any change between snapshots comes from training."),
              Option("Because a fixed seed makes the samples better.", False,
                     "The seed does not make a sample better or worse; it only makes it repeatable."),
              Option("To make training faster.", False, "Sampling does not touch the training updates or their speed."))),
    Question("What does the article see the model learn first in War and Peace?",
             (Option("Words separated by spaces.", True,
                     "At iteration 100 the text is a jumble, but the words are already separated by spaces."),
              Option("The characters' names.", False, "Names such as Natasha and Pierre appear only around iteration 2000."),
              Option("Long, correctly spelled words.", False, "Long words come last, after the short common ones."))),
    Question("Why are one-letter words left out of the share of real words?",
             (Option("Random letters are real one-letter words far too often.", True,
                     "'a' and 'I' are words: an untrained model would score well on them by chance."),
              Option("War and Peace has no one-letter words.", False, "It has plenty: 'a' and 'I' are common."),
              Option("They are punctuation.", False, "They are letters; punctuation is counted by its own measure."))),
    Question("What does the dashed line of each measure in the figure show?",
             (Option("The same measure on held-out text of the book.", True,
                     "Real text is the target each measure moves towards."),
              Option("The untrained model.", False, "That is step 0, the first point of each curve."),
              Option("The validation loss.", False, "The loss has its own figure above; the dashed lines are text measures."))),
)
