"""Figures for Part III's later chapters (gradients, RNN vs Transformer, words, sampling).

Each function draws one figure at the book's column width (7 inches, fonts >= 9 pt) and
returns it; the chapter's cell metadata gives the caption and alt text.
"""
import math

import matplotlib.pyplot as plt

plt.rcParams.update({"font.size": 10, "axes.titlesize": 10, "legend.fontsize": 9})
COLORS = {"rnn": "tab:red", "gru": "tab:green", "lstm": "tab:blue", "lstm, forget bias 1": "tab:purple"}


def gradient_norms(study):
    """||dL_T/dh_t|| against distance, at initialisation (left) and after training (right),
    log scale."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), sharey=True)
    for ax, key, title in zip(axes, ("init", "trained"), ("at initialisation", "after training")):
        for label, norms in study[key].items():
            ax.semilogy(range(len(norms)), norms, label=label, color=COLORS.get(label),
                        ls=":" if "bias" in label else "-")
        ax.set_title(title)
        ax.set_xlabel("distance T - t (steps)")
        ax.grid(alpha=0.3, which="both")
    axes[0].set_ylabel(r"$\|\partial L_T / \partial h_t\|$")
    axes[0].legend(loc="lower left")
    fig.tight_layout()
    return fig


def adding_curves(grid, baseline=1 / 6, solved=0.01):
    """Test MSE against updates, one panel per sequence length, one line per cell."""
    lengths = sorted({T for _, T in grid})
    fig, axes = plt.subplots(1, len(lengths), figsize=(7, 3.0), sharey=True, squeeze=False)
    for ax, T in zip(axes[0], lengths):
        for (cell, t), run in grid.items():
            if t == T:
                steps, mse = zip(*run.curve)
                ax.semilogy(steps, mse, "o-", ms=2.5, label=cell, color=COLORS.get(cell))
        ax.axhline(baseline, color="grey", ls="--", lw=1)
        ax.axhline(solved, color="black", ls=":", lw=1)
        ax.set_title(f"T = {T}")
        ax.set_xlabel("updates")
        ax.grid(alpha=0.3, which="both")
    axes[0][0].set_ylabel("test MSE")
    axes[0][0].legend(loc="lower left")
    axes[0][0].annotate("always 1", (0.98, baseline), xycoords=("axes fraction", "data"), ha="right",
                        va="bottom", fontsize=9, color="grey")
    fig.tight_layout()
    return fig


def exploding(runs):
    """Gradient norm (left) and batch loss (right) per update for {label: train_adding Run};
    a non-finite value ends its line with an x."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.0))
    for (label, run), color in zip(runs.items(), ("tab:red", "tab:blue")):
        for ax, key in zip(axes, ("grad_norms", "losses")):
            ys = getattr(run, key)
            finite = [y for y in ys if math.isfinite(y)]
            ax.semilogy(range(1, len(finite) + 1), finite, lw=1, color=color, label=label)
            if len(finite) < len(ys):
                ax.plot([len(finite)], [finite[-1] if finite else 1], "x", ms=9, mew=2, color=color)
    axes[0].set_ylabel("gradient norm (before clipping)")
    axes[1].set_ylabel("batch MSE")
    for ax in axes:
        ax.set_xlabel("update")
        ax.grid(alpha=0.3, which="both")
    axes[0].legend(loc="best")
    fig.tight_layout()
    return fig


def sampling_tradeoff(grid, references=None, xkey="distinct2", ykey="real_words"):
    """Quality (real-word share) against diversity (distinct word pairs) for each sampling
    strategy's knob values, each point labelled with its knob; references {label: measures}
    (e.g. held-out real text) as stars."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    styles = {"temperature": ("tab:orange", "o"), "top-k": ("tab:green", "s"), "top-p": ("tab:blue", "^")}
    for strategy, rows in grid.items():
        color, marker = styles.get(strategy, ("grey", "o"))
        xs = [m[xkey] for _, m, _ in rows]
        ys = [m[ykey] for _, m, _ in rows]
        ax.plot(xs, ys, marker=marker, ms=5, lw=1.2, color=color, label=strategy)
        for (knob, _, _), x, y in zip(rows, xs, ys):
            ax.annotate(f"{knob:g}", (x, y), textcoords="offset points", xytext=(4, 3), fontsize=9, color=color)
    for label, m in (references or {}).items():
        ax.plot([m[xkey]], [m[ykey]], "*", ms=14, color="black")
        ax.annotate(label, (m[xkey], m[ykey]), textcoords="offset points", xytext=(-6, -14), fontsize=9,
                    ha="right")
    ax.set_xlabel("diversity: share of distinct word pairs")
    ax.set_ylabel("quality: share of real words")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def race_curves(result, reference=None):
    """Held-out loss against training CPU seconds for each racer ({name: race figures with a
    'curve' of (seconds, steps, loss)}); the final whole-split score as a larger dot;
    reference (label, loss) as a dashed line."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for (name, r), color in zip(result.items(), ("tab:blue", "tab:orange", "tab:green")):
        if r["curve"]:
            secs, _, losses = zip(*r["curve"])
            ax.plot(secs, losses, "o-", ms=3, color=color, label=f"{name} ({r['params'] / 1e6:.2f}M params)")
        ax.plot([r["cpu_s"]], [r["val"]], "o", ms=8, color=color, mfc="white", mew=2)
    if reference:
        label, value = reference
        ax.axhline(value, color="grey", ls="--", lw=1)
        ax.annotate(label, (0.99, value), xycoords=("axes fraction", "data"), ha="right", va="bottom", fontsize=9,
                    color="grey")
    ax.set_xlabel("training CPU seconds")
    ax.set_ylabel("held-out loss (nats per character)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def context_cost(rows):
    """CPU ms per generated character (left) and bytes carried between characters (right)
    against the context length, for the LSTM and the GPT with and without a KV cache."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.2))
    L = [r["context"] for r in rows]
    lines = (("LSTM", "lstm", "tab:blue", "o"), ("GPT, no cache", "gpt", "tab:orange", "s"),
             ("GPT, KV cache", "gpt_cache", "tab:red", "^"))
    for label, key, color, marker in lines:
        axes[0].loglog(L, [r[f"{key}_ms"] for r in rows], marker=marker, color=color, label=label)
        axes[1].loglog(L, [r[f"{key}_bytes"] for r in rows], marker=marker, color=color, label=label)
    axes[0].set_ylabel("CPU ms per character")
    axes[1].set_ylabel("bytes carried between characters")
    for ax in axes:
        ax.set_xlabel("context (characters)")
        ax.grid(alpha=0.3, which="both")
    axes[0].legend(loc="upper left")
    fig.tight_layout()
    return fig
