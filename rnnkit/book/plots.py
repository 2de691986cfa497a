"""Training curves as plain matplotlib figures (they render in Jupyter, Colab and the static book)."""
import math


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
