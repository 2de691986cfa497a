"""A word-level LSTM language model, scored per character so it compares with a char model.

Tokens. tokenize() cuts text losslessly into words (runs of letters and apostrophes),
single whitespace characters (space, newline) and single other characters (punctuation,
digits): "".join(tokenize(text)) == text, so the word model pays for every character of the
text, spaces and line breaks included.

Vocabulary. WordVocab keeps the tokens seen at least `min_count` times in the TRAINING text;
every other token becomes <unk>. An unknown word is then paid for twice, as it must be to
compare per character: -ln p(<unk>) from the model, plus the cost of spelling it out under
a character unigram model fitted on the training text's rare tokens (each character, then an
end mark). score() reports both that honest figure and the <unk>-only one (which is not
comparable with a character model: it gets the unknown word's letters for free).

    vocab = WordVocab.from_text(train_text, min_count=2)
    run = train_word_lm(vocab, train_text, hidden=128, steps=1000)
    s = score(run.model, vocab, heldout_text)    # nats per character of heldout_text, perplexities
"""
import math
import re
import time
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..errors import OptionError, TextError
from ..loop import stream_losses, update
from ..text import Batches
from .common import Run, check_option, strict_options

# Chapter 16's sizes: a char LSTM ("char": overrides of the tinyshakespeare preset at this
# scale) and a word LSTM with a tied embedding ("word": train_word_lm options) of about the
# same size; words seen fewer than min_count times in training become <unk>.
PRESETS = {
    "chars-vs-words": {
        "smoke": dict(min_count=2, char=dict(max_steps=20), word=dict(hidden=16, steps=20, batch_size=8, seq_len=16),
                      heldout_chars=5000, sample_chars=200),
        "cpu": dict(min_count=2, char=dict(max_steps=900, lr_decay_every=300, eval_every=900, eval_batches=10),
                    word=dict(hidden=112, steps=900, batch_size=16, seq_len=32, lr=5e-3, lr_decay_every=300),
                    heldout_chars=None, sample_chars=500),
        "gpu": dict(min_count=2, char=dict(), word=dict(hidden=512, n_layers=2, dropout=0.3, steps=6000, batch_size=64,
                                                        seq_len=35, lr=2e-3, lr_decay_every=2000),
                    heldout_chars=None, sample_chars=800),
    },
}

TOKEN = re.compile(r"[A-Za-z']+|\s|[^A-Za-z'\s]")
UNK = "<unk>"


def tokenize(text):
    """Lossless tokens: words, single whitespace characters, single other characters."""
    return TOKEN.findall(text)


def check_text(text, what, tokens=1):
    """TextError unless `text` is a string of at least `tokens` tokens; returns it."""
    if not isinstance(text, str):
        raise TextError(f"{what} must be a string, got {type(text).__name__}")
    if len(tokenize(text)) < tokens:
        raise TextError(f"{what} must hold at least {tokens} token(s) (words, spaces or signs), got {text!r:.40}")
    return text


def is_word(token):
    return token[0].isalpha() or token[0] == "'"


class WordVocab:
    def __init__(self, tokens, spell_counts, alphabet=()):
        self.itos = [UNK] + sorted(tokens)
        self.stoi = {t: i for i, t in enumerate(self.itos)}
        # character unigram for spelling unknown tokens: add-one over the training alphabet and
        # an end mark "", plus one share for a character never seen in training
        symbols = set(alphabet) | set(spell_counts) | {""}
        total = sum(spell_counts.values()) + len(symbols) + 1
        self.spell = {c: math.log((spell_counts.get(c, 0) + 1) / total) for c in symbols}
        self.spell_unseen = math.log(1 / total)

    @classmethod
    def from_text(cls, text, min_count=2):
        check_text(text, "the training text")
        check_option("WordVocab.from_text", "min_count", min_count)
        counts = Counter(tokenize(text))
        kept = {t for t, n in counts.items() if n >= min_count}
        spell = Counter()
        for t, n in counts.items():
            if t not in kept:  # what unknown words look like: spelled with these frequencies
                for c in t:
                    spell[c] += n
                spell[""] += n
        return cls(kept, spell, set(text))

    def __len__(self):
        return len(self.itos)

    def encode(self, tokens):
        return torch.tensor([self.stoi.get(t, 0) for t in tokens], dtype=torch.long)

    def spelling_nats(self, token):
        """-ln q(token) under the character unigram, end mark included."""
        return -sum(self.spell.get(c, self.spell_unseen) for c in token) - self.spell.get("", self.spell_unseen)


