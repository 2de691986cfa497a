"""Many to many, delayed: an encoder-decoder that learns to add ("535+61" -> "596").

    sizes = options("addition", "cpu")                 # {"data": ..., "train": ..., "plain_examples"}
    data = addition_data(**sizes["data"], seed=0)      # n_train, n_val, n_test, digits
    vocab = AdditionVocab()
    run = train(data["train"], data["val"], vocab, attention=True, seed=0, **sizes["train"])
    exact_match(run.model, vocab, data["test"])        # share of sums written exactly right
    answers, weights = decode(run.model, vocab, ["535+61"])  # greedy, with the attention map

The data follow the Keras example "Sequence to sequence learning for performing number
addition": each operand has a random number of digits (1 to `digits`) and random digits, and a
pair is never drawn twice (a+b and b+a count as the same pair), so validation and test sums are
never seen in training.

The encoder is an LSTM that reads the question; its final state starts the decoder, an LSTM
that writes the answer one character at a time from "^" to "$" (trained with teacher forcing:
it reads the true previous character). Three variants:
  plain      the decoder sees the question only through that final state (Sutskever et al. 2014);
  reverse    the same, reading the question right to left (their trick: the first input the
             decoder needs is then the last one the encoder read);
  attention  Luong et al. (2015) "general" (bilinear) attention: at each output step the decoder
             state s scores every encoder state h_i as s . W h_i, a softmax over the real (not
             padded) positions gives weights a_i, the context is sum_i a_i h_i, and the output
             comes from tanh(W_c [s; context]). The weights are what the heat map draws.
             With `bidirectional=True` the encoder reads both ways, as in Bahdanau et al.
             (2015): each h_i is [forward; backward], hidden/2 units each, so a digit's state
             knows what stands on both sides of it (its place value, and the digits to its
             right that decide the carry); the decoder starts from [forward final; backward final].
"""
import random
import time
from collections import namedtuple

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..errors import RnnkitError
from ..loop import update
from .common import Run, check_pairs, check_texts, strict_options
from .padding import PAD, pad, reverse_within

START, END = 1, 2  # after PAD (0)

# Chapter 13's sizes: the sums ("data": addition_data), the attention model's training
# ("train": train), and the budget of the two models without attention ("plain_examples").
PRESETS = {
    "addition": {
        "smoke": dict(data=dict(digits=2, n_train=2000, n_val=200, n_test=200),
                      train=dict(embed=16, hidden=32, batch_size=64, lr=1e-2, max_examples=6000, eval_every=3000,
                                 target=0.99),
                      plain_examples=3000),
        # attention (lr 2e-2 falling to 2e-3) reaches 99% near 200k examples, ~55 CPU s; the Keras example
        # needs ~5M without attention
        "cpu": dict(data=dict(digits=3, n_train=50000, n_val=1000, n_test=2000),
                    train=dict(embed=16, hidden=64, batch_size=64, lr=2e-2, max_examples=200000, eval_every=20000,
                               target=0.99),
                    plain_examples=60000),
        "gpu": dict(data=dict(digits=3, n_train=50000, n_val=2000, n_test=5000),
                    train=dict(embed=32, hidden=256, batch_size=128, lr=2e-3, max_examples=5000000,
                               eval_every=100000, target=0.99),
                    plain_examples=5000000),
    },
}


class Seq2SeqError(RnnkitError, ValueError):
    """A problem with the seq2seq data or options; the message is one line."""


# ----------------------------------------------------------------------------- data

def _number(rng, digits, exact):
    if exact:  # exactly `digits` digits, no leading zero
        return rng.randint(10 ** (digits - 1), 10 ** digits - 1)
    return int("".join(rng.choice("0123456789") for _ in range(rng.randint(1, digits))))


@strict_options
def addition_data(n_train, n_val, n_test, digits=3, seed=0, exact=False, exclude=()):
    """{"train", "val", "test"}: lists of (question, answer) strings, e.g. ("535+61", "596"),
    with no pair in two of them (nor in `exclude`, a collection of questions). `exact=True`
    draws operands of exactly `digits` digits (the length-generalisation test)."""
    rng = random.Random(seed)
    try:
        seen = {tuple(sorted(map(int, q.split("+")))) for q in exclude}
    except (AttributeError, TypeError, ValueError):
        raise Seq2SeqError(f"exclude must hold questions such as '535+61', got {exclude!r:.60}") from None
    need = n_train + n_val + n_test
    pairs, tries = [], 0
    while len(pairs) < need:
        tries += 1
        if tries > 50 * need + 1000:
            raise Seq2SeqError(f"cannot draw {need:,} distinct pairs of {digits}-digit numbers")
        a, b = _number(rng, digits, exact), _number(rng, digits, exact)
        key = (min(a, b), max(a, b))
        if key not in seen:
            seen.add(key)
            pairs.append((f"{a}+{b}", str(a + b)))
    return {"train": pairs[:n_train], "val": pairs[n_train:n_train + n_val], "test": pairs[n_train + n_val:]}


