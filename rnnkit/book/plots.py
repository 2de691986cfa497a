"""Every matplotlib figure of the book (they render in Jupyter, Colab and the static book):
training curves, the order of learning, gate saturation, cell correlations."""
import math

import numpy as np


def smooth(values, k):
    """Running mean over the last k values (the per-step train loss is noisy)."""
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= k:
            total -= values[i - k]
        out.append(total / min(i + 1, k))
    return out


def plot_history(history, marks=(), ax=None, title=None):
    """Train (smoothed) and val loss per character against the step; `marks` draws a
    vertical line at each of those steps (e.g. where samples were taken)."""
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
        ax.annotate(str(m), (m, 0.98), xycoords=("data", "axes fraction"), fontsize=7, ha="center", va="top",
                    backgroundcolor="white")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats per character)")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax.figure


def bits(nats):
    """nats per character -> bits per character (the compression literature's unit)."""
    return nats / math.log(2)


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
    fig, axes = plt.subplots(1, len(groups), figsize=(3.4 * len(groups), 3.2))
    for ax, (title, keys) in zip(axes, groups):
        for i, key in enumerate(keys):
            color = f"C{i}"
            ax.plot(steps, [s[key] for s in stats], "o-", ms=3, color=color, label=key)
            ax.axhline(reference[key], color=color, ls="--", lw=1)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
        if len(keys) > 1:
            ax.legend(fontsize=7)
    fig.suptitle("samples during training (solid) against held-out real text (dashed)", fontsize=9)
    fig.tight_layout()
    return fig


def plot_saturation(sat, title=None):
    """The paper's scatter: one panel per gate, one dot per cell, a colour per layer."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(sat), figsize=(3.3 * len(sat), 3.3), squeeze=False)
    names = {"f": "forget gate", "i": "input gate", "o": "output gate", "r": "reset gate", "z": "update gate"}
    for ax, (g, per_layer) in zip(axes[0], sat.items()):
        for li, (left, right) in enumerate(per_layer):
            ax.scatter(left, right, s=6, alpha=0.6, label=f"layer {li + 1}")
        ax.plot([0, 1], [1, 0], color="0.8", lw=0.8, zorder=0)  # left + right <= 1
        ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), title=names.get(g, g),
               xlabel="fraction left-saturated (< 0.1)")
    axes[0][0].set_ylabel("fraction right-saturated (> 0.9)")
    axes[0][0].legend(fontsize=8, markerscale=2)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_correlations(r_trained, r_untrained=None, threshold=0.5, title=None):
    """Histogram over cells of the strongest |r| with any feature, trained vs untrained."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    bins = np.linspace(0, 1, 41)
    ax.hist(np.abs(r_trained).max(1), bins=bins, alpha=0.75, label="trained")
    if r_untrained is not None:
        ax.hist(np.abs(r_untrained).max(1), bins=bins, alpha=0.6, label="untrained copy")
    ax.axvline(threshold, color="k", ls="--", lw=1, label=f"|r| = {threshold}")
    ax.set(xlabel="strongest |r| of a cell with any feature", ylabel="cells", title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
