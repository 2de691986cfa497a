"""Chapter 16 (characters or words?): perplexity per character from a loss per word, and the
share of held-out words a training vocabulary leaves unknown."""
import math
from collections import Counter

from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _ppc(loss_per_word, n_words, n_chars):
    return math.exp(loss_per_word * n_words / n_chars)


def _per_word(loss_per_word, n_words, n_chars):
    return math.exp(loss_per_word)


def _nats_per_char(loss_per_word, n_words, n_chars):
    return loss_per_word * n_words / n_chars


def _base_2(loss_per_word, n_words, n_chars):
    return 2 ** (loss_per_word * n_words / n_chars)


def _unknown(train_words, test_words, min_count, strict=False, types=False):
    counts = Counter(train_words)
    kept = {w for w, n in counts.items() if (n > min_count if strict else n >= min_count)}
    pool = sorted(set(test_words)) if types else list(test_words)
    return sum(w not in kept for w in pool) / len(pool)


def _unknown_strict(train_words, test_words, min_count):
    return _unknown(train_words, test_words, min_count, strict=True)


def _unknown_types(train_words, test_words, min_count):
    return _unknown(train_words, test_words, min_count, types=True)


def _unknown_count(train_words, test_words, min_count):
    return _unknown(train_words, test_words, min_count) * len(test_words)


_TRAIN = "the king the queen the king a fool a king of the north".split()
_TEST = "the king and the fool of the west".split()
_TEST2 = "a king a king a knave".split()

EXERCISES = (
    Exercise(
        "16.1", "Perplexity per character from a loss per word",
        cases=(Case((6.0, 100, 550), _ppc(6.0, 100, 550), "6 nats per word, 100 words, 550 characters"),
               Case((4.6, 1000, 4600), _ppc(4.6, 1000, 4600), "4.6 nats per word, 1,000 words, 4,600 characters"),
               Case((0.0, 10, 50), 1.0, "a perfect model: 0 nats per word")),
        mistakes=(
            Mistake(_per_word, "That is the perplexity per word: spread the total loss over "
                               "the characters first (loss × words / characters)."),
            Mistake(_nats_per_char, "That is nats per character; perplexity is e to that power."),
            Mistake(_base_2, "The losses are in nats (natural log): use e, not 2."),
        ),
    ),
    Exercise(
        "16.2", "The share of held-out words the vocabulary leaves unknown",
        cases=(Case((_TRAIN, _TEST, 2), _unknown(_TRAIN, _TEST, 2), "min_count 2 on 'the king and the fool of the "
                                                                    "west'"),
               Case((_TRAIN, _TEST, 1), _unknown(_TRAIN, _TEST, 1), "min_count 1, same texts"),
               Case((_TRAIN, _TEST2, 2), _unknown(_TRAIN, _TEST2, 2), "min_count 2 on 'a king a king a knave'")),
        mistakes=(
            Mistake(_unknown_strict,
                    "A word seen exactly min_count times is kept: the test is count >= min_count."),
            Mistake(_unknown_types,
                    "Count every occurrence in the held-out words, not each distinct word once."),
            Mistake(_unknown_count,
                    "That is the number of unknown words; divide by the number of held-out words."),
        ),
    ),
)

QUIZ = (
    Question("Why can the word model's perplexity per token not be compared with the character model's per character?",
             (Option("They are averages over different units: a token covers several characters on average.", True,
                     "Converting both totals to nats per character of the same text makes them comparable."),
              Option("Because the word model was trained on different text.", False,
                     "Both train on the same first 90% and are scored on the same held-out characters."),
              Option("They can: lower is better in both.", False,
                     "A per-token and a per-character perplexity measure different things; "
                     "the chapter shows the gap."))),
    Question("Why does the chapter add the cost of spelling out each unknown word?",
             (Option("Predicting <unk> says a rare word comes, not which: without it those characters are free.", True,
                     "Every character of the text must be paid for, as the character model pays."),
              Option("To make the word model look worse.", False, "It makes the comparison honest, whichever way it "
                                                                  "goes."),
              Option("Because <unk> has no embedding.", False, "<unk> is a token with its own embedding like any "
                                                               "other."))),
    Question("Where is the word model's vocabulary built from?",
             (Option("The training split only, tokens seen at least twice there.", True,
                     "Building it from held-out text would leak the test words into the model."),
              Option("The whole corpus.", False, "That would leak held-out words into the vocabulary."),
              Option("A standard English dictionary.", False, "The chapter counts tokens in the training split."))),
    Question("Which advantage does a character model have over a word model?",
             (Option("No unknown words: it can write names and words it saw once, or invent new ones.", True,
                     "Its vocabulary is a few dozen characters; every word is spelled from them."),
              Option("Shorter sequences for the same text.", False, "Words give the shorter sequences: a sentence is "
                                                                    "ten steps, not sixty."),
              Option("Each step carries more meaning.", False, "That is the word model's advantage."))),
)
