"""Figures and tables for Part III (the other sequence patterns): plain matplotlib, legible at
the book's column width (about 7 inches, fonts of 9 pt and more).

    prefix_strip(rows)                      P(label) after each letter, one row of cells per name
    attention_maps(examples)                which question characters each answer digit attends to
    learning_curves(curves)                 validation exact match against examples seen
    accuracy_row(label, acc)                a table row: model, accuracy, its 95% interval, n
"""


def accuracy_row(label, acc, *extra):
    """[label, "88.5%", "86.5% to 90.3%", n, *extra] for an rnnkit.tasks.classify.Accuracy."""
    lo, hi = acc.interval()
    return [label, f"{acc.value:.1%}", f"{lo:.1%} to {hi:.1%}", f"{acc.n:,}", *extra]


def prefix_strip(rows, label="female"):
    """rows: [(name, [P(label) after 1, 2, ... letters])]. Each name is a row of cells, one per
    letter, coloured by the probability after reading up to that letter (red: the label, blue:
    the other one), with the probability written under the letter."""
    import matplotlib.pyplot as plt

    width = max(len(n) for n, _ in rows)
    fig, ax = plt.subplots(figsize=(7, 0.42 * len(rows) + 0.9))
    cmap = plt.get_cmap("coolwarm")
    for r, (name, probs) in enumerate(rows):
        for c, (ch, p) in enumerate(zip(name, probs)):
            ax.add_patch(plt.Rectangle((c, r), 1, 1, color=cmap(p), ec="white"))
            ink = "white" if abs(p - 0.5) > 0.35 else "black"
            ax.text(c + 0.5, r + 0.38, ch, ha="center", va="center", fontsize=11, color=ink, weight="bold")
            ax.text(c + 0.5, r + 0.78, f"{p:.2f}", ha="center", va="center", fontsize=9, color=ink)
    ax.set_xlim(0, width)
    ax.set_ylim(len(rows), 0)
    ax.set_yticks([r + 0.5 for r in range(len(rows))], [n for n, _ in rows], fontsize=9)
    ax.set_xticks([c + 0.5 for c in range(width)], [str(c + 1) for c in range(width)], fontsize=9)
    ax.set_xlabel("letters read", fontsize=9)
    ax.set_title(f"P({label}) after each letter (red: {label}, blue: not)", fontsize=10)
    for s in ax.spines.values():
        s.set_visible(False)
    fig.tight_layout()
    return fig


def attention_maps(examples, cols=3):
    """examples: [(question, answer written, weights (answer steps x question characters),
    right answer)]. One heat map per example: a row per character the decoder wrote ($ ends the
    answer), a column per question character, darker where the decoder attended. The title
    says what the model wrote when it is wrong."""
    import matplotlib.pyplot as plt
    import numpy as np

    rows = -(-len(examples) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7, 2.4 * rows), squeeze=False)
    for ax, (q, a, w, truth) in zip(axes.flat, examples):
        w = np.asarray(w)
        ax.imshow(w, cmap="Greys", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(q)), list(q), fontsize=10)
        ax.set_yticks(range(w.shape[0]), list(a + "$")[:w.shape[0]], fontsize=10)
        ax.set_title(f"{q} = {truth}" + ("" if a == truth else f", wrote {a}"), fontsize=10)
        ax.tick_params(length=0)
    for ax in list(axes.flat)[len(examples):]:
        ax.axis("off")
    fig.supxlabel("question character (read by the encoder)", fontsize=9)
    fig.supylabel("answer character written", fontsize=9)
    fig.tight_layout()
    return fig


def learning_curves(curves, target=None):
    """curves: {model name: [(examples seen, CPU seconds, validation exact match)]}."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2))
    for name, curve in curves.items():
        ax.plot([c[0] for c in curve], [100 * c[2] for c in curve], "o-", ms=3, label=name)
    if target is not None:
        ax.axhline(100 * target, color="grey", ls=":", lw=1)
    ax.set_xlabel("training examples seen", fontsize=9)
    ax.set_ylabel("validation exact match (%)", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig
