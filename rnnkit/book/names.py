"""Baby names (chapter 8): a list of names as a character stream, the names a model invents,
and the counting baseline that every language model of names should beat.

    path = shuffled_list("names-makemore", seed=0)   # one name a line, in random order
    names = split_names(generated_text)               # complete names only
    origin(names, train_names, heldout_names)         # in training list / held out / new
    bigram = Bigram(chars).fit(train_text)            # counts + add-one smoothing
    bigram.nll(test_text)                             # nats per character

How the numbers compare with makemore's. makemore (Karpathy, github.com/karpathy/makemore, and
the nn-zero-to-hero lectures) scores a name as a sequence that starts from a start token and
ends with an end token: every letter and the end are predicted, so a name of n letters costs
n + 1 predictions. A stream of names separated by newlines gives exactly that when the newline
plays both parts (it ends a name and starts the next one), so the loss per character of the
stream, newlines included, is makemore's loss per token. Two further conditions make the
comparison fair: the list is shuffled before the contiguous train/val/test split (the source
files are sorted, so a recurrent model would otherwise see a neighbour that shares its prefix,
and the test split would hold only the end of the alphabet), and the bigram baseline here is
fitted on the same training split and scored on the same test split as the recurrent model.
"""
import random
from collections import Counter

import numpy as np

from .. import data

SEPARATOR = "\n"


def read_names(text):
    """The names in a newline-separated list (blank lines dropped)."""
    return [line for line in text.split(SEPARATOR) if line.strip()]


def shuffled_list(name, seed=0):
    """Path to a copy of registry list `name` with its lines in random order (fixed by `seed`),
    written once into the rnnkit cache. Duplicates are kept, as makemore keeps them."""
    names = read_names(data.load(name))
    random.Random(seed).shuffle(names)
    path = data.cache_dir() / "shuffled" / f"{name}-seed{seed}.txt"
    text = SEPARATOR.join(names) + SEPARATOR
    if not path.exists() or path.read_text("utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(text, "utf-8")
        tmp.replace(path)
    return path


def split_names(text, first_is_complete=None):
    """The complete names in a generated stream. The piece after the last newline is dropped
    (the sampler stopped inside it), and so is the piece before the first newline unless the
    text starts right after a newline (`first_is_complete`, by default: it starts with one)."""
    pieces = text.split(SEPARATOR)
    if first_is_complete is None:
        first_is_complete = text.startswith(SEPARATOR)
    pieces = pieces[:-1]  # unfinished: no newline after it
    if not first_is_complete and pieces:
        pieces = pieces[1:]
    return [p for p in pieces if p.strip()]


def origin(names, train, heldout=()):
    """Counts of generated names that are in the training list, only in the held-out list
    (real names the model never saw), or new (in neither), as makemore's print_samples
    sorts them."""
    train, heldout = set(train), set(heldout) - set(train)
    c = Counter("train" if n in train else "held out" if n in heldout else "new" for n in names)
    return {"train": c["train"], "held out": c["held out"], "new": c["new"]}


def origin_row(names, train, heldout=()):
    """A results-table row for a source of names: how many, their mean length, and the shares
    in the training list, only held out, and new (see origin)."""
    where = origin(names, train, heldout)
    share = {w: where[w] / len(names) if names else float("nan") for w in where}
    return [len(names), f"{sum(map(len, names)) / max(1, len(names)):.1f}", f"{share['train']:.0%}",
            f"{share['held out']:.0%}", f"{share['new']:.0%}"]


def novel(names, known):
    """The names not in `known`, in order, without repeats."""
    known, seen, out = set(known), set(), []
    for n in names:
        if n not in known and n not in seen:
            seen.add(n)
            out.append(n)
    return out


class Bigram:
    """P(next char | this char) from counts, with add-`alpha` smoothing (alpha=1 is Laplace,
    as in makemore's lecture). The newline is the start and end token."""

    def __init__(self, chars, alpha=1.0):
        self.chars = sorted(set(chars) | {SEPARATOR})
        self.stoi = {c: i for i, c in enumerate(self.chars)}
        self.alpha = alpha
        self.counts = np.zeros((len(self.chars), len(self.chars)), dtype=np.int64)

    def _pairs(self, text):
        ids = np.array([self.stoi[SEPARATOR]] + [self._id(c) for c in text], dtype=np.int64)
        return ids[:-1], ids[1:]  # the text is read as if a name had just ended before it

    def _id(self, c):
        if c not in self.stoi:
            raise ValueError(f"character {c!r} is not in the bigram's vocabulary")
        return self.stoi[c]

    def fit(self, text):
        a, b = self._pairs(text)
        np.add.at(self.counts, (a, b), 1)
        return self

    @property
    def probs(self):
        p = self.counts + self.alpha
        return p / p.sum(1, keepdims=True)

    def nll(self, text):
        """Mean negative log-likelihood of `text`, nats per character (every newline counts)."""
        if not text:
            return float("nan")
        a, b = self._pairs(text)
        return float(-np.log(self.probs[a, b]).mean())

    def names_nll(self, names):
        """The same for a list of names, each followed by its end-of-name newline."""
        return self.nll("".join(n + SEPARATOR for n in names)) if names else float("nan")


# Reference points on makemore's names.txt, in nats per character (cite them as such):
# bigram counts 2.4765 (lecture 1, scored on the whole list it was fitted on), MLP dev 2.1701
# (lecture 2) and about 2.10 after initialisation fixes and batch norm (lecture 3), a
# WaveNet-like MLP val 1.993 (lecture 5), and the default makemore transformer, test "~1.92"
# (makemore README). The lectures use an 80/10/10 split, makemore.py a 1,000-name test set.
MAKEMORE_REFERENCE = (
    ("bigram counts (nn-zero-to-hero, lecture 1, scored on the names it counted)", 2.4765),
    ("MLP, 3 characters of context (lecture 2, dev)", 2.1701),
    ("MLP with batch norm (lecture 3, val)", 2.1048),
    ("WaveNet-style MLP (lecture 5, val)", 1.993),
    ("transformer, makemore default (README, test)", 1.92),
)
