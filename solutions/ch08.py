"""Chapter 8: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.
import numpy as np


def bigram_probs(names, chars):
    import numpy as np
    stoi = {c: i for i, c in enumerate(chars)}
    counts = np.ones((len(chars), len(chars)))  # add-one smoothing
    for name in names:
        seq = "\n" + name + "\n"
        for a, b in zip(seq, seq[1:]):
            counts[stoi[a], stoi[b]] += 1
    return counts / counts.sum(axis=1, keepdims=True)


def name_loss(probs, chars, name):
    import numpy as np
    stoi = {c: i for i, c in enumerate(chars)}
    seq = "\n" + name + "\n"
    return float(np.mean([-np.log(probs[stoi[a], stoi[b]]) for a, b in zip(seq, seq[1:])]))


SOLUTIONS = {"08.1": bigram_probs, "08.2": name_loss}

NOTES = {
    "08.1": "names.Bigram in rnnkit does the same with np.add.at. The third case has a character ('a') "
            "and a row ('\\n') that the mistakes handle differently; without smoothing, unseen rows are 0/0.",
    "08.2": "The n + 1 predictions are the point: it is why the chapter's stream loss, newlines included, "
            "compares with makemore's. The uniform case gives ln 3 whatever the name.",
}


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch08 import _by_column, _loss_in_bits, _loss_no_end, _loss_total, _no_start, _unsmoothed
    return {
        "08.1": [(_unsmoothed, "add 1 to every count"), (_by_column, "axis 1"), (_no_start, "first letter"),
                 (lambda names, chars: np.ones((len(chars), len(chars)))[names], "raised"),
                 (lambda names, chars: None, "returned None")],
        "08.2": [(_loss_no_end, "n + 1 predictions"), (_loss_total, "the total"), (_loss_in_bits, "natural log"),
                 (lambda probs, chars, name: float("nan"), "NaN"), (lambda probs, chars, name: probs[name], "raised")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
