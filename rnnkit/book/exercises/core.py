"""Checked exercises: a student writes a small function, `check(id, fn)` says whether it is right.

A check never shows a traceback. It answers one of three things:
    Not yet     the function is still the stub (its body is only `...`, `pass` or a docstring,
                or it raises NotImplementedError)
    Correct     every case passed; the cases are listed
    Not quite   the first case that failed: its input, what was expected, what came back, and,
                where the answer matches a known mistake, what that mistake is
An exception, None, NaN or a wrong shape is a "Not quite" that says so.

An exercise is plain data (Exercise, Case, Mistake) in the chapter's module chNN.py; reference
solutions live outside the package, in the repository's solutions/ folder, for instructors.
"""
import ast
import copy
import dis
import html
import inspect
import math
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch

NOT_YET, CORRECT, NOT_QUITE = "Not yet", "Correct", "Not quite"
MIME = "application/vnd.rnnkit.check+json"  # what `rnnkit grade` reads back from a run notebook


@dataclass(frozen=True)
class Case:
    """One call: fn(*args) should return `expected` (within rtol/atol for numbers)."""
    args: tuple
    expected: Any
    label: str = ""  # how the input is named in a "Not quite"; default: the arguments' repr


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: `produces(*args)` is what the mistaken code returns; when the student's
    answer equals it on the failing case, `says` is shown."""
    produces: Callable
    says: str


@dataclass(frozen=True)
class Exercise:
    id: str                     # "02.1": the chapter's two digits, a dot, the exercise's number
    title: str
    cases: tuple
    mistakes: tuple = ()
    rtol: float = 1e-4
    atol: float = 1e-6
    prepare: Callable = None    # turns the answer before comparing (e.g. round, sort); default none


@dataclass
class Result:
    """What check() returns; Jupyter shows it as HTML, a terminal as text."""
    id: str
    status: str
    message: str
    cases: list = field(default_factory=list)

    def text(self):
        lines = [f"{self.id} {self.status}: {self.message}"] + [f"  {c}" for c in self.cases]
        return "\n".join(lines)

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        return render(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text(), "text/html": render(self),
                MIME: {"id": self.id, "status": self.status, "message": self.message}}


def _returns_none_only(code):
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval is not None:
            return False
        if ins.opname not in ("RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"):
            return False
    return True


def is_stub(fn):
    """True for a function whose body does nothing: `...`, `pass`, or only a docstring (an explicit
    `return None` is an answer, a wrong one). Read from the source where Python has it (a notebook
    cell included), else from the bytecode."""
    code = getattr(fn, "__code__", None)
    if code is None or fn.__name__ == "<lambda>" or not _returns_none_only(code):
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return True
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
               for s in body)


def _as_array(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().double().numpy()
    return np.asarray(x, dtype=float)


def _show(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return np.array2string(np.round(x, 4), threshold=12, edgeitems=3) + f" (shape {tuple(x.shape)})"
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, (tuple, list)) and any(isinstance(v, (np.ndarray, torch.Tensor)) for v in x):
        inner = ", ".join(_show(v).replace("\n", " ") for v in x)  # each element compact, on one line
        return f"({inner})" if isinstance(x, tuple) else f"[{inner}]"
    text = repr(x)
    return text if len(text) < 120 else text[:117] + "..."


def differs(got, expected, rtol=1e-4, atol=1e-6):
    """None when got matches expected, else a short reason (None, NaN, shape, type, value)."""
    if expected is None:
        return None if got is None else "expected None"
    if got is None:
        return "it returned None (is a `return` missing?)"
    if isinstance(expected, (str, bool)):
        return None if got == expected else "a different value"
    if isinstance(expected, (tuple, list)) and not _numeric(expected):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} values, got {_show(got)}"
        for g, e in zip(got, expected):
            reason = differs(g, e, rtol, atol)
            if reason:
                return reason
        return None
    try:
        g, e = _as_array(got), _as_array(expected)
    except (TypeError, ValueError):
        return f"expected a number or an array, got {type(got).__name__}"
    if np.isnan(g).any() and not np.isnan(e).any():
        return "it contains NaN"
    if g.shape != e.shape:
        return f"wrong shape: expected {e.shape}, got {g.shape}"
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        return "a different value"
    return None


def _numeric(seq):
    return all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in seq)


def _label(case):
    return case.label or ", ".join(_show(a) for a in case.args)


def _copy(args):
    # the student's function may change its inputs in place (lists and dicts too): give it copies
    return tuple(a.clone() if isinstance(a, torch.Tensor) else copy.deepcopy(a) for a in args)


def run(exercise, fn):
    """Check `fn` against the exercise's cases and return a Result (never raises)."""
    if not callable(fn):
        return Result(exercise.id, NOT_QUITE, f"check() needs your function, got {type(fn).__name__}")
    if is_stub(fn):
        return Result(exercise.id, NOT_YET, f"write the body of `{fn.__name__}`, then run this cell again")
    passed = []
    for case in exercise.cases:
        try:
            got = fn(*_copy(case.args))
            if exercise.prepare and got is not None:
                got = exercise.prepare(got)
        except NotImplementedError:
            return Result(exercise.id, NOT_YET, f"`{fn.__name__}` still raises NotImplementedError")
        except Exception as e:  # the student's code: any error becomes a sentence
            return Result(exercise.id, NOT_QUITE, f"on input {_label(case)} it raised "
                          f"{type(e).__name__}: {e}", passed)
        reason = differs(got, case.expected, exercise.rtol, exercise.atol)
        if reason:
            message = (f"on input {_label(case)}: {reason}; expected {_show(case.expected)}, "
                       f"got {_show(got)}")
            hint = _known_mistake(exercise, case, got)
            return Result(exercise.id, NOT_QUITE, message + (f". {hint}" if hint else ""), passed)
        passed.append(_label(case))
    return Result(exercise.id, CORRECT, f"all {len(passed)} cases pass", passed)


def _known_mistake(exercise, case, got):
    if _all_nan(got):  # an all-NaN answer would "match" any mistake that also gives NaN: name none
        return ""
    for mistake in exercise.mistakes:
        try:
            if differs(got, mistake.produces(*_copy(case.args)), exercise.rtol, exercise.atol) is None:
                return mistake.says
        except Exception:
            continue
    return ""


def _all_nan(x):
    try:
        return bool(np.isnan(_as_array(x)).all())
    except (TypeError, ValueError):
        return False


_STYLE = {  # (background, text, border): readable on the light and the dark theme alike
    NOT_YET: ("#f3f4f6", "#1f2937", "#9ca3af"),
    CORRECT: ("#e7f6ec", "#14532d", "#2f855a"),
    NOT_QUITE: ("#fdecea", "#7f1d1d", "#c53030"),
}


def render(result):
    """The Result as an HTML box: status in bold, the message, the cases that passed."""
    bg, ink, edge = _STYLE[result.status]
    cases = "".join(f"<li><code style='color:inherit;background:none'>{html.escape(c)}</code></li>"
                    for c in result.cases)
    listed = f"<ul style='margin:4px 0 0 1em;padding:0'>{cases}</ul>" if cases else ""
    return (f"<div class='rnnkit-check' role='status' data-status='{result.status}' "
            f"style='background:{bg};color:{ink};border-left:4px solid {edge};padding:6px 10px;"
            f"margin:4px 0'><strong>{html.escape(result.id)} {result.status}</strong>: "
            f"{html.escape(result.message)}{listed}</div>")


def close_enough(a, b, rel=0.1):
    """For predict-then-run questions: is the guess within `rel` of the measured value?"""
    return math.isclose(float(a), float(b), rel_tol=rel)
