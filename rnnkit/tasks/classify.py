"""Many to one: read a whole name, then say which list it comes from (female or male).

    lists = name_lists()                         # {"female": [...], "male": [...]} (CMU corpus)
    split = stratified_split(lists, seed=0)      # train / val / test, plus the names in both lists
    vocab = NameVocab.from_names(split.all_names())
    run = train_classifier(split, vocab, seed=0, **options("names-classify", "cpu"))
    accuracy(run.model, vocab, split.test)       # Accuracy(correct, n): .value, .interval()
    prefix_probs(run.model, vocab, "Alexa")      # P(label) after each character

The model (NameClassifier) embeds each character, runs an LSTM or GRU over the name and sends
the final state to a linear layer. `direction` picks how it reads: "forward" (left to right),
"backward" (right to left: each name is reversed within its own length, so padding stays at the
end) or "both" (a bidirectional RNN). PyTorch's h_n has shape (layers * directions, batch,
hidden) with the last layer's forward state at index -2 and its backward state at -1; the
bidirectional final state is their concatenation [forward after the last letter, backward after
the first letter].

Variable-length batches are padded to the longest name. `packed=True` wraps them with
pack_padded_sequence, so the RNN stops at each name's own last letter; `packed=False` is the
pitfall: the RNN runs on through the padding and the "final" state is taken after it.
"""
import math
import random
import time
from collections import namedtuple
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from .. import data
from ..errors import RnnkitError
from ..loop import update
from .common import Run, check_pairs, check_texts, strict_options
from .padding import PAD, NameVocab, batches, reverse_within  # noqa: F401 (NameVocab: chapters 11-12 read it here)

# Chapter 11's sizes (chapter 12 trains its judge with them too).
PRESETS = {
    "names-classify": {
        "smoke": dict(embed=16, hidden=32, batch_size=64, lr=1e-2, dropout=0.0, epochs=2, patience=2),
        "cpu": dict(embed=32, hidden=64, batch_size=64, lr=1e-2, dropout=0.0, epochs=20, patience=4),
        "gpu": dict(embed=64, hidden=256, batch_size=64, lr=2e-3, dropout=0.3, epochs=60, patience=10),
    },
}

LABELS = ("female", "male")


class ClassifyError(RnnkitError, ValueError):
    """A problem with the classification data or options; the message is one line."""


# ----------------------------------------------------------------------------- data

def name_lists():
    """The CMU names corpus as its two lists, {"female": names, "male": names}, in file order."""
    out = {}
    for label in LABELS:
        path = data.corpus_file("names", f"names/cmu/{label}.txt")  # verified, fetched if need be
        out[label] = [n for n in data.read_text(path).split("\n") if n.strip()]
    return out


@dataclass
class Split:
    """Lists of (name, label index). `both`: the names found in both lists, held out of all three."""
    train: list
    val: list
    test: list
    both: list = field(default_factory=list)

    def all_names(self):
        return [n for part in (self.train, self.val, self.test) for n, _ in part] + list(self.both)


@strict_options
def stratified_split(lists, seed=0, val=0.1, test=0.15):
    """Split each label's names on its own (stratified), in a random order fixed by `seed`.

    A name that appears in both lists has no single right answer; it is left out of train, val
    and test and returned in `both`, so the chapter can show what the model makes of it."""
    if not isinstance(lists, dict) or len(lists) < 2:
        raise ClassifyError(f"lists must be a dict of at least two labels' lists of names, got {lists!r:.60}")
    for label, names in lists.items():
        check_texts(names, f"the names of {label!r}")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (val, test)):
        raise ClassifyError(f"val and test must be fractions, got {val!r} and {test!r}")
    if not (0 < val and 0 < test and val + test < 1):
        raise ClassifyError(f"val={val} and test={test} must be positive and sum to less than 1")
    sets = {label: set(names) for label, names in lists.items()}
    both = sorted(set.intersection(*sets.values()))
    rng = random.Random(seed)
    parts = {"train": [], "val": [], "test": []}
    for y, label in enumerate(lists):
        own = sorted(sets[label] - set(both))
        rng.shuffle(own)
        n_test, n_val = round(len(own) * test), round(len(own) * val)
        parts["test"] += [(n, y) for n in own[:n_test]]
        parts["val"] += [(n, y) for n in own[n_test:n_test + n_val]]
        parts["train"] += [(n, y) for n in own[n_test + n_val:]]
    for part in parts.values():
        rng.shuffle(part)
    return Split(**parts, both=both)


def check_split(split, vocab, n_labels):
    """TextError unless `split` is a Split with names in train and val, labelled below
    n_labels, and `vocab` a NameVocab (the classifier's and the generator's data)."""
    if not isinstance(split, Split):
        raise ClassifyError(f"split must be a Split (stratified_split makes one), got {type(split).__name__}")
    if not isinstance(vocab, NameVocab):
        raise ClassifyError(f"vocab must be a NameVocab, got {type(vocab).__name__}")
    for part in ("train", "val"):
        check_pairs(getattr(split, part), f"split.{part}", second=int)
    high = max(y for part in (split.train, split.val) for _, y in part)
    if high >= n_labels:
        raise ClassifyError(f"label index {high} is out of range: there are {n_labels} labels")


