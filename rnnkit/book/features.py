"""Which cells track what: simple features of the input text, and their correlation with every
cell of a trained network (the article's "about 5% of cells are interpretable", measured).

Features. Each is a plain function of the text, one value per character, describing the text
read *so far* (up to and including that character), which is all a cell can know:

    in_quotes      inside "double quotes" (reset at a blank line: War and Peace reopens a
                   quote at each paragraph of a long speech without closing the last one)
    line_position  characters since the last newline
    brace_depth    nesting depth of { } (C), paren_depth of ( ) and [ ]
    in_comment     inside a C comment, /* ... */ or // to the end of the line
    indent         indentation of the current line so far (a tab or 8 spaces is one level)
    in_url         inside an http(s):// or www. address
    in_wikilink    inside [[ ... ]] (Wikipedia markup; one [ is not enough)

Measurement. record() runs the model over held-out ids and keeps every layer's cell values;
correlations() gives Pearson's r of every cell with every feature in one matrix product;
summary() picks the best cell per feature and the share of "interpretable" cells, those with
|r| >= THRESHOLD for some feature. gate_saturation() is the paper's gate figure: per cell, how
often a gate is left- (< 0.1) or right-saturated (> 0.9). feature_correlations() does it all for an
Experiment's trained model and its untrained copy (chapters 5 and 10).
"""
import numpy as np
import torch

# |r| >= 0.5: the feature alone explains at least a quarter (r^2) of the cell's variance over
# held-out text. Chapter 10 also reports the same count for an untrained copy of the network,
# the chance level a trained cell has to beat.
THRESHOLD = 0.5

# -- features -------------------------------------------------------------------------------------


def in_quotes(text, quote='"'):
    out, on, prev_nl = np.zeros(len(text)), False, False
    for i, ch in enumerate(text):
        if ch == "\n":
            if prev_nl:  # a blank line ends the paragraph (and any quote left open)
                on = False
            prev_nl = True
        elif ch != "\r":
            prev_nl = False
        if ch == quote:
            on = not on
        out[i] = on
    return out


def line_position(text):
    nl = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == ord("\n")
    idx = np.arange(len(text))
    last = np.maximum.accumulate(np.where(nl, idx, -1))  # index of the latest newline so far
    return (idx - last - 1).clip(min=0).astype(float)  # 0 on the newline and the char after it


def _depth(text, opens, closes):
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    step = np.isin(cps, [ord(c) for c in opens]).astype(int) - np.isin(cps, [ord(c) for c in closes])
    d = np.cumsum(step)
    return (d - min(d.min(), 0)).astype(float)  # a slice may start inside a block: shift to >= 0


def brace_depth(text):
    return _depth(text, "{", "}")


def paren_depth(text):
    return _depth(text, "([", ")]")


def in_comment(text):
    out, state, i, n = np.zeros(len(text)), None, 0, len(text)
    while i < n:
        two = text[i:i + 2]
        if state is None and two in ("/*", "//"):
            state = two
            out[i:i + 2] = 1
            i += 2
            continue
        if state == "/*" and two == "*/":
            out[i:i + 2] = 1
            state, i = None, i + 2
            continue
        if state == "//" and text[i] == "\n":
            state = None
        out[i] = state is not None
        i += 1
    return out


def indent(text):
    out, level, leading = np.zeros(len(text)), 0.0, True
    for i, ch in enumerate(text):
        if ch == "\n":
            level, leading = 0.0, True
        elif leading and ch == "\t":
            level += 1
        elif leading and ch == " ":
            level += 1 / 8
        else:
            leading = False
        out[i] = level
    return out


def in_url(text):
    out = np.zeros(len(text))
    stop = set(" \t\r\n]|<>\"'}")
    i = 0
    while i < len(text):
        if text.startswith(("http://", "https://", "www."), i):
            j = i
            while j < len(text) and text[j] not in stop:
                j += 1
            out[i:j] = 1
            i = j
        else:
            i += 1
    return out


def in_wikilink(text):
    out, on = np.zeros(len(text)), False
    for i in range(len(text)):
        if not on and text[i] == "[" and i and text[i - 1] == "[":
            on = True
        out[i] = on
        if on and text[i] == "]" and i and text[i - 1] == "]":
            on = False
    return out


FEATURES = {
    "in_quotes": in_quotes, "line_position": line_position, "brace_depth": brace_depth,
    "paren_depth": paren_depth, "in_comment": in_comment, "indent": indent,
    "in_url": in_url, "in_wikilink": in_wikilink,
}


def compute(text, names):
    """(T, F) float array: feature `names[j]` of every character of text."""
    return np.stack([FEATURES[n](text) for n in names], axis=1)


# -- recording a held-out slice -------------------------------------------------------------------

def record(model, ids, streams=8):
    """Run `model` over held-out ids and keep every layer's internals, in text order.

    The ids are cut into `streams` contiguous rows run as one batch (many times faster than
    one long row); each row starts from a zero state, so its first few characters lack context.
    Returns (n, layers): n = the number of ids used (a multiple of streams) and, per layer, a
    dict of float32 arrays (n, H): 'h', and for the LSTM 'cell' = tanh(c) (the paper's view of
    a cell, in [-1, 1]) and the gates 'i', 'f', 'o', 'g'; for the GRU 'r', 'z', 'n'.
    Memory: 4 bytes x n x H per array, so keep n to a held-out slice (tens of thousands).
    """
    ids = torch.as_tensor(ids, dtype=torch.long)
    n = len(ids) // streams * streams
    out, _ = model.internals(ids[:n].view(streams, -1).to(next(model.parameters()).device))
    layers = []
    for rec in out:
        d = {k: v.reshape(n, -1).float().cpu().numpy() for k, v in rec.items() if k != "c"}
        if "c" in rec:
            d["cell"] = rec["c"].tanh().reshape(n, -1).float().cpu().numpy()
        layers.append(d)
    return n, layers


