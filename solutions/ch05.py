"""Chapter 5: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.
import math

PAIRS = {"(": ")", "[": "]", "{": "}"}


def closings(text):
    opener = {")": "(", "]": "[", "}": "{"}
    stack, ok, wrong = [], 0, 0
    for c in text:
        if c in "([{":
            stack.append(c)
        elif c in opener:
            want = opener[c]
            if stack and stack[-1] == want:
                stack.pop()
                ok += 1
            elif want in stack:
                i = len(stack) - 1 - stack[::-1].index(want)
                wrong += len(stack) - i  # the closer itself, and every bracket it skipped
                del stack[i:]
            else:
                wrong += 1
    return ok, wrong


def compressed_bytes(nats_per_byte, n_bytes):
    import math
    return n_bytes * nats_per_byte / math.log(2) / 8


SOLUTIONS = {"05.1": closings, "05.2": compressed_bytes}

NOTES = {
    "05.1": "The rule of measures.nesting restricted to ( [ {. Ask students why a single depth counter "
            "is not enough (case 3), and why brackets open at the end are not counted (samples stop anywhere).",
    "05.2": "An ideal arithmetic coder driven by the model spends -log2 p bits per byte; the average is "
            "the loss in bits. The ln 256 case is the uniform model: it compresses nothing.",
}


def _pops_blindly(text):
    stack, ok, wrong = [], 0, 0
    for c in text:
        if c in PAIRS:
            stack.append(c)
        elif c in ")]}":
            ok += int(stack.pop())  # a bracket is not a number: ValueError
    return ok, wrong


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch05 import (_bits_not_bytes, _kind_blind, _log10_not_log2, _nats_not_bits,
                                            _skipped_not_counted)
    return {
        "05.1": [(_kind_blind, "keep a stack"), (_skipped_not_counted, "each skipped one"),
                 (_pops_blindly, "raised ValueError"), (lambda text: None, "returned None")],
        "05.2": [(_bits_not_bytes, "size in bits"), (_nats_not_bits, "divide by ln 2"), (_log10_not_log2, "not ln 10"),
                 (lambda nats, n: float("nan"), "NaN"),
                 (lambda nats, n: len(n) * nats / math.log(2) / 8, "raised TypeError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