# ----------------------------------------------------------------------------- model

class NameClassifier(nn.Module):
    """Embedding -> LSTM/GRU (1 or more layers, one or both directions) -> final state -> linear."""

    @strict_options
    def __init__(self, vocab_size, n_labels=2, embed=32, hidden=64, cell="lstm", n_layers=1,
                 direction="forward", dropout=0.0):
        super().__init__()
        if cell not in ("lstm", "gru") or direction not in ("forward", "backward", "both"):
            raise ClassifyError(f"cell must be lstm or gru and direction forward, backward or both "
                                f"(got {cell!r}, {direction!r})")
        self.direction = direction
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=PAD)
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(embed, hidden, n_layers, batch_first=True, bidirectional=direction == "both",
                       dropout=dropout if n_layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden * (2 if direction == "both" else 1), n_labels)

    def final_state(self, ids, lengths, packed=True):
        """(batch, hidden * directions): the last layer's state(s) after reading each name."""
        if self.direction == "backward":
            ids = reverse_within(ids, lengths)
        x = self.embed(ids)
        if packed:
            x = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, h = self.rnn(x)
        h = h[0] if isinstance(h, tuple) else h  # LSTM: (h_n, c_n)
        return torch.cat([h[-2], h[-1]], 1) if self.direction == "both" else h[-1]

    def forward(self, ids, lengths, packed=True):
        return self.out(self.drop(self.final_state(ids, lengths, packed)))


# ----------------------------------------------------------------------------- training

Epoch = namedtuple("Epoch", "epoch train_loss val_accuracy")  # a point of a classifier's curve


def labelled_batches(pairs, vocab, batch_size, generator=None):
    """(ids, lengths, labels) batches of (name, label) pairs, in order or shuffled."""
    for chunk in batches(pairs, batch_size, generator):
        ids, lengths = vocab.encode([n for n, _ in chunk])
        yield ids, lengths, torch.tensor([y for _, y in chunk])


@strict_options
def train_classifier(split, vocab, seed=0, packed=True, epochs=20, patience=5, batch_size=32, lr=5e-3,
                     embed=32, hidden=64, cell="lstm", n_layers=1, direction="forward", dropout=0.0):
    """Train a NameClassifier with Adam; after each epoch measure validation accuracy and keep
    the best weights; stop after `patience` epochs without improvement (early stopping).
    Returns a Run whose curve is Epoch points and whose model holds the best epoch's weights."""
    options = {k: v for k, v in locals().items() if k not in ("split", "vocab")}
    check_split(split, vocab, len(LABELS))
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = NameClassifier(len(vocab), len(LABELS), embed, hidden, cell, n_layers, direction, dropout)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    best, best_state, curve, losses, stopped = None, None, [], [], "done"
    start = time.process_time()
    for epoch in range(1, epochs + 1):
        model.train()
        total, count = 0.0, 0
        for ids, lengths, y in labelled_batches(split.train, vocab, batch_size, gen):
            loss = update(opt, nn.functional.cross_entropy(model(ids, lengths, packed), y), grad_clip=5.0).loss
            losses.append(loss)
            total, count = total + loss * len(y), count + len(y)
        curve.append(Epoch(epoch, total / count, accuracy(model, vocab, split.val, packed).value))
        if best is None or curve[-1].val_accuracy > best.val_accuracy:
            best, best_state = curve[-1], {k: v.clone() for k, v in model.state_dict().items()}
        elif epoch - best.epoch >= patience:
            stopped = "patience"
            break
    model.load_state_dict(best_state)
    model.eval()
    return Run(model, curve, best, len(losses), len(split.train) * len(curve), time.process_time() - start,
               stopped, options, losses)


# ----------------------------------------------------------------------------- measuring

@dataclass
class Accuracy:
    correct: int
    n: int

    @property
    def value(self):
        return self.correct / self.n if self.n else float("nan")

    def interval(self, z=1.96):
        """Wilson score interval (95% for z=1.96): sound near 0 and 1, unlike p +- 1.96 se."""
        if not self.n:
            return float("nan"), float("nan")
        p, n = self.value, self.n
        mid = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return mid - half, mid + half

    def __str__(self):
        lo, hi = self.interval()
        return f"{self.value:.1%} ({lo:.1%} to {hi:.1%})"

    def overlaps(self, other):
        """Whether the two 95% intervals overlap: if they do, the test set cannot tell the two apart."""
        (a, b), (c, d) = self.interval(), other.interval()
        return a <= d and c <= b

    def below(self, other):
        """Whether this interval lies entirely below the other's."""
        return self.interval()[1] < other.interval()[0]


@torch.no_grad()
def probabilities(model, vocab, names, packed=True, batch_size=512):
    """(len(names), labels) tensor of P(label | name)."""
    check_texts(names, "names")
    model.eval()
    out = []
    for i in range(0, len(names), batch_size):
        ids, lengths = vocab.encode(names[i:i + batch_size])
        out.append(model(ids, lengths, packed).softmax(-1))
    return torch.cat(out)