def cells(layers, key=None):
    """All cells of all layers side by side: (n, layers*H); key defaults to 'cell' (LSTM) or 'h'."""
    key = key or ("cell" if "cell" in layers[0] else "h")
    return np.concatenate([d[key] for d in layers], axis=1)


# -- correlation ----------------------------------------------------------------------------------

def correlations(acts, feats):
    """Pearson r of every column of acts (n, N) with every column of feats (n, F): (N, F).
    A constant column (a feature absent from the slice, a dead cell) gets r = 0."""
    a = acts - acts.mean(0)
    f = feats - feats.mean(0)
    sa, sf = np.sqrt((a * a).sum(0)), np.sqrt((f * f).sum(0))
    r = (a.T @ f) / np.outer(np.where(sa > 0, sa, 1), np.where(sf > 0, sf, 1))
    r[sa == 0] = 0
    r[:, sf == 0] = 0
    return r


def summary(r, names, hidden, threshold=THRESHOLD):
    """Best cell per feature and the share of interpretable cells, from r (N, F) of
    correlations(). Cell j is layer j // hidden, unit j % hidden."""
    best = {}
    for f, name in enumerate(names):
        j = int(np.abs(r[:, f]).argmax())
        best[name] = dict(layer=j // hidden, unit=j % hidden, r=float(r[j, f]))
    strongest = np.abs(r).max(axis=1)
    return dict(best=best, interpretable=float((strongest >= threshold).mean()),
                threshold=threshold, n_cells=len(strongest))


def passing(m, threshold=THRESHOLD):
    """The features of a feature_correlations() result whose best cell reaches |r| >= threshold."""
    return [name for name, b in m["trained"]["best"].items() if abs(b["r"]) >= threshold]


def tracking_cells(best, threshold=THRESHOLD):
    """The distinct cells among summary()["best"] ({feature: {layer, unit, r}}) that reach
    |r| >= threshold, strongest first, each once with every feature it tracks:
    [{layer, unit, features: {feature: r}}]. One cell can be the best for two features (War and
    Peace's quote and line-position cells can coincide): a view offering it twice shows nothing new."""
    found = {}
    for name, b in best.items():
        if abs(b["r"]) >= threshold:
            cell = found.setdefault((int(b["layer"]), int(b["unit"])), {})
            cell[name] = float(b["r"])
    out = [dict(layer=layer, unit=unit, features=f) for (layer, unit), f in found.items()]
    return sorted(out, key=lambda c: -max(abs(r) for r in c["features"].values()))


def next_probability(probs, ids, start, end):
    """The mean probability a model gave to the character that actually came next, over the
    predictions made at positions start..end-1 of ids (probs: (len(ids), V), the model's
    distribution after reading each position)."""
    positions = range(start, min(end, len(ids) - 1))
    return float(np.mean([probs[t, int(ids[t + 1])] for t in positions])) if positions else float("nan")


# -- gate saturation ------------------------------------------------------------------------------

SIGMOID_GATES = {"lstm": ("f", "i", "o"), "gru": ("r", "z")}


def gate_saturation(layers, gates=None, lo=0.1, hi=0.9):
    """Per layer and gate, per cell: the fraction of steps the gate is left-saturated (< lo)
    and right-saturated (> hi). Returns {gate: [(left (H,), right (H,)) per layer]}."""
    gates = gates or [g for g in ("f", "i", "o", "r", "z") if g in layers[0]]
    return {g: [((d[g] < lo).mean(0), (d[g] > hi).mean(0)) for d in layers] for g in gates}


def switch_share(saturation, frac=0.5):
    """Per layer, the share of its gates (every gate kind, every cell) that are saturated one way
    or the other (left or right) more than `frac` of the time: how much of a layer acts as a
    switch. `saturation` is gate_saturation()'s result."""
    n_layers = len(next(iter(saturation.values())))
    out = []
    for layer in range(n_layers):
        both = [left + right for left, right in (saturation[g][layer] for g in saturation)]
        out.append(float(np.mean(np.concatenate(both) > frac)))
    return out


# -- what chapter 10 does per corpus --------------------------------------------------------------

def symbols(vocab, ids):
    """The model's own symbols for ids, one character per id (bytes stay bytes, so features
    line up with the model's steps)."""
    return "".join(vocab.chars[int(i)] for i in ids)


def feature_correlations(exp, names, n_chars, start=0):
    """Correlate every cell of an Experiment's trained model, and of its untrained copy, with
    the features `names` over n_chars of its test split from `start`."""
    ids = exp.trainer.splits["test"][start:start + n_chars]
    n, layers = record(exp.model, ids)
    feats = compute(symbols(exp.vocab, ids[:n]), names)
    r = correlations(cells(layers), feats)
    _, layers0 = record(exp.untrained, ids)
    r0 = correlations(cells(layers0), feats)
    return dict(ids=ids[:n], layers=layers, r=r, r0=r0,
                trained=summary(r, names, exp.model.hidden),
                untrained=summary(r0, names, exp.model.hidden))
