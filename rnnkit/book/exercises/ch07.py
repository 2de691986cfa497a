"""Chapter 7 (Linux): a brace-nesting counter that skips comments and strings, and where C can end."""
from .. import syntax
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _report(code):
    b = syntax.brace_balance(code)
    return b.underflows, b.final_depth


def _reads_everything(code):
    # the mistake: braces inside comments, strings and character literals are counted too
    stray = depth = 0
    for c in code:
        if c == "{":
            depth += 1
        elif c == "}":
            stray, depth = (stray, depth - 1) if depth else (stray + 1, depth)
    return stray, depth


def _goes_negative(code):
    # the mistake: a stray } still lowers the depth, so a later { looks closed
    b = syntax.brace_balance(code)
    return b.underflows, max(0, b.opens - b.closes)


_CODE = (
    ("static int f(void)\n{\n\treturn 0;\n}\n", "one whole function"),
    ("if (a) {\n\tprintk(\"{\");\n\t/* { */\n", "braces in a string and a comment"),
    ("char c = '}';\nvoid g(void) { } // }\n", "braces in a char literal and a line comment"),
    ("}\nstruct s {\n\tint x;", "a stray }, then a struct left open"),
)


def _depth_blind(text):
    ends = [i + 1 for i, c in enumerate(text) if c in ";}"]
    return text[:ends[-1]] if ends else ""


def _past_stray(text):
    depth, ends = 0, []
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
            if depth == 0:
                ends.append(i + 1)
        elif c == ";" and depth == 0:
            ends.append(i + 1)
    return text[:ends[-1]] if ends else ""


_CUTS = (
    ("static int x;\nstatic int f(void)\n{\n\treturn x;\n}\nstatic int g(void)\n{\n\tif (x) {", "two units, then a cut function"),
    ("int a; int b", "a declaration cut short"),
    ("static void f(void)\n{\n\tx = 1;", "inside a function only"),
    ("int a;\n}\nint b;", "a } with nothing open"),
)

EXERCISES = (
    Exercise(
        "07.1", "Stray and open braces, outside comments and strings",
        cases=tuple(Case((c,), _report(c), label) for c, label in _CODE),
        mistakes=(
            Mistake(_reads_everything, "Braces inside comments, strings and character literals are not code: skip them."),
            Mistake(_goes_negative, "A } that closes nothing must not lower the depth: count it as stray and keep the depth at 0."),
        ),
    ),
    Exercise(
        "07.2", "Cut a sample where a C file could end",
        cases=tuple(Case((c,), syntax.complete_units(c), label) for c, label in _CUTS),
        mistakes=(
            Mistake(_past_stray, "A } with nothing open makes the rest unusable: cut before it."),
            Mistake(_depth_blind, "Only a ; or } at brace depth 0 ends a top-level unit: inside a function the file cannot end."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter train on the kernel's kernel/ directory from Linux 6.1 rather than Karpathy's file?",
             (Option("His kernel file was never published in a form we could obtain", True,
                     "So rnnkit builds a substitute of similar size (about 11.7 MB) from Debian's source package."),
              Option("Linux 6.1 is easier to predict", False, "Nothing in the chapter claims that; it is a substitute."),
              Option("The 2015 kernel is not C", False, "It is C too; the problem is getting the file the article used."))),
    Question("A sample stops with two braces still open. How does the chapter count that?",
             (Option("Not as an error: the sampler stopped mid-function", True,
                     "Open braces at the end are the sampler's doing; only a } that closes nothing is a stray."),
              Option("As two syntax errors", False, "The text is first cut after its last complete top-level unit."),
              Option("As a failed compile of the whole sample", False, "The cut removes the unfinished function before gcc sees it."))),
    Question("Why are only gcc's syntax errors counted, not 'undeclared' or 'incomplete type' errors?",
             (Option("Without the real kernel headers, real kernel code has plenty of those too", True,
                     "A fixed prelude stands in for the headers, but it cannot declare every name the kernel uses."),
              Option("gcc does not report them", False, "It does; the chapter sets them aside on purpose."),
              Option("The model never makes them", False, "It does make them; they just cannot be told apart from missing headers."))),
    Question("Why is 'characters that parse' a better number than 'parses' (the whole text)?",
             (Option("One syntax error anywhere fails a whole text; the share of characters says how far it stays valid C", True,
                     "Whole texts rarely parse, even when most of their characters do."),
              Option("It is faster to compute", False, "Both come from the same gcc runs."),
              Option("It ignores the model's mistakes", False, "It stops counting at the first syntax error."))),
)
