"""Chapter 5 (Wikipedia): a bracket-nesting counter with a stack, and a loss read as a file size."""
import math

from .. import measures
from .core import Case, Exercise, Mistake
from .quiz import Option, Question

_PLAIN = {"(": ")", "[": "]", "{": "}"}
_OPEN_OF = {c: o for o, c in _PLAIN.items()}


def _closings(text):
    ok, wrong, _ = measures.nesting(text, pairs=_PLAIN)
    return ok, wrong


def _kind_blind(text):
    # the mistake: one depth counter for every kind of bracket
    depth = ok = wrong = 0
    for c in text:
        if c in _PLAIN:
            depth += 1
        elif c in _OPEN_OF:
            ok, wrong, depth = (ok + 1, wrong, depth - 1) if depth else (ok, wrong + 1, depth)
    return ok, wrong


def _skipped_not_counted(text):
    # the mistake: a closer that closes across inner brackets counts once, the skipped ones not at all
    stack, ok, wrong = [], 0, 0
    for c in text:
        if c in _PLAIN:
            stack.append(c)
        elif c in _OPEN_OF:
            if stack and stack[-1] == _OPEN_OF[c]:
                stack.pop()
                ok += 1
            else:
                wrong += 1
                if _OPEN_OF[c] in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(_OPEN_OF[c]):]
    return ok, wrong


_TEXTS = (
    ("[[Paris]] (the city {of} France)", "nested, all right"),
    ("see (note]", "a ] with no [ open"),
    ("([a)]", "a ) that closes across an open ["),
    ("{{cite (web}} [x", "a closer across one, and a bracket still open at the end"),
)


def _bytes_needed(nats_per_byte, n_bytes):
    return n_bytes * nats_per_byte / math.log(2) / 8


def _bits_not_bytes(nats_per_byte, n_bytes):
    return n_bytes * nats_per_byte / math.log(2)


def _nats_not_bits(nats_per_byte, n_bytes):
    return n_bytes * nats_per_byte / 8


def _log10_not_log2(nats_per_byte, n_bytes):
    return n_bytes * nats_per_byte / math.log(10) / 8


EXERCISES = (
    Exercise(
        "05.1", "Brackets closed right and wrong, with a stack",
        cases=tuple(Case((t,), _closings(t), label) for t, label in _TEXTS),
        mistakes=(
            Mistake(_kind_blind, "One counter for all kinds cannot tell ( from [: keep a stack of the open brackets."),
            Mistake(_skipped_not_counted,
                    "A closer that closes across inner brackets also leaves those unclosed: each skipped one counts as wrong."),
        ),
    ),
    Exercise(
        "05.2", "From nats per byte to the size of the compressed file",
        cases=(Case((math.log(256), 1000), _bytes_needed(math.log(256), 1000), "ln 256 nats per byte, 1000 bytes"),
               Case((1.0, 8), _bytes_needed(1.0, 8), "1 nat per byte, 8 bytes"),
               Case((0.9, 4_150_000), _bytes_needed(0.9, 4_150_000), "0.9 nats per byte, 4,150,000 bytes")),
        mistakes=(
            Mistake(_bits_not_bytes, "That is the size in bits: divide by 8 for bytes."),
            Mistake(_nats_not_bits, "The loss is in nats: divide by ln 2 to get bits first."),
            Mistake(_log10_not_log2, "Nats become bits by dividing by ln 2, not ln 10."),
        ),
    ),
)

QUIZ = (
    Question("The model reads the file byte by byte. What does that make of a character such as é?",
             (Option("Two symbols, one per byte of its UTF-8 encoding", True,
                     "Every byte value is a symbol, so a non-ASCII character costs two or more steps."),
              Option("One symbol, like any letter", False,
                     "That would be a character-level vocabulary; this chapter's vocabulary is the byte values."),
              Option("It is dropped from the text", False, "Nothing is dropped: the interwiki links in many scripts stay."))),
    Question("Why report the validation loss in bits per byte?",
             (Option("It is the unit of the compression benchmark enwik8 was made for", True,
                     "A model that predicts the next byte well is a good compressor: bits per byte is the compressed size per byte."),
              Option("Bits are more accurate than nats", False, "They are the same quantity in another unit: divide nats by ln 2."),
              Option("Because the file is XML", False, "The unit comes from compression, not from the markup."))),
    Question("In the bracket check, what happens to brackets still open when a text ends?",
             (Option("They are not counted", True, "A sample stops anywhere, so an open bracket at the end is not a mistake."),
              Option("Each counts as a wrong closing", False, "Then every cut-off sample would be punished for where the sampler stopped."),
              Option("They count as right", False, "Nothing was closed, so there is nothing to call right."))),
    Question("Why does the chapter compare the model's nesting rate with held-out Wikipedia and an untrained model?",
             (Option("Real text shows what the measure gives at best, the untrained model what it gives by chance", True,
                     "The model's rate means something only between those two references."),
              Option("To train on them", False, "Neither is used for training; both are only measured."),
              Option("Because the model always scores 100%", False, "It does not have to: that is why it is measured."))),
)
