"""One to many: write a name for a given label ("female" or "male"), one character at a time.

    gen = train_generator(split, vocab, seed=0, **presets.task("names-generate", "cpu"))
    sample_names(gen.model, vocab, label=0, n=200, temperature=1.0, seed=1)

A character-level LSTM, as in chapter 8, with one change: the label is an input at every step.
Each step reads the embedding of the previous character concatenated with a learned embedding
of the label. (The other common choice sets the initial state from the label; then the label's
information has to survive in the state through every step, while here it is in front of the
model whenever it chooses a letter, the last one included, which is the letter that most
separates female from male names.)

A name is read as "\\n" + name and trained to predict name + "\\n": the newline is both the
start and the end token, as in chapter 8's stream of names. The vocabulary is the classifier's
(rnnkit.classify.NameVocab), with the newline added.
"""
import time
from dataclasses import dataclass

import torch
from torch import nn

from .classify import PAD, ClassifyError, NameVocab

BOUNDARY = "\n"


def generator_vocab(names):
    """The names' characters plus the start/end newline (index 0 stays padding)."""
    return NameVocab(set("".join(names)) | {BOUNDARY})


class ConditionalNameModel(nn.Module):
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


@dataclass
class Generator:
    model: ConditionalNameModel
    history: list          # (epoch, train loss, val loss) in nats per character
    cpu_seconds: float


def _batch(pairs, vocab):
    ids, lengths = vocab.encode([BOUNDARY + n + BOUNDARY for n, _ in pairs])
    return ids[:, :-1], ids[:, 1:], torch.tensor([y for _, y in pairs])  # padding targets are PAD: ignored


def _loss(model, pairs, vocab):
    x, t, y = _batch(pairs, vocab)
    logits, _ = model(x, y)
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), t.reshape(-1), ignore_index=PAD)


def train_generator(split, vocab, seed=0, epochs=20, batch_size=32, lr=5e-3, **model_options):
    """Adam over shuffled passes of split.train; keeps the weights of the epoch with the lowest
    validation loss (split.val)."""
    if BOUNDARY not in vocab.stoi:
        raise ClassifyError("the generator's vocabulary needs the newline: use generator_vocab(names)")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    n_labels = 1 + max(y for _, y in split.train)
    model = ConditionalNameModel(len(vocab), n_labels, **model_options)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, epochs // 2), gamma=0.3)
    best, best_state, history = float("inf"), None, []
    start = time.process_time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(split.train), generator=gen).tolist()
        total, count = 0.0, 0
        for i in range(0, len(order), batch_size):
            loss = _loss(model, [split.train[j] for j in order[i:i + batch_size]], vocab)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total, count = total + loss.item(), count + 1
        sched.step()
        model.eval()
        with torch.no_grad():
            val = _loss(model, split.val, vocab).item()
        history.append((epoch, total / count, val))
        if val < best:
            best, best_state = val, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    return Generator(model, history, time.process_time() - start)


@torch.no_grad()
def sample_names(model, vocab, label, n=100, temperature=1.0, max_len=20, seed=0):
    """n names drawn for `label` (an index), each from the start token until the end token
    (names still unfinished after max_len characters are dropped)."""
    if temperature <= 0:
        raise ClassifyError(f"temperature must be positive, got {temperature}")
    g = torch.Generator().manual_seed(seed)
    model.eval()
    prev = torch.full((n, 1), vocab.stoi[BOUNDARY], dtype=torch.long)
    labels = torch.full((n,), label, dtype=torch.long)
    state, rows, done = None, [[] for _ in range(n)], torch.zeros(n, dtype=torch.bool)
    for _ in range(max_len + 1):
        logits, state = model(prev, labels, state)
        logits = logits[:, -1] / temperature
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
