"""Chapter 2's table: a character model's output scores, one row per time step.

Plain HTML (no pandas): it renders the same in Jupyter, Colab and the built book.
"""
import html

import numpy as np

TARGET = "background: #c8e6c9; font-weight: bold"  # green: the character that should win
WRONG = "color: #b71c1c"                           # red: a row whose winner is not the target


def score_table(scores, chars, inputs, targets=None, caption=None, digits=2, row_names=None):
    """HTML for `scores` (steps x vocabulary): a row per input character, a column per symbol.

    The target cell of each row is highlighted; a row where another symbol has the highest
    score gets its label in red, so a reader sees at a glance what the model gets wrong.
    Rows are named 1, 2, ... (the time step) unless `row_names` are given.
    """
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    if scores.shape != (len(inputs), len(chars)):
        raise ValueError(f"scores have shape {scores.shape}, expected ({len(inputs)}, {len(chars)})")
    cell = "padding: 2px 10px; text-align: right; border: 1px solid #ccc"
    head = "".join(f'<th style="{cell}">{html.escape(c)}</th>' for c in chars)
    rows = []
    for t, (x, row) in enumerate(zip(inputs, scores)):
        target = None if targets is None else targets[t]
        wrong = target is not None and chars[int(np.argmax(row))] != target
        name = t + 1 if row_names is None else html.escape(str(row_names[t]))
        label = f"{name}: in <b>{html.escape(x)}</b>" + ("" if target is None else f", next <b>{html.escape(target)}</b>")
        tds = "".join(
            f'<td style="{cell}; {TARGET if c == target else ""}">{round(v, digits) + 0.0:.{digits}f}</td>'
            for c, v in zip(chars, row))  # + 0.0 turns a rounded -0.0 into 0.0
        rows.append(f'<tr><td style="{cell}; text-align: left; {WRONG if wrong else ""}">{label}</td>{tds}</tr>')
    corner = "step" if row_names is None else ""
    cap = f"<caption style='caption-side: top'>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table style="border-collapse: collapse; margin: 0.5em 0">{cap}'
            f'<tr><th style="{cell}">{corner}</th>{head}</tr>{"".join(rows)}</table>')


def show_scores(*args, **kwargs):
    """score_table, displayed (the last line of a notebook cell)."""
    from IPython.display import HTML
    return HTML(score_table(*args, **kwargs))
