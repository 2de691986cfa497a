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


def _per_word(loss_per_word, n_words, n_chars):
    return math.exp(loss_per_word)


def _raises(loss_per_word, n_words, n_chars):
    return math.exp(loss_per_word * n_words / n_chars) / len(n_chars)


def _strict(train_words, test_words, min_count):
    counts = Counter(train_words)
    return sum(counts[w] <= min_count for w in test_words) / len(test_words)


def _types(train_words, test_words, min_count):
    counts, distinct = Counter(train_words), set(test_words)
    return sum(counts[w] < min_count for w in distinct) / len(distinct)


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "16.1": [(_per_word, "perplexity per word"), (lambda l, w, c: l * w / c, "e to that power"),
             (_raises, "raised TypeError"), (lambda l, w, c: float("nan"), "NaN"),
             (lambda l, w, c: 2 ** (l * w / c), "not 2")],
    "16.2": [(_strict, "count >= min_count"), (_types, "every occurrence"), (lambda a, b, m: None, "returned None"),
             (lambda a, b, m: unknown_share(a, b, m) * len(b), "divide by the number"),
             (lambda a, b, m: sum(Counter(a)[w] < m for w in b) / len(set(b) - set(b)), "raised ZeroDivisionError")],
}
