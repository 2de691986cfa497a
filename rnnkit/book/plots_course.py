"""Every matplotlib figure of Part III, the course beyond the article (chapters 11-17); the
article's chapters draw with plots.py.

    plot_prefix_strip(rows)            11  P(label) after each letter, one row of cells per name
    plot_learning_curves(curves)       13  validation exact match against examples seen
    plot_attention_maps(examples)      13  which question characters each answer digit attends to
    plot_gradient_norms(study)         14  ||dL_T/dh_t|| against distance, before and after training
    plot_adding_curves(grid)           14  the adding problem's test MSE, a panel per length
    plot_exploding(runs)               14  gradient norm and loss per update, clipped or not
    plot_race_curves(result)           15  held-out loss against training CPU seconds
    plot_context_cost(rows)            15  cost of one more character against the context
    plot_sampling_tradeoff(grid)       17  quality against diversity for each sampling strategy
    plot_length_speed(speeds)          18  training characters per CPU second against BPTT length
    plot_trackers(runs)                18  parity and bracket depth: accuracy against updates

Each draws one figure at the book's column width (7 inches, fonts of 9 pt and more) and returns
it; the chapter's cell metadata gives the caption and alt text. Titles (10 pt) and legends (9 pt)
get their sizes in the call, not from a change to matplotlib's global settings, which would
reach every other figure of the page.
"""
import math

import matplotlib.pyplot as plt
import numpy as np

from .legend import place as place_legend

COLORS = {"rnn": "tab:red", "gru": "tab:green", "lstm": "tab:blue", "lstm, forget bias 1": "tab:purple"}


def finish(fig, xlabel, ylabels, grid="major"):
    """Label each panel (one x label, a y label per panel), grid them (grid="both" on log scales)
    and put the legend in the first panel, clear of its data (rnnkit.book.legend)."""
    for ax, ylabel in zip(fig.axes, ylabels):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3, which=grid)
    place_legend(fig.axes[0])
    fig.tight_layout()
    return fig


# -- chapter 11: reading a name -------------------------------------------------------------------

def plot_prefix_strip(rows, label="female"):
    """rows: [(name, [P(label) after 1, 2, ... letters])]. Each name is a row of cells, one per
    letter, coloured by the probability after reading up to that letter (red: the label, blue:
    the other one), with the probability written under the letter."""
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


# -- chapter 13: sequence to sequence -------------------------------------------------------------

def plot_learning_curves(curves, target=None):
    """curves: {model name: [(examples seen, CPU seconds, validation exact match)]}."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for name, curve in curves.items():
        ax.plot([c[0] for c in curve], [100 * c[2] for c in curve], "o-", ms=3, label=name)
    if target is not None:
        ax.axhline(100 * target, color="grey", ls=":", lw=1)
    ax.set_xlabel("training examples seen", fontsize=9)
    ax.set_ylabel("validation exact match (%)", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.grid(alpha=0.3)
    place_legend(ax)
    fig.tight_layout()
    return fig


def plot_attention_maps(examples, cols=3):
    """examples: [(question, answer written, weights (answer steps x question characters),
    right answer)]. One heat map per example: a row per character the decoder wrote ($ ends the
    answer), a column per question character, darker where the decoder attended. The title
    says what the model wrote when it is wrong."""
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


# -- chapter 14: gradients over distance ----------------------------------------------------------

def plot_gradient_norms(study):
    """||dL_T/dh_t|| against distance, at initialisation (left) and after training (right),
    log scale (a gradients.bptt_study result)."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), sharey=True)
    for ax, key, title in zip(axes, ("init", "trained"), ("at initialisation", "after training")):
        for label, norms in study[key].items():
            ax.semilogy(range(len(norms)), norms, label=label, color=COLORS.get(label),
                        ls=":" if "bias" in label else "-")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("distance T - t (steps)")
        ax.grid(alpha=0.3, which="both")
    axes[0].set_ylabel(r"$\|\partial L_T / \partial h_t\|$")
    place_legend(axes[0])
    fig.tight_layout()
    return fig


