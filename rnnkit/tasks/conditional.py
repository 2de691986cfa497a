"""One to many: write a name for a given label ("female" or "male"), one character at a time.

    run = train_generator(split, vocab, seed=0, **options("names-generate", "cpu"))
    sample_names(run.model, vocab, label=0, n=200, temperature=1.0, seed=1)

A character-level LSTM, as in chapter 8, with one change: the label is an input at every step.
Each step reads the embedding of the previous character concatenated with a learned embedding
of the label. (The other common choice sets the initial state from the label; then the label's
information has to survive in the state through every step, while here it is in front of the
model whenever it chooses a letter, the last one included, which is the letter that most
separates female from male names.)

A name is read as "\\n" + name and trained to predict name + "\\n": the newline is both the
start and the end token, as in chapter 8's stream of names. The vocabulary is the classifier's
padded one (rnnkit.tasks.padding.NameVocab), with the newline added.
"""
import time
from collections import namedtuple

import torch
from torch import nn

from ..errors import OptionError
from ..loop import update
from ..sample import scaled_logits
from .common import Run, check_option, check_pairs, strict_options
from .padding import PAD, NameVocab, batches

BOUNDARY = "\n"

# Chapter 12's sizes.
PRESETS = {
    "names-generate": {
        "smoke": dict(embed=16, hidden=32, batch_size=64, lr=1e-2, dropout=0.0, epochs=2),
        "cpu": dict(embed=32, hidden=128, batch_size=32, lr=5e-3, dropout=0.0, epochs=20),
        "gpu": dict(embed=64, hidden=256, batch_size=64, lr=2e-3, dropout=0.3, epochs=60),
    },
}


def generator_vocab(names):
    """The names' characters plus the start/end newline (index 0 stays padding)."""
    return NameVocab(set("".join(names)) | {BOUNDARY})


class ConditionalNameModel(nn.Module):
    @strict_options
    def __init__(self, vocab_size, n_labels=2, embed=32, hidden=128, label_embed=8, n_layers=1, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=PAD)
        self.label = nn.Embedding(n_labels, label_embed)
        self.rnn = nn.LSTM(embed + label_embed, hidden, n_layers, batch_first=True,
                           dropout=dropout if n_layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, ids, labels, state=None):
        """Logits (batch, time, vocab) for the next character, and the LSTM state."""
        lab = self.label(labels)[:, None, :].expand(-1, ids.shape[1], -1)
        h, state = self.rnn(torch.cat([self.embed(ids), lab], -1), state)
        return self.out(self.drop(h)), state


Epoch = namedtuple("Epoch", "epoch train_loss val_loss")  # a point of a generator's curve (nats per character)


def _batch(pairs, vocab):
    ids, lengths = vocab.encode([BOUNDARY + n + BOUNDARY for n, _ in pairs])
    return ids[:, :-1], ids[:, 1:], torch.tensor([y for _, y in pairs])  # padding targets are PAD: ignored


def _loss(model, pairs, vocab):
    x, t, y = _batch(pairs, vocab)
    logits, _ = model(x, y)
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), t.reshape(-1), ignore_index=PAD)


@strict_options
def train_generator(split, vocab, seed=0, epochs=20, batch_size=32, lr=5e-3, embed=32, hidden=128, label_embed=8,
                    n_layers=1, dropout=0.0):
    """Adam over shuffled passes of split.train, the lr cut to 0.3x halfway; returns a Run of
    Epoch points whose model holds the weights of the epoch with the lowest validation loss."""
    options = {k: v for k, v in locals().items() if k not in ("split", "vocab")}
    if not isinstance(vocab, NameVocab) or BOUNDARY not in vocab.stoi:
        raise OptionError("the generator's vocabulary needs the newline: use generator_vocab(names)")
    for part in ("train", "val"):
        check_pairs(getattr(split, part, None), f"split.{part}", second=int)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    n_labels = 1 + max(y for _, y in split.train)
    model = ConditionalNameModel(len(vocab), n_labels, embed, hidden, label_embed, n_layers, dropout)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, epochs // 2), gamma=0.3)
    best, best_state, curve, losses = None, None, [], []
    start = time.process_time()
    for epoch in range(1, epochs + 1):
        model.train()
        first = len(losses)
        for chunk in batches(split.train, batch_size, gen):
            losses.append(update(opt, _loss(model, chunk, vocab), grad_clip=5.0).loss)
        sched.step()
        model.eval()
        with torch.no_grad():
            val = _loss(model, split.val, vocab).item()
        curve.append(Epoch(epoch, sum(losses[first:]) / (len(losses) - first), val))
        if best is None or val < best.val_loss:
            best, best_state = curve[-1], {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    return Run(model, curve, best, len(losses), len(split.train) * epochs, time.process_time() - start, "done",
               options, losses)


@torch.no_grad()
def sample_names(model, vocab, label, n=100, temperature=1.0, max_len=20, seed=0):
    """n names drawn for `label` (an index), each from the start token until the end token
    (names still unfinished after max_len characters are dropped); a temperature too small to
    divide by takes the most likely letter every time."""
    n_labels = model.label.num_embeddings
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < n_labels:
        raise OptionError(f"label must be a label index from 0 to {n_labels - 1}, got {label!r}")
    for key, value in (("n", n), ("max_len", max_len), ("temperature", temperature), ("seed", seed)):
        check_option("sample_names", key, value)
    if temperature == 0:
        raise OptionError("temperature must be positive, got 0: sample_names draws names")
    g = torch.Generator().manual_seed(seed)
    model.eval()
    prev = torch.full((n, 1), vocab.stoi[BOUNDARY], dtype=torch.long)
    labels = torch.full((n,), label, dtype=torch.long)
    state, rows, done = None, [[] for _ in range(n)], torch.zeros(n, dtype=torch.bool)
    for _ in range(max_len + 1):
        logits, state = model(prev, labels, state)
        logits = scaled_logits(logits[:, -1], temperature)  # a tiny temperature: argmax, never nan
        logits[:, PAD] = float("-inf")
        prev = torch.multinomial(logits.softmax(-1), 1, generator=g)
        for i, c in enumerate(prev[:, 0].tolist()):
            if not done[i]:
                if c == vocab.stoi[BOUNDARY]:
                    done[i] = True
                else:
                    rows[i].append(vocab.chars[c])
        if done.all():
            break
    return ["".join(r) for r, d in zip(rows, done.tolist()) if d and r]


def judged_samples(model, vocab, judge, judge_vocab, label, known, n=500, temperature=1.0, seed=0):
    """Names drawn for `label` and what a classifier (chapter 11's, the judge) makes of them:
    {"names": those it can read, "new": those not in `known`, "asked": an Accuracy, how many of
    the names the judge gives `label` (P > 0.5), "asked_new": the same for the new ones}."""
    from .classify import Accuracy, probabilities
    names = [x for x in sample_names(model, vocab, label, n=n, temperature=temperature, seed=seed)
             if set(x) <= set(judge_vocab.stoi)]
    new = [x for x in names if x not in known]

    def asked(group):
        probs = probabilities(judge, judge_vocab, group)[:, label] if group else torch.zeros(0)
        return Accuracy(int((probs > 0.5).sum()), len(group))
    return {"names": names, "new": new, "asked": asked(names), "asked_new": asked(new)}