class AdditionVocab:
    """<pad>, ^ (start), $ (end), + and the ten digits."""

    chars = ["<pad>", "^", "$", "+", *"0123456789"]

    def __init__(self):
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, texts, start=False, end=False):
        """(ids, lengths): a (batch, longest) LongTensor padded with 0, and each row's length."""
        check_texts(texts, "the questions and answers")
        rows = []
        for t in texts:
            bad = set(t) - set(self.chars[3:])
            if bad:
                raise Seq2SeqError(f"characters not in the addition vocabulary: {''.join(sorted(bad))!r}")
            rows.append([START] * start + [self.stoi[c] for c in t] + [END] * end)
        return pad(rows)

    def decode(self, ids):
        """The characters before the first end (or padding) token."""
        out = []
        for i in ids:
            if i in (END, PAD):
                break
            out.append(self.chars[i] if i != START else "")
        return "".join(out)


# ----------------------------------------------------------------------------- model

class Seq2Seq(nn.Module):
    @strict_options
    def __init__(self, vocab_size, embed=16, hidden=128, attention=False, reverse=False, bidirectional=False):
        super().__init__()
        if bidirectional and hidden % 2:
            raise Seq2SeqError(f"a bidirectional encoder splits hidden={hidden} in two halves: make it even")
        self.attention, self.reverse, self.bidirectional = attention, reverse, bidirectional
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=PAD)  # shared by both sides
        self.encoder = nn.LSTM(embed, hidden // 2 if bidirectional else hidden, batch_first=True,
                               bidirectional=bidirectional)
        self.decoder = nn.LSTM(embed, hidden, batch_first=True)
        if attention:
            self.score = nn.Linear(hidden, hidden, bias=False)   # W in s . W h_i
            self.combine = nn.Linear(2 * hidden, hidden)          # W_c in tanh(W_c [s; context])
        self.out = nn.Linear(hidden, vocab_size)

    def encode(self, src, lengths):
        """Encoder states (batch, src_len, hidden), zero on padding, and the final (h, c),
        taken at each question's own last character (packed)."""
        if self.reverse:
            src = reverse_within(src, lengths)
        packed = pack_padded_sequence(self.embed(src), lengths.cpu(), batch_first=True, enforce_sorted=False)
        states, (h, c) = self.encoder(packed)
        states, _ = pad_packed_sequence(states, batch_first=True, total_length=src.shape[1])
        if self.bidirectional:  # (2, batch, hidden/2) -> (1, batch, hidden): [forward; backward]
            h, c = (torch.cat([x[0], x[1]], -1)[None] for x in (h, c))
        return states, (h, c)

    def attend(self, s, states, lengths):
        """Weights (batch, out_len, src_len): a softmax over each question's real positions,
        exactly zero on padding; and the contexts (batch, out_len, hidden)."""
        scores = s @ self.score(states).transpose(1, 2)
        real = torch.arange(states.shape[1])[None, :] < lengths[:, None]
        weights = scores.masked_fill(~real[:, None, :], float("-inf")).softmax(-1)
        return weights, weights @ states

    def _logits(self, s, states, lengths):
        if not self.attention:
            return self.out(s), None
        weights, context = self.attend(s, states, lengths)
        return self.out(torch.tanh(self.combine(torch.cat([s, context], -1)))), weights

    def forward(self, src, lengths, tgt_in):
        """Teacher forcing: logits (batch, tgt_len, vocab) for each next character."""
        states, final = self.encode(src, lengths)
        s, _ = self.decoder(self.embed(tgt_in), final)
        return self._logits(s, states, lengths)[0]

    @torch.no_grad()
    def greedy(self, src, lengths, max_len):
        """Write up to max_len characters, each the most likely one given those before it.
        Returns ids (batch, max_len) and attention weights (batch, max_len, src_len) or None."""
        states, state = self.encode(src, lengths)
        prev = torch.full((len(src), 1), START, dtype=torch.long)
        ids, maps = [], []
        for _ in range(max_len):
            s, state = self.decoder(self.embed(prev), state)
            logits, w = self._logits(s, states, lengths)
            prev = logits.argmax(-1)
            ids.append(prev)
            maps.append(w)
        return torch.cat(ids, 1), (torch.cat(maps, 1) if self.attention else None)


