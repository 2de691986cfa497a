"""Every HTML view of the book, as plain HTML and CSS.

    neuron_view(text, values)        each character on a background coloured by one cell's value
                                     in [-1, 1]: blue below zero, white at zero, red above
    topk_view(text, probs, chars)    under each character, the model's five likeliest next
                                     characters, shaded by their probability
    table(rows, header)              a results table (class rnnkit-table in a div.rnnkit-scroll)
    accuracy_row(label, acc)         a row for table(): model, accuracy, its 95% interval, count
    score_table(scores, chars, ...)  chapter 2's output scores, one row per time step
    samples_view, samples_side_by_side
                                     samples as wrapped preformatted text
    math_view(formulas)              LaTeX formulas: the source beside the formula typeset

The views return an HTMLView: Jupyter and Colab show it through _repr_html_, and the static book
keeps it as a text/html output. No JavaScript, no widgets, no kernel: it renders anywhere.
Whitespace is made visible (newline as a return arrow, tab as an arrow) so a cell that
reacts to line breaks or indentation can be seen doing so.
"""
import html

import numpy as np

NEG, MID, POS = (49, 104, 176), (255, 255, 255), (196, 37, 45)  # blue, white, red
SHADE = (214, 39, 40)  # the top-5 cells: white at p = 0, this red at p = 1
VISIBLE = {"\n": "\u21b5", "\t": "\u2192", "\r": "", " ": "\u00a0"}


