"""Chapter 16: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import math
from collections import Counter


def perplexity_per_char(loss_per_word, n_words, n_chars):
    total = loss_per_word * n_words  # nats for the whole text
    return math.exp(total / n_chars)


def unknown_share(train_words, test_words, min_count):
    counts = Counter(train_words)
    return sum(counts[w] < min_count for w in test_words) / len(test_words)


SOLUTIONS = {"16.1": perplexity_per_char, "16.2": unknown_share}

NOTES = {
    "16.1": "The total loss is the common currency: loss per word × words = loss per character × "
            "characters. The chapter's table does exactly this conversion in both directions.",
    "16.2": "Counts come from the training words only; the share is over held-out occurrences. With "
            "min_count 1 every training word is kept, and only truly new words are unknown.",
}


def _raises(loss_per_word, n_words, n_chars):
    return math.exp(loss_per_word * n_words / n_chars) / len(n_chars)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch16 import (_base_2, _nats_per_char, _per_word, _unknown_count, _unknown_strict,
                                            _unknown_types)
    return {
        "16.1": [(_per_word, "perplexity per word"), (_nats_per_char, "e to that power"),
                 (_raises, "raised TypeError"), (lambda l, w, c: float("nan"), "NaN"),
                 (_base_2, "not 2")],
        "16.2": [(_unknown_strict, "count >= min_count"), (_unknown_types, "every occurrence"),
                 (lambda a, b, m: None, "returned None"), (_unknown_count, "divide by the number"),
                 (lambda a, b, m: sum(Counter(a)[w] < m for w in b) / len(set(b) - set(b)),
                  "raised ZeroDivisionError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