# ----------------------------------------------------------------------------- training

Check = namedtuple("Check", "examples cpu_seconds val_exact_match")  # a point of the curve


def _batch_loss(model, vocab, chunk):
    """Cross-entropy with teacher forcing over the answers of a list of (question, answer)."""
    src, lengths = vocab.encode([q for q, _ in chunk])
    tgt, _ = vocab.encode([a for _, a in chunk], start=True, end=True)
    logits = model(src, lengths, tgt[:, :-1])
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1),
                                       ignore_index=PAD)


@strict_options
def train(train_pairs, val_pairs, vocab, attention=False, reverse=False, bidirectional=False, embed=16, hidden=128,
          batch_size=64, lr=5e-3, max_examples=500000, eval_every=25000, target=None, seed=0, verbose=False):
    """Adam on cross-entropy with teacher forcing, in shuffled passes over train_pairs, until
    `max_examples` examples or until validation exact match reaches `target` (checked every
    `eval_every` examples). The learning rate falls linearly to a tenth over the run.
    Returns a Run of Check points; its model holds the last weights."""
    options = {k: v for k, v in locals().items() if k not in ("train_pairs", "val_pairs", "vocab")}
    check_pairs(train_pairs, "train_pairs")
    check_pairs(val_pairs, "val_pairs")
    if not isinstance(vocab, AdditionVocab):
        raise Seq2SeqError(f"vocab must be an AdditionVocab, got {type(vocab).__name__}")
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float)) or target != target):
        raise Seq2SeqError(f"target must be a share of sums (above 1: never reached) or None, got {target!r}")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Seq2Seq(len(vocab), embed, hidden, attention, reverse, bidirectional)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    total_steps = max(1, max_examples // batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1 - 0.9 * min(step, total_steps) / total_steps)
    order, seen, curve, losses, reached_at = [], 0, [], [], None
    start = time.process_time()
    while seen < max_examples and reached_at is None:
        if len(order) < batch_size:
            order += rng.sample(range(len(train_pairs)), len(train_pairs))
        chunk, order = [train_pairs[i] for i in order[:batch_size]], order[batch_size:]
        model.train()
        losses.append(update(opt, _batch_loss(model, vocab, chunk), grad_clip=5.0).loss)
        sched.step()
        before, seen = seen, seen + len(chunk)
        if seen // eval_every > before // eval_every or seen >= max_examples:
            curve.append(Check(seen, time.process_time() - start, exact_match(model, vocab, val_pairs)))
            if verbose:
                print(f"{seen:,} examples, {curve[-1].cpu_seconds:.0f} CPU s: validation exact match "
                      f"{curve[-1].val_exact_match:.1%}", flush=True)
            if target is not None and curve[-1].val_exact_match >= target:
                reached_at = seen
    model.eval()
    best = max(curve, key=lambda c: c.val_exact_match, default=None)
    return Run(model, curve, best, len(losses), seen, time.process_time() - start,
               "target" if reached_at is not None else "done", options, losses, reached_at=reached_at)


# ----------------------------------------------------------------------------- decoding

def decode(model, vocab, questions, max_len=None, batch_size=1000):
    """Greedy answers to `questions`, and the attention weights (one tensor per question:
    output steps x question characters, up to and including the end token) or None."""
    check_texts(questions, "questions")
    max_len = max_len or max(len(q) for q in questions) // 2 + 3
    answers, maps = [], []
    for i in range(0, len(questions), batch_size):
        qs = questions[i:i + batch_size]
        src, lengths = vocab.encode(qs)
        ids, w = model.greedy(src, lengths, max_len)
        for j, row in enumerate(ids.tolist()):
            answers.append(vocab.decode(row))
            if w is not None:
                maps.append(w[j, :len(answers[-1]) + 1, :len(qs[j])])
    return answers, (maps if model.attention else None)


def exact_match(model, vocab, pairs):
    """Share of questions whose greedy answer is exactly right (every digit, nothing more)."""
    check_pairs(pairs, "pairs")
    answers, _ = decode(model, vocab, [q for q, _ in pairs])
    return sum(a == t for a, (_, t) in zip(answers, pairs)) / len(pairs)


def exact_accuracy(model, vocab, pairs):
    """exact_match as a classify.Accuracy: how many sums are exactly right, of how many, with its
    95% interval."""
    from .classify import Accuracy
    answers, _ = decode(model, vocab, [q for q, _ in pairs])
    return Accuracy(sum(a == t for a, (_, t) in zip(answers, pairs)), len(pairs))


@torch.no_grad()
def character_accuracy(model, vocab, pairs, batch_size=1000):
    """(forced, free): the share of the answers' characters (the end mark included) predicted
    right when every step reads the true previous characters (teacher forcing, as in training)
    and when it reads its own (greedy decoding, as when it answers). The gap is exposure bias:
    characters lost because an earlier mistake took the decoder off the path it was trained on."""
    model.eval()
    right_forced = right_free = total = 0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i:i + batch_size]
        src, lengths = vocab.encode([q for q, _ in chunk])
        tgt, _ = vocab.encode([a for _, a in chunk], start=True, end=True)
        target, real = tgt[:, 1:], tgt[:, 1:] != PAD
        forced = model(src, lengths, tgt[:, :-1]).argmax(-1)
        free, _ = model.greedy(src, lengths, target.shape[1])
        right_forced += int(((forced == target) & real).sum())
        right_free += int(((free == target) & real).sum())
        total += int(real.sum())
    return right_forced / total, right_free / total


