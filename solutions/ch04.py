"""Chapter 4: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.


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


def _raises(block):
    raise KeyError("speaker")


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch04 import _first_seen, _no_second_speaker_check, _no_speech_check, _one_based
    return {
        "04.1": [(_no_speech_check, "at least one line of speech"), (_no_second_speaker_check, "second speaker line"),
                 (_raises, "raised KeyError"), (lambda block: None, "returned None")],
        "04.2": [(_first_seen, "first appearance"), (_one_based, "start at 1"),
                 (lambda text: (encode(text)[0], [float("nan")] * len(text)), "NaN"),
                 (lambda text: (sorted(set(text)), [text.index(c, 1) for c in text]), "raised ValueError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
