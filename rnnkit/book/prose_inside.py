"""Words for chapters 9 and 10 ("What is going on inside"), chosen from the run's numbers as
prose.py does for chapters 1-8: each chooser returns one of a few fixed sentences, so the page
stays true whatever the build measured. tests/book/test_prose.py runs every branch.
"""
from .prose import listing

# -- chapter 9: the order of learning -------------------------------------------------------------

ORDER = ("spaces", "short words", "long words")  # the article's order of learning


def settles(measure, step):
    """'the rate of spaces settles from step 300', or that it does not within the run."""
    if step is None:
        return f"{measure} does not come within 20% of real text in this run"
    return f"{measure} settles from step {step}"


def learning_order(spaces, short, long):
    """(ok, words): does the run learn in the article's order? Each argument is the step by which
    a measure had made half of the progress towards real text that it made in the run
    (measures.halfway_step; None: it moved less than a fifth of the way). The article's claim is
    an order, not an end point: spaces first, then short words, then long words."""
    steps = dict(zip(ORDER, (spaces, short, long)))
    still = [k for k, s in steps.items() if s is None]
    if len(still) == 3:
        return False, "none of the three measures moved a fifth of the way towards real text in this run"
    if still:
        return False, (f"{listing(still)} did not move a fifth of the way towards real text in this run, so the "
                       "order cannot be read off it")
    said = f"spaces made half of their progress by step {spaces}, short words by step {short} and long words by step {long}"
    if spaces == long:
        return False, (f"all three made half of their progress by the same snapshot (step {spaces}), so this run's "
                       "snapshots are too far apart to show an order")
    if spaces <= short <= long:
        return True, said + ": the article's order"
    return False, said + ", which is not the article's order"


# -- chapter 10: cells, gates, the n-gram model and the grid ------------------------------------------------

def cell_found(name, r, threshold):
    """Whether a feature's best cell passes the chapter's threshold, said in words."""
    if abs(r) >= threshold:
        return f"the best {name} cell reaches |r| = {abs(r):.2f}, above the threshold of {threshold}"
    return (f"no {name} cell reaches the threshold of |r| = {threshold} at this scale "
            f"(the best: {abs(r):.2f})")


def url_coloured(r, threshold):
    """Whether the URL view colours the text by the best in_url cell (r: its correlation)."""
    if abs(r) >= threshold:
        return f"here the text is coloured by the best URL cell, which reaches |r| = {abs(r):.2f}"
    return (f"here the text is not coloured, because no URL cell reaches the threshold of |r| = {threshold} at this "
            f"scale (the best: {abs(r):.2f})")


def forget_open(n):
    """The Linux model's forget gates that are right-saturated more than 90% of the time."""
    if n == 0:
        return ("No forget gate of the Linux model at this scale is right-saturated more than 90% of "
                "the time: none of its cells has become a long-memory integrator like the paper's.")
    gates = "forget gate" if n == 1 else "forget gates"
    return (f"{n} {gates} of the Linux model are right-saturated more than 90% of the time: cells "
            f"that keep what they hold across long stretches of text, like the paper's integrators.")


def url_cell_title(best, found):
    """The title of the URL view: the best in_url cell when it passes the threshold (found), else
    why the text is not coloured."""
    if found:
        return f"in_url: layer {best['layer'] + 1}, cell {best['unit']}, r = {best['r']:+.2f}"
    return "the model's five guesses (no URL cell passes the threshold, so the text is not coloured)"


def ce_verdict(ahead):
    """ahead: the corpora on which the LSTM beats the n-gram model (of two)."""
    if len(ahead) == 2:
        return "the LSTM is ahead on both corpora"
    if ahead:
        return f"the LSTM is ahead on {ahead[0]} only"
    return "the n-gram model is ahead on both"


def ngram_vs_paper(loss, train_chars, paper=1.195):
    """Our n-gram model's War and Peace loss against the paper's; train_chars: the characters
    it was fitted on (None: the whole training split)."""
    if abs(loss - paper) <= 0.1:
        return f"lands close to the paper's {paper}"
    fitted = "the whole training split" if train_chars is None else f"{train_chars:,} training characters"
    return f"is {loss:.3f} against the paper's {paper} (at this scale it is fitted on {fitted})"


