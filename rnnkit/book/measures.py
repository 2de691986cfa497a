"""Measured checks: numbers for what the article judges by eye in its samples.

Each function takes plain text, so the same measure runs on a model's samples, on held-out
real text and on an untrained model's output, and the three can sit in one table:

    words(text), word_fraction(text, dictionary)   are the generated words real words?
    citations(text)                                Paul Graham's "[2]" footnote markers
    speaker_turns(text), speakers(text)            Shakespeare's "NAME:" + speech format
    nesting(text), tag_nesting(text)               do brackets, [[links]], {{templates}}, tags close?
    longest_repeat(text), repeated_fraction(text)  near-zero temperature falls into loops
    text_stats(text, dictionary)                   War and Peace's order of learning
    sampling_steps(max_steps)                      when to take the evolution chapter's samples
    settled_step(steps, values, target)            when a measure settled near real text's value
    pool(measure, texts)                           a count-valued measure summed over separate samples
    bits(nats)                                     a loss in bits per character
"""
import math
import re
from collections import namedtuple

WORD = re.compile(r"[^\W\d_]+")  # a run of letters (any script); digits and _ split words


# ----------------------------------------------------------------------------- words

def words(text):
    """The words of a text: runs of letters."""
    return WORD.findall(text)


def dictionary(text):
    """The set of words (lower-cased) that occur in a text, e.g. the training split."""
    return {w.lower() for w in words(text)}


def word_fraction(text, vocabulary, min_len=1, max_len=None):
    """Fraction of the words of `text` (with min_len <= length <= max_len) found in
    `vocabulary`, ignoring case. NaN when the text has no such word."""
    ws = [w for w in words(text) if len(w) >= min_len and (max_len is None or len(w) <= max_len)]
    if not ws:
        return float("nan")
    return sum(w.lower() in vocabulary for w in ws) / len(ws)


def citations(text):
    """How many footnote markers like "[2]" or "[12]" a text has."""
    return len(re.findall(r"\[\d{1,2}\]", text))


# ----------------------------------------------------------------------------- dialogue

SPEAKER = re.compile(r"[A-Z][A-Za-z']*(?: [A-Z][A-Za-z']*){0,3}:")  # "ROMEO:", "First Citizen:"


def speaker_turns(text):
    """(good, total) over the blocks of a text separated by blank lines, where a good block is
    a speaker line ("NAME:" alone on its line) followed by at least one line of speech.

    The first and last blocks are dropped: a sample or an excerpt may start or stop inside one.
    """
    blocks = [b for b in re.split(r"\n\s*\n", text)][1:-1]
    good = 0
    for b in blocks:
        lines = [l.strip() for l in b.strip("\n").split("\n")]
        speech = [l for l in lines[1:] if l]
        good += bool(SPEAKER.fullmatch(lines[0]) and speech
                     and not any(SPEAKER.fullmatch(l) for l in speech))
    return good, len(blocks)


def speakers(text):
    """The names on the speaker lines of a text, in order ("ROMEO:" gives "ROMEO")."""
    return [l.strip()[:-1] for l in text.split("\n") if SPEAKER.fullmatch(l.strip())]


# ----------------------------------------------------------------------------- nesting

class Nesting(namedtuple("Nesting", "ok wrong left_open")):
    """ok: closers that closed the innermost open one of their kind; wrong: closers that did
    not (stray, or closing across another) plus the openers they skipped over; left_open: still
    open when the text ends, not counted as wrong (a sample stops anywhere)."""

    @property
    def rate(self):
        """ok / (ok + wrong): the fraction of closings that were right (NaN if none)."""
        return self.ok / (self.ok + self.wrong) if self.ok + self.wrong else float("nan")


# Wiki markup first: "[[" must be read as one token before "[" is.
WIKI_PAIRS = {"[[": "]]", "{{": "}}", "[": "]", "{": "}", "(": ")"}


def _nest(tokens):
    """tokens: ("open", key) / ("close", key) in text order -> Nesting."""
    stack, ok, wrong = [], 0, 0
    for kind, key in tokens:
        if kind == "open":
            stack.append(key)
        elif stack and stack[-1] == key:
            stack.pop()
            ok += 1
        elif key in stack:  # closes an outer one: everything opened since is left unclosed
            i = len(stack) - 1 - stack[::-1].index(key)
            wrong += 1 + (len(stack) - 1 - i)
            del stack[i:]
        else:  # a closer with nothing to close
            wrong += 1
    return Nesting(ok, wrong, len(stack))


def nesting(text, pairs=None):
    """Bracket balance of a text; `pairs` maps openers to closers (default: wiki markup
    [[ ]], {{ }} and the three plain brackets). Returns a Nesting; .rate is the score."""
    pairs = WIKI_PAIRS if pairs is None else pairs
    closers = {c: o for o, c in pairs.items()}
    pattern = "|".join(re.escape(t) for t in sorted({*pairs, *closers}, key=len, reverse=True))
    return _nest(("open", t) if t in pairs else ("close", closers[t]) for t in re.findall(pattern, text))


TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)[^<>]*?(/?)>")


def tag_nesting(text):
    """Balance of XML tags: <a> ... </a> must nest; <br/> closes itself. Returns a Nesting."""
    tokens = []
    for m in TAG.finditer(text):
        closing, name, selfclosing = m.groups()
        if not selfclosing:
            tokens.append(("close" if closing else "open", name))
    return _nest(tokens)


