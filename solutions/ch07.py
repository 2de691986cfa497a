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


def _naive(code):
    stray = depth = 0
    for c in code:
        if c == "{":
            depth += 1
        elif c == "}":
            if depth:
                depth -= 1
            else:
                stray += 1
    return stray, depth


def _negative(code):
    # the depth goes below zero at a stray }, so a later { looks closed
    from rnnkit.book.syntax import brace_balance
    b = brace_balance(code)
    return b.underflows, max(0, b.opens - b.closes)


def _last_end(text):
    k = max(text.rfind(";"), text.rfind("}"))
    return text[:k + 1]


def _past_stray(text):
    depth, end = 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
            if depth == 0:
                end = i + 1
        elif c == ";" and depth == 0:
            end = i + 1
    return text[:end]


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "07.1": [(_naive, "not code"), (_negative, "must not lower the depth"),
             (lambda code: code.index("@"), "raised ValueError"), (lambda code: (float("nan"), 0), "NaN")],
    "07.2": [(_last_end, "depth 0"), (_past_stray, "cut before it"), (lambda text: None, "returned None"),
             (lambda text: text[:text.index("@")], "raised ValueError")],
}
