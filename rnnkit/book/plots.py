"""Every matplotlib figure of the article's chapters (1-10); Part III draws with plots_course.py.
They render in Jupyter, Colab and the static book, at the book's column width (7 inches).

    plot_rnn_patterns()                1   the five ways to wire a sequence
    plot_lstm_match(torch, numpy)      1   two LSTMs' hidden states over the same input
    plot_losses(losses, title)         2   a loss per step (the "hello" example)
    plot_history(history)              2-10  train and val loss per character against the step
    plot_text_stats(steps, stats, ..)  9   the order of learning: measures of samples over training
    plot_correlations(models)          10  each cell's strongest |r| with any feature
    plot_saturation(sat)               10  how often each gate is left- or right-saturated
    plot_brace_losses(groups, order)   10  the loss on a closing brace by distance to its opener
"""
import math

import numpy as np

from .legend import place as place_legend
from .ngram import distance_label


def smooth(values, k):
    """Running mean over the last k values (the per-step train loss is noisy)."""
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= k:
            total -= values[i - k]
        out.append(total / min(i + 1, k))
    return out


def plot_history(history, marks=(), ax=None, title=None, unit="character"):
    """Train (smoothed) and val loss per `unit` (a byte for the byte-level corpora) against the
    step; `marks` draws a vertical line at each of those steps (e.g. where samples were taken)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    if history["train"]:
        steps, losses = zip(*history["train"])
        k = max(1, len(losses) // 50)
        ax.plot(steps, smooth(list(losses), k), lw=1, alpha=0.8, label=f"train (mean of {k})" if k > 1 else "train")
    if history["val"]:
        steps, losses = zip(*history["val"])
        ax.plot(steps, losses, "o-", ms=3, label="val")
    for m in marks:
        ax.axvline(m, color="grey", ls=":", lw=1)
        ax.annotate(str(m), (m, 0.98), xycoords=("data", "axes fraction"), fontsize=9, ha="center", va="top",
                    backgroundcolor="white")
    ax.set_xlabel("step")
    ax.set_ylabel(f"loss (nats per {unit})")
    if title:
        ax.set_title(title, fontsize=10)
    place_legend(ax)
    ax.grid(alpha=0.3)
    return ax.figure


def plot_text_stats(steps, stats, reference, groups=None):
    """One figure of text_stats over training: a panel per group of measures, a line per
    measure against the step, the held-out real text's value as a dashed line.

    stats: list of text_stats dicts (one per step; step 0 is the untrained model);
    reference: text_stats of real text; groups: [(panel title, [keys])], default below.
    """
    import matplotlib.pyplot as plt

    groups = groups or [
        ("spacing", ["spaces", "double spaces"]),
        ("words found in the training text", ["real short words (2-3)", "real words (2+ letters)",
                                              "real long words (6+)"]),
        ("mean word length (letters)", ["mean word length"]),
        ("marks per character", ["punctuation", "quotes"]),
    ]
    rows = math.ceil(len(groups) / 2)
    fig, axes = plt.subplots(rows, 2, figsize=(7, 2.9 * rows), squeeze=False)
    for ax in axes.flat[len(groups):]:
        ax.remove()
    for ax, (title, keys) in zip(axes.flat, groups):
        for i, key in enumerate(keys):
            color = f"C{i}"
            ax.plot(steps, [s[key] for s in stats], "o-", ms=3, color=color, label=key)
            ax.axhline(reference[key], color=color, ls="--", lw=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
        if len(keys) > 1:
            place_legend(ax)
    fig.suptitle("samples during training (solid) against held-out real text (dashed)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_saturation(sat, title=None):
    """The paper's scatter: one panel per gate (two per row, legible at the book's width), one
    dot per cell, a colour per layer."""
    import matplotlib.pyplot as plt
    rows = math.ceil(len(sat) / 2)
    fig, axes = plt.subplots(rows, 2, figsize=(7, 3.4 * rows), squeeze=False)
    for ax in axes.flat[len(sat):]:
        ax.remove()
    names = {"f": "forget gate", "i": "input gate", "o": "output gate", "r": "reset gate", "z": "update gate"}
    for ax, (g, per_layer) in zip(axes.flat, sat.items()):
        for li, (left, right) in enumerate(per_layer):
            ax.scatter(left, right, s=8, alpha=0.6, label=f"layer {li + 1}")
        ax.plot([0, 1], [1, 0], color="0.8", lw=0.8, zorder=0)  # left + right <= 1
        ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), title=names.get(g, g),
               xlabel="fraction left-saturated (< 0.1)", ylabel="fraction right-saturated (> 0.9)")
    place_legend(axes[0][0], markerscale=2)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_correlations(models, threshold=0.5):
    """For each model {label: (r of the trained model, r of its untrained copy)}, a histogram over
    cells of the strongest |r| with any feature; one panel per model, stacked, the threshold dashed."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(models), 1, figsize=(7, 2.3 * len(models) + 0.4), squeeze=False, sharex=True)
    bins = np.linspace(0, 1, 41)
    for ax, (label, (r_trained, r_untrained)) in zip(axes[:, 0], models.items()):
        ax.hist(np.abs(r_trained).max(1), bins=bins, alpha=0.75, label="trained")
        if r_untrained is not None:
            ax.hist(np.abs(r_untrained).max(1), bins=bins, alpha=0.6, label="untrained copy")
        ax.axvline(threshold, color="k", ls="--", lw=1, label=f"|r| = {threshold}")
        ax.set(ylabel="cells", title=label)
        place_legend(ax)
    axes[-1, 0].set_xlabel("strongest |r| of a cell with any feature")
    fig.tight_layout()
    return fig


