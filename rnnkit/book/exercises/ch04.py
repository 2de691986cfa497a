"""Chapter 4 (Shakespeare): the dialogue-format check on one block, and the character vocabulary."""
from .. import measures
from ...text import Vocab
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _is_turn(block):
    # speaker_turns drops a text's first and last blocks: wrap the block between two others
    return measures.speaker_turns("before\n\n" + block + "\n\nafter")[0] == 1


def _lines(block):
    return [line.strip() for line in block.strip("\n").split("\n")]


def _no_speech_check(block):
    # the mistake: a speaker line alone counts as a turn
    lines = _lines(block)
    return bool(measures.SPEAKER.fullmatch(lines[0])) and not any(
        measures.SPEAKER.fullmatch(line) for line in lines[1:])


def _no_second_speaker_check(block):
    # the mistake: a second speaker line inside the block is not looked for
    lines = _lines(block)
    return bool(measures.SPEAKER.fullmatch(lines[0]) and any(lines[1:]))


_BLOCKS = (
    ("ROMEO:\nBut, soft! what light through yonder window breaks?", "a speaker, then a speech"),
    ("First Citizen:\nBefore we proceed any further, hear me speak.\nSpeak, speak.", "two lines of speech"),
    ("KING RICHARD III:", "a speaker line alone"),
    ("ROMEO:\nGood night.\nJULIET:\nGood night.", "two speakers in one block"),
    ("What light through yonder window breaks?\nROMEO:", "speech first, speaker last"),
)


def _encoded(text):
    vocab = Vocab.from_text(text)
    return "".join(vocab.chars), [int(i) for i in vocab.encode(text)]


def _first_seen(text):
    chars = "".join(dict.fromkeys(text))
    return chars, [chars.index(c) for c in text]


def _one_based(text):
    chars, ids = _encoded(text)
    return chars, [i + 1 for i in ids]


_TEXTS = ("hello", "ROMEO:\nAy me!", "abcabc")

EXERCISES = (
    Exercise(
        "04.1", "Is this block a well-formed turn of dialogue?",
        cases=tuple(Case((b,), _is_turn(b), label) for b, label in _BLOCKS),
        mistakes=(
            Mistake(_no_speech_check, "A speaker line alone is not a turn: at least one line of speech must follow."),
            Mistake(_no_second_speaker_check,
                    "A second speaker line inside the block means two turns ran together: that block is not well-formed."),
        ),
    ),
    Exercise(
        "04.2", "The character vocabulary, and the text as ids",
        cases=tuple(Case((t,), _encoded(t), repr(t)) for t in _TEXTS),
        mistakes=(
            Mistake(_first_seen, "The vocabulary is in order of first appearance: sort the distinct characters."),
            Mistake(_one_based, "The ids start at 1: the first character of the vocabulary has id 0."),
        ),
    ),
)

QUIZ = (
    Question("What does the model of this chapter read and predict, one step at a time?",
             (Option("One character (one of the corpus's few dozen symbols)", True,
                     "It is a character-level LSTM: the vocabulary is the distinct characters of the text."),
              Option("One word of Shakespeare's vocabulary", False,
                     "Words never appear as units: speaker names and line breaks are spelled out character by character."),
              Option("One whole line of verse", False,
                     "The model emits a single character per step; lines come from predicting the newline character."))),
    Question("How does the chapter decide that a block of text is a well-formed turn?",
             (Option("Its first line is a speaker name ending in a colon, at least one line of speech follows, "
                     "and no second speaker line is inside", True,
                     "That is the rule `measures.speaker_turns` counts, on blocks cut at blank lines."),
              Option("It scans as iambic pentameter", False, "Metre is not measured at all in this chapter."),
              Option("Every word in it is in Shakespeare's vocabulary", False,
                     "Word spelling is a different measure; the turn check looks only at the format."))),
    Question("Why are the first and last block of each text left out of the count?",
             (Option("A sample or an excerpt may start or stop inside a block", True,
                     "A turn cut in half would be counted as badly formed through no fault of the model."),
              Option("They are always the prime", False, "Only a sample starts with the prime, and the real text has none."),
              Option("They are too long to check", False, "Length plays no part in the rule."))),
    Question("Why is the same count also made on an untrained model's output?",
             (Option("It shows what the count gives when nothing has been learnt", True,
                     "A floor to compare with: the trained model's share means something only above it."),
              Option("Untrained models write better dialogue", False,
                     "Random weights give nearly uniform characters, not dialogue."),
              Option("To measure the speed of sampling", False, "The table counts turns and names, not time."))),
)