def plot_adding_curves(grid, baseline=1 / 6, solved=0.01):
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
        ax.set_title(f"T = {T}", fontsize=10)
        ax.set_xlabel("updates")
        ax.grid(alpha=0.3, which="both")
    axes[0][0].set_ylabel("test MSE")
    place_legend(axes[0][0])
    axes[0][0].annotate("always 1", (0.98, baseline), xycoords=("axes fraction", "data"), ha="right",
                        va="bottom", fontsize=9, color="grey")
    fig.tight_layout()
    return fig


def plot_exploding(runs):
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
    return finish(fig, "update", ("gradient norm (before clipping)", "batch MSE"), grid="both")


# -- chapter 15: an LSTM against a small Transformer ----------------------------------------------

def plot_race_curves(result, reference=None):
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
    return finish(fig, "training CPU seconds", ("held-out loss (nats per character)",))


def plot_context_cost(rows, extra=()):
    """CPU ms per generated character (left) and bytes carried between characters (right)
    against the context length, for the LSTM and the GPT with and without a KV cache
    (context_cost.generation_cost's rows); extra: more lines, (label, key, color, marker)
    each, from the rows' f"{key}_ms" and f"{key}_bytes" (context_cost.add_recurrent)."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.2))
    L = [r["context"] for r in rows]
    lines = (("LSTM", "lstm", "tab:blue", "o"), ("GPT, no cache", "gpt", "tab:orange", "s"),
             ("GPT, KV cache", "gpt_cache", "tab:red", "^")) + tuple(extra)
    for label, key, color, marker in lines:
        axes[0].loglog(L, [r[f"{key}_ms"] for r in rows], marker=marker, color=color, label=label)
        axes[1].loglog(L, [r[f"{key}_bytes"] for r in rows], marker=marker, color=color, label=label)
    return finish(fig, "context (characters)", ("CPU ms per character", "bytes carried between characters"),
                  grid="both")


# -- chapter 17: sampling strategies --------------------------------------------------------------

def plot_sampling_tradeoff(grid, references=None, xkey="distinct2", ykey="real_words"):
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
    return finish(fig, "diversity: share of distinct word pairs", ("quality: share of real words",))


# -- chapter 18: a recurrence that trains in parallel ---------------------------------------------

RACERS = {"lstm": ("LSTM (step by step)", "tab:blue", "o"), "mingru": ("minGRU (parallel scan)", "tab:green", "D"),
          "gpt": ("GPT", "tab:orange", "s")}


def plot_length_speed(speeds, chosen=None):
    """Training characters per CPU second against the BPTT length (the GPT's context) for each
    model (lengths.speed_sweep's {name: [(length, chars per CPU s, params)]}); chosen {name:
    length}: each racer's length in the race, ringed."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for name, points in speeds.items():
        label, color, marker = RACERS.get(name, (name, "grey", "o"))
        L, v = [p[0] for p in points], [p[1] for p in points]
        ax.plot(L, v, marker=marker, color=color, label=f"{label}, {points[0][2] / 1e6:.2f}M params")
        if chosen and name in chosen:
            ax.plot([chosen[name]], [v[L.index(chosen[name])]], "o", ms=13, mfc="none", mec=color, mew=1.5)
    ax.set_xscale("log", base=2)
    ax.set_xticks(L, [f"{n:,}" for n in L])
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    return finish(fig, "BPTT length or context (characters per row; rows x length fixed)",
                  ("training characters per CPU second",))


def plot_trackers(runs):
    """Test accuracy against updates, a panel per task (linearity.compare's {(task, cell): Run}):
    solid at the training length T, dashed at 4T."""
    tasks = list(dict.fromkeys(task for task, _ in runs))
    fig, axes = plt.subplots(1, len(tasks), figsize=(7, 3.2), sharey=True, squeeze=False)
    for ax, task in zip(axes[0], tasks):
        for (t, cell), run in runs.items():
            if t != task:
                continue
            label, color, marker = RACERS[cell]
            label = label.split(" (")[0]
            steps = [c.step for c in run.curve]
            ax.plot(steps, [c.accuracy for c in run.curve], marker=marker, ms=4, color=color, label=f"{label}, T")
            ax.plot(steps, [c.accuracy_long for c in run.curve], ls="--", color=color, label=f"{label}, 4T")
        ax.set_title(task, fontsize=10)
        ax.set_ylim(0, 1.02)
    finish(fig, "updates", ("share of positions right",) * len(tasks))
    place_legend(axes[0][0], ncol=2)
    return fig
