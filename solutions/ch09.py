"""Chapter 9: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
import re


def real_word_share(text, dictionary):
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 2]
    return sum(w.lower() in dictionary for w in words) / len(words)


def halfway_step(steps, values, target):
    progress = [(v - values[0]) / (target - values[0]) for v in values]
    half = progress[-1] / 2
    for i, step in enumerate(steps):
        if all(p >= half for p in progress[i:]):
            return step
    return steps[-1]


SOLUTIONS = {"09.1": real_word_share, "09.2": halfway_step}

NOTES = {
    "09.1": "A word is a run of letters (digits and underscores split words), compared lower-cased; "
            "one-letter words are left out because random letters hit 'a' and 'I' too often. This is "
            "measures.word_fraction(text, vocabulary, 2).",
    "09.2": "Progress is the share of the gap between step 0 and real text that has been closed; the "
            "halfway step is the first from which the progress stays at or above half of the final "
            "progress. measures.halfway_step adds one rule: a run that closed less than a fifth of the "
            "gap did not learn the measure (None).",
}


def _raises(text, dictionary):
    raise ZeroDivisionError("division by zero")


def _past_the_end(steps, values, target):
    return steps[len(steps)]  # one past the last snapshot: IndexError


def _nan(steps, values, target):
    return float("nan")


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch09 import (_case_sensitive, _first_reaching, _half_of_gap, _one_letter_words_too,
                                            _split_on_spaces)
    return {
        "09.1": [(_split_on_spaces, "run of letters"), (_case_sensitive, "lower-cased"),
                 (_one_letter_words_too, "One-letter"), (_raises, "raised ZeroDivisionError"),
                 (lambda text, dictionary: None, "returned None")],
        "09.2": [(_first_reaching, "stays there"), (_half_of_gap, "not half of the whole gap"),
                 (_nan, "NaN"), (_past_the_end, "raised IndexError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
