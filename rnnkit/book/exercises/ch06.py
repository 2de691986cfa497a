"""Chapter 6 (LaTeX): sorting each \\end with a stack of environments, and finding inline formulas."""
import re

from .. import syntax, typeset
from .core import Case, Exercise, Mistake
from .quiz import Option, Question

_ENV = re.compile(r"\\(begin|end)\{([^{}\n]*)\}")


def _counts(text):
    env = syntax.latex_environments(text)
    return env.matched, len(env.mismatched), len(env.never_closed), len(env.stray_ends)


def _top_only(text):
    # the mistake: an \end that names an outer environment is called a mismatch with the innermost one
    stack, counts = [], [0, 0, 0, 0]
    for line in text.split("\n"):
        for kind, name in _ENV.findall(re.sub(r"(?<!\\)%.*", "", line)):
            if kind == "begin":
                stack.append(name)
            elif not stack:
                counts[3] += 1
            else:
                counts[0 if stack.pop() == name else 1] += 1
    return tuple(counts)


def _with_comments(text):
    # the mistake: \begin and \end inside % comments are read too
    return _counts(text.replace("%", " "))


def _escaped_dollar_opens(line):
    # the mistake: \$ is read as the start of a formula
    return re.findall(r"(?<!\$)\$([^$\n]+)\$(?!\$)", line)


def _display_math_too(line):
    # the mistake: the inside of $$...$$ is read as an inline formula
    return re.findall(r"\$([^$]+)\$", line)


_TEXTS = (
    ("\\begin{lemma}\nLet $X$ be a scheme.\n\\end{lemma}\n\\begin{proof}\nTrivial.\n\\end{proof}", "two matched pairs"),
    ("\\begin{proof}\nSee above.\n\\end{lemma}", "a proof closed by \\end{lemma}"),
    ("\\begin{lemma}\n\\begin{enumerate}\n\\item One.\n\\end{lemma}", "an enumerate left open inside a lemma"),
    ("\\end{proof}\n% \\end{remark} was here\n\\begin{remark}\nOk.\n\\end{remark}", "a stray \\end, and a comment"),
)

_LINES = (
    ("Let $x \\in X$ and $f : X \\to Y$.", "two inline formulas"),
    ("$$\\sum_i a_i$$ is displayed, $n$ is not.", "display math, then inline"),
    ("It costs \\$5, and $\\mathcal{O}_X$ is a sheaf.", "an escaped dollar"),
)

EXERCISES = (
    Exercise(
        "06.1", "Sort every \\end: matched, mismatched, never closed, stray",
        cases=tuple(Case((t,), _counts(t), label) for t, label in _TEXTS),
        mistakes=(
            Mistake(_top_only, "An \\end that names an environment further out closes it: the inner ones it "
                               "skips were never closed, and that \\end is matched, not mismatched."),
            Mistake(_with_comments, "Text after an unescaped % is a comment: its \\begin and \\end do not count."),
        ),
    ),
    Exercise(
        "06.2", "The inline formulas of a line",
        cases=tuple(Case((t,), typeset.inline_math(t), label) for t, label in _LINES),
        mistakes=(
            Mistake(_escaped_dollar_opens, "An escaped \\$ is a dollar sign, not the start of a formula."),
            Mistake(_display_math_too, "$$...$$ is display math, not an inline formula: skip it."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter use the Stacks project as of commit dc48e34 of 21 May 2015?",
             (Option("To stay close to the text the article trained on, on the day it was published", True,
                     "The project changes almost daily; that commit's 93 .tex files give the article's 16 MB."),
              Option("Later versions are not LaTeX", False, "The project is still written in LaTeX."),
              Option("It is guaranteed to be Karpathy's exact file", False,
                     "The chapter says it is probably not byte-for-byte the file he used."))),
    Question("Why are stray \\end's left out of the match rate?",
             (Option("A piece cut out of the middle of a real file has them too", True,
                     "The cut can fall inside an environment, whose \\end then has nothing open."),
              Option("LaTeX ignores them", False, "LaTeX stops with an error on an \\end that closes nothing."),
              Option("The model never writes them", False, "It can; they are counted in the table's own column."))),
    Question("The model writes \\begin{proof} ... \\end{lemma}. Why is this the natural slip?",
             (Option("Proofs and lemmas alternate all through the book, and the right name at \\end "
                     "depends on what was opened many lines back", True,
                     "Choosing the name means remembering which environment was opened, past formulas unrelated to it."),
              Option("lemma is a shorter word", False, "Length has nothing to do with it; memory does."),
              Option("The tokenizer splits environment names", False,
                     "The model reads characters; no tokenizer splits anything."))),
    Question("Which of the model's formulas does the chapter typeset?",
             (Option("Inline formulas that use only commands KaTeX knows, with balanced braces", True,
                     "rnnkit.book.typeset keeps those that would render without an error."),
              Option("Every formula, after a pdflatex run", False, "The book's build has no LaTeX engine."),
              Option("Only those that contain \\Spec", False,
                     "\\Spec is one of the Stacks project's own macros, which KaTeX does not know."))),
)