class WordLM(nn.Module):
    """Embedding -> LSTM layers -> output layer tied to the embedding (embed = hidden)."""

    @strict_options
    def __init__(self, vocab_size, hidden=128, n_layers=1, dropout=0.0):
        super().__init__()
        self.args = dict(vocab_size=vocab_size, hidden=hidden, n_layers=n_layers, dropout=dropout)
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.lstm = nn.LSTM(hidden, hidden, n_layers, batch_first=True, dropout=dropout if n_layers > 1 else 0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab_size)
        self.head.weight = self.embedding.weight  # tied: halves the parameters a big vocabulary costs

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx, state=None):
        x, state = self.lstm(self.drop(self.embedding(idx)), state)
        return self.head(self.drop(x)), state


@strict_options
def train_word_lm(vocab, text, hidden=128, n_layers=1, dropout=0.0, steps=1000, batch_size=16, seq_len=32,
                  lr=3e-3, lr_decay=0.5, lr_decay_every=0, grad_clip=5.0, seed=0, budget_cpu=None):
    """Truncated BPTT over the token stream of `text` (char-rnn's batching, state carried).
    Returns a Run with every update's loss per token; it measures nothing held out (curve
    empty: score() does, on the chapter's held-out text)."""
    options = {k: v for k, v in locals().items() if k not in ("vocab", "text")}
    check_text(text, "the training text")
    if not isinstance(vocab, WordVocab):
        raise OptionError(f"vocab must be a WordVocab, got {type(vocab).__name__}")
    torch.manual_seed(seed)
    ids = vocab.encode(tokenize(text))
    batches = Batches(ids, batch_size, seq_len, "train")
    model = WordLM(len(vocab), hidden, n_layers, dropout)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses, state, stopped, c0 = [], None, "done", time.process_time()
    for step in range(steps):
        if lr_decay_every:
            for g in opt.param_groups:
                g["lr"] = lr * lr_decay ** (step // lr_decay_every)
        x, y, reset = batches.next()
        if reset:
            state = None
        logits, state = model(x, state)
        losses.append(update(opt, F.cross_entropy(logits.flatten(0, 1), y.flatten()), grad_clip).loss)
        state = tuple(s.detach() for s in state)
        if budget_cpu and time.process_time() - c0 > budget_cpu:
            stopped = "budget"
            break
    return Run(model, [], None, len(losses), len(losses) * batch_size, time.process_time() - c0, stopped, options,
               losses)


def score(model, vocab, text, chunk=1024):
    """The held-out text as one stream (state carried), every token after the first predicted.
    Returns nats per character (honest: unknown words spelled out), the <unk>-only figure,
    the characters and tokens scored, word count, unknown share of words and of tokens."""
    tokens = tokenize(check_text(text, "the scored text", tokens=2))
    ids = vocab.encode(tokens)
    nll = stream_losses(model, ids, chunk)
    predicted = tokens[1:]
    unknown = [t for t, i in zip(predicted, ids[1:].tolist()) if i == 0]
    spelling = sum(vocab.spelling_nats(t) for t in unknown)
    chars = sum(len(t) for t in predicted)
    words = [t for t in predicted if is_word(t)]
    total = nll.sum().item() + spelling
    return {"nats_per_char": total / chars, "nats_per_char_unk_free": nll.sum().item() / chars,
            "total_nats": total, "spelling_nats": spelling, "chars": chars, "tokens": len(predicted),
            "words": len(words), "unknown_words": sum(1 for t in unknown if is_word(t)),
            "unknown_share": sum(1 for t in unknown if is_word(t)) / max(1, len(words)),
            "unknown_tokens": len(unknown), "perplexity_per_token": math.exp(nll.sum().item() / len(predicted))}


@torch.no_grad()
def sample_words(model, vocab, length=200, prime="\n", temperature=1.0, seed=0):
    """`length` tokens after prime (known tokens only: an unknown prime token reads as <unk>);
    unknown tokens print as <unk>."""
    check_text(prime, "the prime")
    for key, value in (("length", length), ("temperature", temperature), ("seed", seed)):
        check_option("sample_words", key, value)
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    ids = vocab.encode(tokenize(prime)).view(1, -1)
    logits, state = model(ids)
    out = []
    for _ in range(length):
        probs = torch.softmax(logits[0, -1] / max(temperature, 1e-8), dim=-1)
        nxt = torch.multinomial(probs, 1, generator=gen)
        out.append(vocab.itos[int(nxt)])
        logits, state = model(nxt.view(1, 1), state)
    model.train()
    return prime + "".join(out)


def score_char_model(model, char_vocab, text, chunk=2048):
    """A CharRNN on the same characters score() counts (all after the first token, so both
    models are charged for exactly the same characters), one stream, state carried."""
    check_text(text, "the scored text", tokens=2)
    skip = len(tokenize(text)[0])
    nll = stream_losses(model, char_vocab.encode(text), chunk)[skip - 1:]  # nll[i]: the loss of character i + 1
    total = nll.sum().item()
    return {"nats_per_char": total / len(nll), "total_nats": total, "chars": len(nll)}
