"""Chapter 6: reference solutions, instructor notes, and wrong answers the tests feed the checks."""
# Each solution is self-contained (imports inside the function): the instructor build pastes
# its source alone into the chapter's exercise cell.
import re

ENV = re.compile(r"\\(begin|end)\{([^{}\n]*)\}")


def environment_counts(text):
    import re
    stack = []
    matched = mismatched = never_closed = stray = 0
    for line in text.split("\n"):
        code = re.sub(r"(?<!\\)%.*", "", line)  # drop the comment
        for kind, name in re.findall(r"\\(begin|end)\{([^{}\n]*)\}", code):
            if kind == "begin":
                stack.append(name)
            elif not stack:
                stray += 1
            elif stack[-1] == name:
                stack.pop()
                matched += 1
            elif name in stack:
                while stack[-1] != name:  # the outer \end skips the inner ones
                    stack.pop()
                    never_closed += 1
                stack.pop()
                matched += 1
            else:
                stack.pop()
                mismatched += 1
    return matched, mismatched, never_closed, stray


def inline_math(line):
    import re
    return re.findall(r"(?<![\\$])\$([^$\n]+)\$(?!\$)", line)


SOLUTIONS = {"06.1": environment_counts, "06.2": inline_math}

NOTES = {
    "06.1": "The rules of rnnkit.book.syntax.latex_environments. The third case (enumerate left open) "
            "separates students who only compare with the top of the stack.",
    "06.2": "One regular expression does it: a $ not preceded by \\ or $, a run without $ or newline, "
            "a $ not followed by $. typeset.inline_math also caps a formula at 120 characters.",
}


def _pops_empty(text):
    stack, matched = [], 0
    for kind, name in ENV.findall(text):
        if kind == "begin":
            stack.append(name)
        else:
            matched += int(stack.pop())  # a name is not a number: ValueError
    return matched, 0, 0, 0


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch06 import _display_math_too, _escaped_dollar_opens, _top_only, _with_comments
    return {
        "06.1": [(_top_only, "never closed"), (_with_comments, "is a comment"), (_pops_empty, "raised ValueError"),
                 (lambda text: (float("nan"),) * 4, "NaN")],
        "06.2": [(_display_math_too, "display math"), (_escaped_dollar_opens, "escaped"),
                 (lambda line: None, "returned None"), (lambda line: line.split("$")[99], "raised IndexError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