def brace_verdict(lstm, ngram):
    """Which model predicts the far closing braces better (mean loss of each)."""
    if lstm < ngram:
        return "the LSTM predicts them better than the n-gram model"
    return ("the n-gram model is still ahead: at this scale the LSTM has not learnt to close braces reliably, "
            "and the n-gram can still guess from how the line looks")


def cell_and_layers(cell, n_layers):
    """'LSTM with 2 layers', 'GRU with 1 layer'."""
    return f"{cell.upper()} with {n_layers} layer{'s' if n_layers > 1 else ''}"



def cells_passing(best, threshold):
    """best: {feature: its best cell, {"r": ...}}. Which features have a cell above the threshold."""
    found = [f"{name} (r = {b['r']:+.2f})" for name, b in best.items() if abs(b["r"]) >= threshold]
    if not found:
        return (f"None of the {len(best)} features has a cell that reaches |r| = {threshold} in this build, so no "
                "cell is shown as a finding below.")
    n = "One" if len(found) == 1 else f"{len(found)}"
    return (f"{n} of the {len(best)} features {'has' if len(found) == 1 else 'have'} a cell above the threshold: "
            f"{listing(found)}. Each of these is shown below, on the same stretch of held-out kernel code.")


def saturation_sentence(switch_share):
    """switch_share: per layer, the share of its gates (every gate of every cell) saturated one way
    or the other more than half of the time (features.switch_share). The paper found the first
    layer's gates mostly unsaturated and the later layers' far more often saturated."""
    shares = ", ".join(f"{s:.0%} in layer {i + 1}" for i, s in enumerate(switch_share))
    if len(switch_share) < 2:
        return (f"This model has one layer: {switch_share[0]:.0%} of its gates are saturated more than half of the "
                "time, and the paper's comparison of layers needs two or more.")
    first, later = switch_share[0], max(switch_share[1:])
    if first < 0.5 and later > first + 0.1:
        return (f"As in the paper, the first layer is the less saturated one: its gates are saturated more than "
                f"half of the time in {first:.0%} of cases, against {later:.0%} in a later layer ({shares}).")
    if first >= 0.5:
        return (f"Unlike the paper's, this model's first-layer gates are mostly saturated too: {shares} of the "
                "gates are saturated (open or closed) more than half of the time, so both layers act as switches.")
    return (f"Unlike the paper's, this model's layers do not differ much: {shares} of the gates are saturated "
            "(open or closed) more than half of the time.")


CELL_NAMES = {"rnn": "plain RNN", "gru": "GRU", "lstm": "LSTM"}


def grid_sentence(table):
    """table: {(cell, layers): (hidden, test loss)} of the equal-budget grid. Where the plain RNN
    lands against the gated cells (the paper: LSTM and GRU well ahead of it)."""
    best = {cell: min(v[1] for (c, _), v in table.items() if c == cell) for cell in CELL_NAMES}
    ranked = sorted(best, key=best.get)
    losses = ", ".join(f"{CELL_NAMES[c]} {best[c]:.3f}" for c in ranked)
    if ranked[-1] == "rnn":
        return (f"As in the paper, both gated cells end ahead of the plain RNN (best of each: {losses}), although "
                "these runs are far shorter than the paper's.")
    if ranked[0] == "rnn":
        return (f"In this build the plain RNN is ahead of both gated cells (best of each: {losses}), the reverse "
                "of the paper's ranking. Such short runs favour the model that learns fastest from few updates, "
                "not the one that ends best; the paper's ranking comes from runs that converged.")
    return (f"In this build the plain RNN lands between the two gated cells (best of each: {losses}); the paper "
            "puts both gated cells well ahead of it, from runs that converged, far longer than these.")


def url_certainty(p, url="http://"):
    """p: the mean probability the model gave to each next character inside the first `url` of
    the held-out text (the article's model was nearly certain there)."""
    if p != p:  # NaN: no address in the text
        return f"The held-out slice holds no `{url}`, so how sure the model is inside one cannot be read here."
    if p >= 0.9:
        return (f"Ours is nearly as sure: inside the first `{url}` it gives the character that comes next a mean "
                f"probability of {p:.0%}.")
    return (f"Ours is not: inside the first `{url}` it gives the character that comes next a mean probability of "
            f"{p:.0%}, far from the article's near-certainty.")
