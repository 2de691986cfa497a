"""A chapter's self-check quiz: multiple choice, a reason for every option, answered in place.

It needs no kernel, no network and no JavaScript: each option is a radio button, and CSS shows
the option's verdict and reason once it is picked (`:checked`), so the same HTML answers in the
static book offline, in Jupyter and in Colab. Every question is a fieldset with its legend, so a
keyboard moves through it and a screen reader names it; the verdict sits in a live region. Under
the questions a <details> lists every answer with its reason, for a page read without CSS.
"""
import html
import uuid
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple


def validate(questions, where):
    """Each question has exactly one right option and a reason for each option."""
    for q in questions:
        right = sum(o.correct for o in q.options)
        if right != 1 or len(q.options) < 2 or not all(o.why.strip() for o in q.options):
            raise ValueError(f"{where}: question {q.text[:40]!r} needs 2+ options, one right, a reason each")


_CSS = """
.rnnkit-quiz{{border:1px solid #9ca3af;border-radius:6px;padding:8px 12px;margin:8px 0;
 background:#fff;color:#111}}
.rnnkit-quiz fieldset{{border:0;margin:0 0 10px;padding:0}}
.rnnkit-quiz legend{{font-weight:600;font-size:1em;line-height:1.4;padding:0;margin:0 0 4px;color:#111}}
.rnnkit-quiz .rk-opt{{margin:0;padding:2px 0}}
.rnnkit-quiz input{{margin:0 0.5em 0 0;vertical-align:baseline}}
.rnnkit-quiz label{{display:inline;cursor:pointer;color:#111}}
.rnnkit-quiz input:focus-visible+label{{outline:2px solid #1d4ed8}}
.rnnkit-quiz .rk-fb{{display:none;margin:0 0 4px 1.6em;padding:2px 6px;border-left:4px solid}}
.rnnkit-quiz input:checked+label+.rk-fb{{display:block}}
.rnnkit-quiz .rk-yes{{background:#e7f6ec;color:#14532d;border-color:#2f855a}}
.rnnkit-quiz .rk-no{{background:#fdecea;color:#7f1d1d;border-color:#c53030}}
.rnnkit-quiz details{{margin-top:6px;color:#111}}
.rnnkit-quiz summary{{cursor:pointer;color:#1d4ed8}}
"""


def _option(qid, i, option):
    oid = f"{qid}-{i}"
    verdict, cls = ("Correct", "rk-yes") if option.correct else ("Not quite", "rk-no")
    # one line per option: the radio button and its label side by side, the verdict under them
    return (f"<div class='rk-opt'><input type='radio' name='{qid}' id='{oid}' value='{i}'>"
            f"<label for='{oid}'>{html.escape(option.text)}</label>"
            f"<div class='rk-fb {cls}' role='status'><strong>{verdict}.</strong> "
            f"{html.escape(option.why)}</div></div>")


def shown(question):
    """The options in the order a reader sees them: the right one moved to a place that depends on
    the question's text (a checksum, so every build and every kernel agrees), the others in their
    written order. The chapters write the right option first; a reader must not learn that."""
    right = next(o for o in question.options if o.correct)
    others = [o for o in question.options if not o.correct]
    at = zlib.crc32(question.text.encode("utf-8")) % len(question.options)
    return tuple(others[:at] + [right] + others[at:])


def _answers(questions):
    items = []
    for q in questions:
        reasons = "".join(f"<li>{'✔' if o.correct else '✘'} {html.escape(o.text)}: {html.escape(o.why)}</li>"
                          for o in shown(q))
        items.append(f"<li>{html.escape(q.text)}<ul>{reasons}</ul></li>")
    return f"<details><summary>All answers, with reasons</summary><ol>{''.join(items)}</ol></details>"


def render(chapter, questions):
    """The quiz as one self-contained HTML fragment (unique names, so two quizzes never clash)."""
    key = "rq" + uuid.uuid4().hex[:8]
    blocks = []
    for n, q in enumerate(questions, 1):
        qid = f"{key}-{n}"
        options = "".join(_option(qid, i, o) for i, o in enumerate(shown(q)))
        blocks.append(f"<fieldset><legend>{n}. {html.escape(q.text)}</legend>{options}</fieldset>")
    return (f"<style>{_CSS.format()}</style><section class='rnnkit-quiz' aria-label='Self-check quiz, "
            f"chapter {int(chapter)}'>{''.join(blocks)}{_answers(questions)}</section>")


def text(chapter, questions):
    """The quiz as plain text (a terminal, or a reader without HTML)."""
    lines = [f"Self-check quiz, chapter {int(chapter)}"]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}. {q.text}")
        lines += [f"   {'abcdefgh'[i]}) {o.text}" for i, o in enumerate(shown(q))]
    return "\n".join(lines)


class Quiz:
    """What quiz() returns: shown as HTML in a notebook and in the book, as text elsewhere."""

    def __init__(self, chapter, questions):
        self.chapter, self.questions = chapter, questions

    def _repr_html_(self):
        return render(self.chapter, self.questions)

    def __repr__(self):
        return text(self.chapter, self.questions)
