"""Chapter 7: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.


def brace_report(code):
    stray = depth = i = 0
    while i < len(code):
        if code.startswith("/*", i):  # skip a comment, a string or a char literal whole
            j = code.find("*/", i + 2)
            i = len(code) if j < 0 else j + 2
        elif code.startswith("//", i):
            j = code.find("\n", i)
            i = len(code) if j < 0 else j
        elif code[i] in "\"'":
            j = i + 1
            while j < len(code) and code[j] not in (code[i], "\n"):
                j += 2 if code[j] == "\\" else 1
            i = j + 1
        else:
            if code[i] == "{":
                depth += 1
            elif code[i] == "}":
                if depth:
                    depth -= 1
                else:
                    stray += 1  # closes nothing: the depth stays 0
            i += 1
    return stray, depth


def complete_units(text):
    depth, end = 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                break  # closes nothing: the rest is unusable
            depth -= 1
            if depth == 0:
                end = i + 1
        elif c == ";" and depth == 0:
            end = i + 1
    return text[:end]


SOLUTIONS = {"07.1": brace_report, "07.2": complete_units}

NOTES = {
    "07.1": "rnnkit.book.syntax.brace_balance does the same with a mask of code characters. Students "
            "usually forget the char literal '}' or let the depth go below zero.",
    "07.2": "syntax.complete_units; the contract here has no comments or strings, so no mask is needed. "
            "Ask why cutting matters: gcc should judge what the model wrote, not where the sampler stopped.",
}


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch07 import _depth_blind, _goes_negative, _past_stray, _reads_everything
    return {
        "07.1": [(_reads_everything, "not code"), (_goes_negative, "must not lower the depth"),
                 (lambda code: code.index("@"), "raised ValueError"), (lambda code: (float("nan"), 0), "NaN")],
        "07.2": [(_depth_blind, "depth 0"), (_past_stray, "cut before it"), (lambda text: None, "returned None"),
                 (lambda text: text[:text.index("@")], "raised ValueError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