# ----------------------------------------------------------------------------- loops

def longest_repeat(text):
    """Length of the longest substring that occurs at least twice (overlaps allowed)."""
    def repeats(k):
        seen = set()
        for i in range(len(text) - k + 1):
            s = text[i:i + k]
            if s in seen:
                return True
            seen.add(s)
        return False

    lo, hi = 0, max(len(text) - 1, 0)  # if length k repeats, so does every shorter length
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if repeats(mid) else (lo, mid - 1)
    return lo


def repeated_fraction(text, k=20):
    """Fraction of the positions whose next k characters already occurred earlier in the text:
    near 1 for text caught in a loop, near 0 for text that keeps saying new things."""
    n = len(text) - k + 1
    if n <= 0:
        return float("nan")
    seen, hits = set(), 0
    for i in range(n):
        s = text[i:i + k]
        hits += s in seen
        seen.add(s)
    return hits / n


# ----------------------------------------------------------------------------- style

PUNCTUATION = set(".,;:!?")
QUOTES = set("\"'\u201c\u201d\u2018\u2019")


def text_stats(text, vocabulary):
    """What a reader notices first in samples, as numbers (War and Peace's evolution):
    spaces and double spaces, word length, how many words are real (short and long ones
    apart), punctuation and quotes. Rates are per character of text. Word shares leave out
    one-letter words: random letters are "real" one-letter words far too often."""
    ws = words(text)
    n = max(len(text), 1)
    spaces = text.count(" ")
    return {
        "spaces": spaces / n,
        "double spaces": text.count("  ") / max(spaces, 1),  # share of spaces that start a "  "
        "mean word length": sum(map(len, ws)) / len(ws) if ws else float("nan"),
        "real words (2+ letters)": word_fraction(text, vocabulary, 2),
        "real short words (2-3)": word_fraction(text, vocabulary, 2, 3),
        "real long words (6+)": word_fraction(text, vocabulary, 6),
        "punctuation": sum(c in PUNCTUATION for c in text) / n,
        "quotes": sum(c in QUOTES for c in text) / n,
    }


ARTICLE_STEPS = (100, 300, 500, 700, 1200, 2000)  # the War and Peace samples the article shows


def sampling_steps(max_steps, wanted=ARTICLE_STEPS, every=100):
    """(every, marks): sample every `every` steps and show the article's steps that a run of
    max_steps reaches. A run too short for them (smoke) samples at thirds of the run instead."""
    marks = [s for s in wanted if s <= max_steps and s % every == 0]
    if marks:
        return every, marks
    every = max(1, max_steps // 3)
    return every, list(range(every, max_steps + 1, every))


def settled_step(steps, values, target, tolerance=0.2):
    """The first step from which a measure stays within `tolerance` (relative) of the real
    text's `target` until the end (None if it never settles): "when did the model learn this"."""
    close = [v == v and abs(v - target) <= tolerance * abs(target) for v in values]  # v == v: not NaN
    for i, step in enumerate(steps):
        if all(close[i:]):
            return step
    return None


def halfway_step(steps, values, target, min_progress=0.2):
    """The step by which a measure had made half of the progress towards real text (`target`)
    that it made in the whole run, and kept it: "when did the model pick this up", whether or
    not it got all the way. Progress is the share of the gap between the untrained value
    (values[0]) and target that has been closed. None when the run closed less than
    `min_progress` of the gap (it did not learn this) or when there was no gap."""
    gap = target - values[0]
    if not gap or any(v != v for v in values):  # v != v: NaN, nothing to read
        return None
    progress = [(v - values[0]) / gap for v in values]
    if progress[-1] < min_progress:
        return None
    for i, step in enumerate(steps):
        if all(p >= progress[-1] / 2 for p in progress[i:]):
            return step
    return steps[-1]


# What a reader sees first in samples of a corpus: named patterns, counted by surface().
SURFACE = {
    "shakespeare": {
        "speaker lines such as `ROMEO:`": r"(?m)^[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*:$",
        "line breaks": r"\n",
        "common short words (*the*, *and*, *to*, *of*)": r"\b(?:the|and|to|of)\b",
    },
    "latex": {
        r"`\ref{...}` and `\label{...}`": r"\\(?:ref|label)\{[^{}\n]+\}",
        "inline math between dollar signs": r"\$[^$\n]+\$",
        r"`\item` lists": r"\\item\b",
        "the tone of *Let $X$ be*": r"\bLet \$",
    },
    "c": {
        "tabs for indentation": r"(?m)^\t",
        "`->` between pointers and fields": r"\w->\w",
        "`struct` types": r"\bstruct \w+",
        "comments": r"/\*|//",
    },
}


def surface(texts, patterns):
    """{name: how many times the pattern occurs in the texts} for the named regular expressions."""
    return {name: sum(len(re.findall(rx, t)) for t in texts) for name, rx in patterns.items()}


def pool(measure, texts):
    """Add up a measure that returns counts (speaker_turns, nesting, tag_nesting) over several
    texts, scoring each on its own so nothing runs from the end of one sample into the next."""
    results = [measure(t) for t in texts]
    totals = [sum(col) for col in zip(*results)]
    return type(results[0])(*totals) if hasattr(results[0], "_fields") else tuple(totals)


def bits(nats):
    """nats per character -> bits per character (the compression literature's unit)."""
    return nats / math.log(2)
