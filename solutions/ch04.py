"""Chapter 4: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.
from rnnkit.book.measures import SPEAKER


def is_turn(block):
    from rnnkit.book.measures import SPEAKER
    lines = [line.strip() for line in block.strip("\n").split("\n")]
    speech = [line for line in lines[1:] if line]
    return bool(SPEAKER.fullmatch(lines[0]) and speech and not any(SPEAKER.fullmatch(l) for l in speech))


def encode(text):
    chars = "".join(sorted(set(text)))
    stoi = {c: i for i, c in enumerate(chars)}
    return chars, [stoi[c] for c in text]


SOLUTIONS = {"04.1": is_turn, "04.2": encode}

NOTES = {
    "04.1": "The same rule as measures.speaker_turns, on one block. The two failing cases that catch "
            "most students are the speaker line alone and the block where two speakers run together "
            "(the model sometimes forgets the blank line between turns).",
    "04.2": "sorted(set(text)) fixes the order, so the same text always gives the same ids; "
            "Vocab.from_text in rnnkit/text.py does exactly this.",
}


def _speaker_only(block):
    return bool(SPEAKER.fullmatch(block.strip("\n").split("\n")[0].strip()))


def _no_second(block):
    lines = [line.strip() for line in block.strip("\n").split("\n")]
    return bool(SPEAKER.fullmatch(lines[0]) and any(lines[1:]))


def _raises(block):
    raise KeyError("speaker")


def _first_seen(text):
    chars = "".join(dict.fromkeys(text))
    return chars, [chars.index(c) for c in text]


def _one_based(text):
    chars, ids = encode(text)
    return chars, [i + 1 for i in ids]


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "04.1": [(_speaker_only, "at least one line of speech"), (_no_second, "second speaker line"),
             (_raises, "raised KeyError"), (lambda block: None, "returned None")],
    "04.2": [(_first_seen, "first appearance"), (_one_based, "start at 1"),
             (lambda text: (encode(text)[0], [float("nan")] * len(text)), "NaN"),
             (lambda text: (sorted(set(text)), [text.index(c, 1) for c in text]), "raised ValueError")],
}
