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


def _unsmoothed(names, chars):
    probs = bigram_probs(names, chars)
    counts = np.rint(probs * 0)  # zeros of the right shape
    stoi = {c: i for i, c in enumerate(chars)}
    for name in names:
        seq = "\n" + name + "\n"
        for a, b in zip(seq, seq[1:]):
            counts[stoi[a], stoi[b]] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / counts.sum(axis=1, keepdims=True)


def _columns(names, chars):
    probs = bigram_probs(names, chars)
    counts = probs * 0 + 1
    stoi = {c: i for i, c in enumerate(chars)}
    for name in names:
        seq = "\n" + name + "\n"
        for a, b in zip(seq, seq[1:]):
            counts[stoi[a], stoi[b]] += 1
    return counts / counts.sum(axis=0, keepdims=True)


def _no_start(names, chars):
    stoi = {c: i for i, c in enumerate(chars)}
    counts = np.ones((len(chars), len(chars)))
    for name in names:
        seq = name + "\n"  # the pair (newline, first letter) is never counted
        for a, b in zip(seq, seq[1:]):
            counts[stoi[a], stoi[b]] += 1
    return counts / counts.sum(axis=1, keepdims=True)


def _no_end(probs, chars, name):
    stoi = {c: i for i, c in enumerate(chars)}
    seq = "\n" + name
    return float(np.mean([-np.log(probs[stoi[a], stoi[b]]) for a, b in zip(seq, seq[1:])]))


def _log2(probs, chars, name):
    return name_loss(probs, chars, name) / np.log(2)  # bits, not nats


def _total(probs, chars, name):
    return name_loss(probs, chars, name) * (len(name) + 1)


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "08.1": [(_unsmoothed, "add 1 to every count"), (_columns, "axis 1"), (_no_start, "first letter"),
             (lambda names, chars: np.ones((len(chars), len(chars)))[names], "raised"),
             (lambda names, chars: None, "returned None")],
    "08.2": [(_no_end, "n + 1 predictions"), (_total, "the total"), (_log2, "natural log"),
             (lambda probs, chars, name: float("nan"), "NaN"), (lambda probs, chars, name: probs[name], "raised")],
}