def plot_brace_losses(groups, order):
    """Chapter 10's bars: the loss on a closing brace, grouped by how far back its opening brace
    is (ngram.loss_by_distance's groups: a = the LSTM, b = the n-gram model)."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 3.4))
    x = np.arange(len(groups))
    ax.bar(x - 0.2, [g["b"] for g in groups], 0.4, label=f"{order}-gram")
    ax.bar(x + 0.2, [g["a"] for g in groups], 0.4, label="LSTM")
    ax.set_xticks(x, [distance_label(g) for g in groups])
    ax.set(xlabel="characters back to the matching {", ylabel="loss on the }, nats", title="Linux test text")
    place_legend(ax)
    fig.tight_layout()
    return fig


# -- chapter 1's five ways to wire a sequence -----------------------------------------------------

PATTERNS = [
    (1, {0}, {0}, "one to one\n(image classification)"),
    (3, {0}, {0, 1, 2}, "one to many\n(image captioning)"),
    (3, {0, 1, 2}, {2}, "many to one\n(sentiment of a sentence)"),
    (5, {0, 1, 2}, {3, 4}, "many to many, delayed\n(translation)"),
    (3, {0, 1, 2}, {0, 1, 2}, "many to many, synced\n(label every video frame)"),
]
# input red, state green, output blue, as in the article
COLORS = {"x": "#e57373", "h": "#81c784", "y": "#64b5f6"}


def draw_pattern(ax, n, inputs, outputs, title):
    """One panel: n time steps; `inputs` and `outputs` are the steps that have them."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    row = {"x": 0, "h": 1, "y": 2}
    shift = (5 - n) / 2  # centre the columns in a panel that has room for five

    def box(t, kind):
        corner = (t + shift - 0.3, row[kind] * 1.2 - 0.3)
        ax.add_patch(FancyBboxPatch(corner, 0.6, 0.6, boxstyle="round,pad=0.02",
                                    fc=COLORS[kind], ec="black", lw=1))

    def arrow(a, b):
        a, b = (a[0] + shift, a[1]), (b[0] + shift, b[1])
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=10, lw=1))

    for t in range(n):
        box(t, "h")
        if t in inputs:
            box(t, "x")
            arrow((t, 0.32), (t, 0.88))
        if t in outputs:
            box(t, "y")
            arrow((t, 1.52), (t, 2.08))
        if t + 1 < n:
            arrow((t + 0.32, 1.2), (t + 0.68, 1.2))  # the state carried to the next step
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(-0.5, 3.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10, y=-0.25)


def plot_rnn_patterns(patterns=PATTERNS):
    """The article's figure of five input/output patterns, three panels per row."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 3, figsize=(7, 5.2))
    for ax, (n, ins, outs, title) in zip(axes.flat, patterns):
        draw_pattern(ax, n, ins, outs, title)
    for ax in axes.flat[len(patterns):]:
        ax.remove()
    fig.tight_layout()
    return fig


# -- chapter 1's LSTM against torch's, chapter 2's "hello" ----------------------------------------

def plot_lstm_match(hs_torch, hs_numpy):
    """Two LSTMs' hidden states over the same input, one line per unit: torch's thick and grey,
    the numpy one dashed on top, so that where they agree the dashes sit inside the grey."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.plot(np.array(hs_torch), color="grey", lw=4, alpha=0.5)
    ax.plot(np.array(hs_numpy), color="black", lw=1, ls="--")
    ax.set_xlabel("step")
    ax.set_ylabel("hidden unit value")
    ax.set_title("nn.LSTMCell (thick grey) and the numpy LSTM (dashed), one line per unit",
                 fontsize=9)
    fig.tight_layout()
    return fig


def plot_losses(losses, title):
    """The loss of every training step (steps 1, 2, ...), unsmoothed."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(range(1, len(losses) + 1), losses)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats per character)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