def has_carry(question):
    """True when some place of "a+b" adds up to 10 or more (a carry into the next place)."""
    a, b = question.split("+")
    return any(int(x) + int(y) >= 10 for x, y in zip(a[::-1], b[::-1]))


@torch.no_grad()
def beam_answer(model, vocab, question, width=3, max_len=None):
    """The answer with the highest total log-probability among `width` partial answers kept
    at each step (beam search); width 1 is greedy decoding. The live beams run as one batch."""
    check_texts([question] if isinstance(question, str) else question, "the question")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise Seq2SeqError(f"width must be a whole number of at least 1, got {width!r}")
    max_len = max_len or len(question) // 2 + 3
    src, lengths = vocab.encode([question])
    states, (h, c) = model.encode(src, lengths)
    beams, scores, done = [[START]], torch.zeros(1), []  # done: (log-probability, ids)
    for _ in range(max_len):
        k = len(beams)
        s, (h, c) = model.decoder(model.embed(torch.tensor([[b[-1]] for b in beams])), (h, c))
        logp = model._logits(s, states.expand(k, -1, -1), lengths.expand(k))[0][:, -1].log_softmax(-1)
        total = (scores[:, None] + logp).flatten()
        top = total.topk(min(width, len(total)))
        keep = []
        for score, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, char = divmod(flat, logp.shape[1])
            if char == END:
                done.append((score, beams[row] + [char]))
            else:
                keep.append((score, row, char))
        if not keep:
            break
        rows = torch.tensor([r for _, r, _ in keep])
        beams = [beams[r] + [ch] for _, r, ch in keep]
        scores = torch.tensor([sc for sc, _, _ in keep])
        h, c = h[:, rows], c[:, rows]
    best = max(done + list(zip(scores.tolist(), beams)), key=lambda b: b[0])
    return vocab.decode(best[1][1:])


def beam_exact_match(model, vocab, pairs, width=3):
    check_pairs(pairs, "pairs")
    return sum(beam_answer(model, vocab, q, width) == a for q, a in pairs) / len(pairs)


# ----------------------------------------------------------------------------- reading the attention

def digit_positions(question, place):
    """Positions in `question` ("a+b") of the digits of place value `place` (0: units) of each
    operand, where it has one."""
    a, b = question.split("+")
    out = []
    if place < len(a):
        out.append(len(a) - 1 - place)
    if place < len(b):
        out.append(len(question) - 1 - place)
    return out


def attention_by_place(questions, answers, maps):
    """Where the decoder looks while writing each digit of its answer, averaged over all digits
    written: the share of attention on the operands' digits of the same place value, on the
    digits one place lower (those that decide the carry into this place), and elsewhere."""
    same = lower = n = 0.0
    for q, a, w in zip(questions, answers, maps):
        for j in range(len(a)):
            place = len(a) - 1 - j
            same += float(sum(w[j, i] for i in digit_positions(q, place)))
            lower += float(sum(w[j, i] for i in digit_positions(q, place - 1))) if place else 0.0
            n += 1
    if not n:
        return {"same place": float("nan"), "one place lower": float("nan"), "elsewhere": float("nan")}
    return {"same place": same / n, "one place lower": lower / n, "elsewhere": 1 - (same + lower) / n}