class HTMLView:
    """An HTML fragment that notebooks display; `.html` is the string."""

    def __init__(self, html_text):
        self.html = html_text

    def _repr_html_(self):
        return self.html

    def save(self, path, title="rnnkit view"):
        """A standalone page (for a browser or a test)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
                    f"</title></head><body>{self.html}</body></html>")
        return path


def diverging(v):
    """Value in [-1, 1] -> (r, g, b): linear from blue through white to red (clipped)."""
    v = float(np.clip(v, -1, 1))
    end, a = (POS, v) if v >= 0 else (NEG, -v)
    return tuple(int(round(m + (e - m) * a)) for m, e in zip(MID, end))


def shade(p):
    """Probability in [0, 1] -> (r, g, b): white to SHADE."""
    p = float(np.clip(p, 0, 1))
    return tuple(int(round(255 + (s - 255) * p)) for s in SHADE)


def _rgb(c):
    return f"rgb({c[0]}, {c[1]}, {c[2]})"


def _glyph(ch):
    """What to print for a character: whitespace made visible, everything else escaped."""
    return html.escape(VISIBLE.get(ch, ch), quote=True)


def luminance(c):
    """WCAG's relative luminance of an (r, g, b) colour, 0 (black) to 1 (white)."""
    lin = [x / 255 / 12.92 if x / 255 <= 0.03928 else ((x / 255 + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    """WCAG's contrast ratio of two (r, g, b) colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _ink(c):
    """Black or white text, whichever reads better on c: one of them always reaches 4.5:1."""
    return "#fff" if contrast(c, (255, 255, 255)) >= contrast(c, (0, 0, 0)) else "#000"


_BOX = ("font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; "
        "line-height: 1.6; white-space: pre-wrap; word-break: break-all; background: #fff; "
        "color: #111; padding: 6px; border: 1px solid #ddd")


def neuron_view(text, values, title=None):
    """Colour every character of `text` by values[i] in [-1, 1] (one cell's activation)."""
    values = np.asarray(values, dtype=float).reshape(-1)
    if len(values) != len(text):
        raise ValueError(f"text has {len(text)} characters but {len(values)} values were given")
    parts = []
    for ch, v in zip(text, values):
        c = diverging(v)
        tip = html.escape(f"{ch!r} {v:+.2f}", quote=True)
        parts.append(f'<span class="rnnkit-c" data-v="{v:.4f}" title="{tip}" '
                     f'style="background-color: {_rgb(c)}; color: {_ink(c)}">{_glyph(ch)}</span>')
        if ch == "\n":
            parts.append("\n")  # the arrow, then a real line break (pre-wrap)
    head = f'<div class="rnnkit-title" style="font-weight: 600; margin: 4px 0">{html.escape(title)}</div>' if title else ""
    return HTMLView(f'<div class="rnnkit-neuron">{head}<div style="{_BOX}">{"".join(parts)}</div></div>')


def topk(probs, k=5):
    """Indices (T, k) and probabilities (T, k) of the k likeliest symbols at each step, best first."""
    probs = np.asarray(probs, dtype=float)
    idx = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(probs, idx, axis=1)


# The top-5 view's shared styles, once per view rather than on each of its cells (chapter 10's two
# views were 290 KB each at smoke scale with them inline); a <style> so it renders anywhere.
_TOPK_STYLE = ("<style>.rnnkit-topk { border-collapse: collapse; margin: 0 0 8px 0; font-family: ui-monospace, "
               "SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; background: #fff; color: #000 } "
               ".rnnkit-topk td { padding: 0 2px; text-align: center; min-width: 0.9em; border: 0 } "
               ".rnnkit-topk td.rnnkit-in { font-weight: 600 }</style>")


def _paint(c):
    """A top-5 cell's inline style, short: there are thousands (black text is the table's own)."""
    ink = _ink(c)
    return f"background:#{c[0]:02x}{c[1]:02x}{c[2]:02x}" + ("" if ink == "#000" else f";color:{ink}")


def topk_view(text, probs, chars, k=5, values=None, width=40, title=None):
    """The article's prediction figure: each column is one character of `text` and, below it,
    the model's k likeliest *next* characters (probs[i] is the distribution after text[i]),
    darker the more likely. `values` (optional, in [-1, 1]) colours the text row by a cell.
    Columns wrap every `width` characters (one small table per row of text)."""
    probs = np.asarray(probs, dtype=float)
    if probs.shape[0] != len(text):
        raise ValueError(f"text has {len(text)} characters but probs has {probs.shape[0]} rows")
    idx, p = topk(probs, k)
    tables = []
    for s in range(0, len(text), width):
        rows = []
        top = []
        for i in range(s, min(s + width, len(text))):
            c = diverging(values[i]) if values is not None else (238, 238, 238)
            top.append(f'<td class="rnnkit-in" style="{_paint(c)}">{_glyph(text[i])}</td>')
        rows.append("<tr>" + "".join(top) + "</tr>")
        for r in range(k):
            row = []
            for i in range(s, min(s + width, len(text))):
                c = shade(p[i, r])
                ch = chars[idx[i, r]]
                tip = html.escape(f"{ch!r} {p[i, r]:.3f}", quote=True)
                row.append(f'<td class="rnnkit-p" data-p="{p[i, r]:.4f}" title="{tip}" style="{_paint(c)}">'
                           f'{_glyph(ch)}</td>')
            rows.append("<tr>" + "".join(row) + "</tr>")
        tables.append('<table class="rnnkit-topk">' + "".join(rows) + "</table>")
    head = f'<div class="rnnkit-title" style="font-weight: 600; margin: 4px 0">{html.escape(title)}</div>' if title else ""
    # a wide row scrolls inside its box instead of spilling over the page's margin; the box takes
    # the keyboard's focus, so it scrolls without a mouse too
    name = html.escape(title or "the model's five likeliest next characters", quote=True)
    return HTMLView(f'<div class="rnnkit-topk-view rnnkit-scroll" style="overflow-x: auto" tabindex="0" role="group" '
                    f'aria-label="{name}">{_TOPK_STYLE}{head}'
                    f'{"".join(tables)}</div>')


def _scroll_table(inner, caption=None):
    """Every table of the book: class rnnkit-table (one style everywhere) inside a box that
    scrolls sideways when the table is wider than the page's column."""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTMLView(f'<div class="rnnkit-scroll"><table class="rnnkit-table">{cap}{inner}</table></div>')


def _header(header):
    if any(not str(h).strip() for h in header):
        raise ValueError("every column needs a header (an empty <th> says nothing to a screen reader)")
    return "<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead>"


def table(rows, header, caption=None):
    """A small HTML table that renders anywhere. Floats are shown to 3 decimals; format other
    numbers first (strings are shown as they are, escaped)."""
    fmt = lambda x: f"{x:.3f}" if isinstance(x, float) else html.escape(str(x))
    body = "".join("<tr>" + "".join(f"<td>{fmt(x)}</td>" for x in r) + "</tr>" for r in rows)
    return _scroll_table(f"{_header(header)}<tbody>{body}</tbody>", caption)


def accuracy_row(label, acc, *extra):
    """A results table's row for an accuracy (anything with .value, .n and .interval(), as the
    classify task's Accuracy): [label, "88.5%", "86.5% to 90.3%", "1,234", *extra]."""
    lo, hi = acc.interval()
    return [label, f"{acc.value:.1%}", f"{lo:.1%} to {hi:.1%}", f"{acc.n:,}", *extra]


# Chapter 2's score tables: the cell that should win in green, a row whose winner is wrong in red.
TARGET = "background: #c8e6c9; color: #111; font-weight: bold"
WRONG = "color: #b71c1c"


def score_table(scores, chars, inputs, targets=None, caption=None, digits=2, row_names=None):
    """A character model's output scores (steps x vocabulary): a row per input character, a
    column per symbol. The target cell of each row is highlighted; a row where another symbol
    has the highest score gets its label in red, so a reader sees what the model gets wrong.
    Rows are named 1, 2, ... (the time step) unless `row_names` are given."""
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    if scores.shape != (len(inputs), len(chars)):
        raise ValueError(f"scores have shape {scores.shape}, expected ({len(inputs)}, {len(chars)})")
    rows = []
    for t, (x, row) in enumerate(zip(inputs, scores)):
        target = None if targets is None else targets[t]
        wrong = target is not None and chars[int(np.argmax(row))] != target
        name = t + 1 if row_names is None else html.escape(str(row_names[t]))
        label = f"{name}: in <b>{html.escape(x)}</b>" + ("" if target is None else f", next <b>{html.escape(target)}</b>")
        tds = "".join(
            f'<td style="text-align: right; {TARGET if c == target else ""}">{round(v, digits) + 0.0:.{digits}f}</td>'
            for c, v in zip(chars, row))  # + 0.0 turns a rounded -0.0 into 0.0
        rows.append(f'<tr><th scope="row" style="text-align: left; font-weight: normal; {WRONG if wrong else ""}">'
                    f'{label}</th>{tds}</tr>')
    corner = "step" if row_names is None else "input"
    return _scroll_table(f"{_header([corner, *chars])}<tbody>{''.join(rows)}</tbody>", caption)


def best_cell_view(exp, m, name, start=0, length=600, threshold=None):
    """Neuron view of the best cell for feature `name` in a features.feature_correlations() result, or, when
    that cell does not pass `threshold` (default features.THRESHOLD), a line saying so: a
    heat map of a cell that tracks nothing would show the reader a pattern that is not there."""
    from .features import THRESHOLD, symbols
    from .prose_inside import cell_found

    threshold = THRESHOLD if threshold is None else threshold
    b = m["trained"]["best"][name]
    if abs(b["r"]) < threshold:
        words = cell_found(name, b["r"], threshold)
        return HTMLView(f'<p class="rnnkit-note">{html.escape(words[0].upper() + words[1:])}, so none is shown.</p>')
    vals = m["layers"][b["layer"]]["cell"][start:start + length, b["unit"]]
    text = symbols(exp.vocab, m["ids"][start:start + length])
    return neuron_view(text, vals, title=f"{name}: layer {b['layer'] + 1}, cell {b['unit']}, r = {b['r']:+.2f}")


def samples_view(texts):
    """Samples as preformatted text that wraps at the column ({label: text}): a long line of a
    sample stays readable on a phone instead of running off the page."""
    parts = "".join(
        f'<div class="rnnkit-sample"><b>{html.escape(str(label))}</b>'
        f'<pre style="white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2em 0 0.8em">'
        f'{html.escape(text)}</pre></div>' for label, text in texts.items())
    return HTMLView(f'<div class="rnnkit-samples">{parts}</div>')


def samples_side_by_side(samples, label="step"):
    """One column per sample ({label value: text}), so a reader compares across them."""
    cols = "".join(
        f'<div style="flex: 1 1 14rem; min-width: 14rem"><b>{html.escape(f"{label} {k}")}</b>'
        f'<pre style="white-space: pre-wrap; font-size: 0.8em; margin: 0.2em 0">{html.escape(v)}</pre></div>'
        for k, v in samples.items())
    return HTMLView(f'<div style="display: flex; flex-wrap: wrap; gap: 0.8rem">{cols}</div>')


def math_view(formulas, caption="The model's inline formulas: source and typeset"):
    """A table of LaTeX formulas: the source as code beside the formula typeset. The typeset cell
    holds the formula as \\(...\\) in a span.math, which the book's math script (KaTeX) and
    Jupyter's MathJax render; pick only formulas that typeset (rnnkit.book.typeset). No formula:
    an empty view."""
    if not formulas:
        return HTMLView("")
    rows = "".join(f"<tr><td><code>{html.escape(f)}</code></td>"
                   f'<td><span class="math notranslate nohighlight">\\({html.escape(f)}\\)</span></td></tr>'
                   for f in formulas)
    return _scroll_table(f"{_header(['source', 'typeset'])}<tbody>{rows}</tbody>", caption)
