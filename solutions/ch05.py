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


def _one_counter(text):
    depth = ok = wrong = 0
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth:
                depth, ok = depth - 1, ok + 1
            else:
                wrong += 1
    return ok, wrong


def _skips_free(text):
    opener = {c: o for o, c in PAIRS.items()}
    stack, ok, wrong = [], 0, 0
    for c in text:
        if c in PAIRS:
            stack.append(c)
        elif c in opener:
            if stack and stack[-1] == opener[c]:
                stack.pop()
                ok += 1
            else:
                wrong += 1
                if opener[c] in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(opener[c]):]
    return ok, wrong


def _pops_blindly(text):
    stack, ok, wrong = [], 0, 0
    for c in text:
        if c in PAIRS:
            stack.append(c)
        elif c in ")]}":
            ok += int(stack.pop())  # a bracket is not a number: ValueError
    return ok, wrong


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "05.1": [(_one_counter, "keep a stack"), (_skips_free, "each skipped one"), (_pops_blindly, "raised ValueError"),
             (lambda text: None, "returned None")],
    "05.2": [(lambda nats, n: n * nats / math.log(2), "size in bits"), (lambda nats, n: n * nats / 8, "divide by ln 2"),
             (lambda nats, n: n * nats / math.log(10) / 8, "not ln 10"), (lambda nats, n: float("nan"), "NaN"),
             (lambda nats, n: len(n) * nats / math.log(2) / 8, "raised TypeError")],
}