@torch.no_grad()
def padding_effect(model, vocab, names, pad_to, packed=False, label=0):
    """(alone, padded): P(label) for each name read with no padding at all (names batched only
    with names of their own length) and read padded to `pad_to` characters, as it would be in a
    batch with a name that long. A packed model gives the same twice; the pitfall does not."""
    model.eval()
    alone = torch.empty(len(names))
    by_length = {}
    for i, n in enumerate(names):
        by_length.setdefault(len(n), []).append(i)
    for idx in by_length.values():
        ids, lengths = vocab.encode([names[i] for i in idx])
        alone[idx] = model(ids, lengths, packed).softmax(-1)[:, label]
    ids, lengths = vocab.encode(names)
    if ids.shape[1] > pad_to:
        raise ClassifyError(f"pad_to={pad_to} is shorter than the longest name ({ids.shape[1]})")
    ids = torch.nn.functional.pad(ids, (0, pad_to - ids.shape[1]), value=PAD)
    return alone, model(ids, lengths, packed).softmax(-1)[:, label]


def padding_change(model, vocab, names, pad_to, packed=False, label=0):
    """What padding does to a model's answers (padding_effect, summed up): (mean and largest
    change of P(label), how many answers flip, the index of the name that moved most)."""
    alone, padded = padding_effect(model, vocab, names, pad_to, packed, label)
    change = (alone - padded).abs()
    flipped = int(((alone > 0.5) != (padded > 0.5)).sum())
    return float(change.mean()), float(change.max()), flipped, int(change.argmax())


def accuracy(model, vocab, pairs, packed=True):
    check_pairs(pairs, "pairs", second=int)
    probs = probabilities(model, vocab, [n for n, _ in pairs], packed)
    y = torch.tensor([y for _, y in pairs])
    return Accuracy(int((probs.argmax(1) == y).sum()), len(pairs))


def recall(model, vocab, pairs, label, packed=True):
    """Accuracy on the names of one list only: how often the model gives them their own label."""
    return accuracy(model, vocab, [p for p in pairs if p[1] == label], packed)


def label_share(pairs, label):
    """The share of (name, label) pairs that carry `label` (always answering it scores this)."""
    return sum(y == label for _, y in pairs) / len(pairs)


def answer_flips(probs, at=0.5):
    """How many times a run of probabilities (prefix_probs) crosses `at`: the answer changing
    as the model reads on."""
    return sum((a > at) != (b > at) for a, b in zip(probs, probs[1:]))


def prefix_probs(model, vocab, name, label=0):
    """P(label) after each character: the model's answer for name[:1], name[:2], ... name."""
    check_texts([name] if isinstance(name, str) else name, "the name")
    return probabilities(model, vocab, [name[:k] for k in range(1, len(name) + 1)])[:, label].tolist()


def confidently_wrong(model, vocab, pairs, k=10):
    """The k names the model gets wrong with the most confidence: (name, true label, P(true))."""
    probs = probabilities(model, vocab, [n for n, _ in pairs])
    p_true = probs[torch.arange(len(pairs)), torch.tensor([y for _, y in pairs])]
    order = p_true.argsort()[:k].tolist()
    return [(pairs[i][0], LABELS[pairs[i][1]], float(p_true[i])) for i in order if p_true[i] < 0.5]


# ----------------------------------------------------------------------------- baselines

class LastLetterBayes:
    """The NLTK book's first classifier (chapter 6): naive Bayes on the name's last letter,
    P(label) * P(last letter | label), counted with add-one smoothing."""

    def fit(self, pairs):
        self.counts = [dict() for _ in LABELS]
        self.prior = [0] * len(LABELS)
        for n, y in pairs:
            self.prior[y] += 1
            self.counts[y][n[-1].lower()] = self.counts[y].get(n[-1].lower(), 0) + 1
        self.letters = set().union(*self.counts)
        return self

    def predict(self, name):
        c = name[-1].lower()
        scores = [math.log(self.prior[y]) + math.log((self.counts[y].get(c, 0) + 1)
                                                      / (self.prior[y] + len(self.letters) + 1))
                  for y in range(len(LABELS))]
        return max(range(len(LABELS)), key=scores.__getitem__)

    def accuracy(self, pairs):
        return Accuracy(sum(self.predict(n) == y for n, y in pairs), len(pairs))


def ngram_logreg(train, ngram_range=(1, 4), C=1.0):
    """Character n-grams within word boundaries (scikit-learn's CountVectorizer, analyzer
    "char_wb") and logistic regression. Returns (pipeline, accuracy function)."""
    try:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError:
        raise ClassifyError("the n-gram baseline needs scikit-learn (pip install 'rnnkit[book]')") from None
    pipe = make_pipeline(CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=True),
                         LogisticRegression(C=C, max_iter=2000))
    pipe.fit([n for n, _ in train], [y for _, y in train])

    def score(pairs):
        pred = pipe.predict([n for n, _ in pairs])
        return Accuracy(int(sum(int(p) == y for p, (_, y) in zip(pred, pairs))), len(pairs))
    return pipe, score
