"""From a text to training batches: the vocabulary, the split, and char-rnn's batching.

Vocabulary. The symbols are the distinct characters of the whole corpus file (as char-rnn
does, so val and test never hold an unknown symbol), sorted. With encoding="bytes" the
corpus was read one symbol per byte (see rnnkit.data.read_text); the Vocab then turns
UTF-8 prime text into bytes on the way in and decodes bytes on the way out, so samples
print as normal text (bytes that make no whole UTF-8 character are left out, see decode).

Batching. Each split is cut into `batch_size` contiguous streams, one per batch row; the
batch at position p holds characters [p*seq_len, (p+1)*seq_len) of every stream. So row r
of one batch continues row r of the previous batch, which is what lets the trainer carry
the hidden state across chunks (truncated BPTT). When the data wraps, `reset` is True and
the state must start from zeros again.

Memory. A corpus is encoded a slice at a time into the smallest integer type that holds its
vocabulary (uint8 up to 256 symbols: one byte a character, as the text itself), so a 200 MB
corpus costs about twice its size while it is read (rnnkit.memory and the README say the
measured peak); batches come out as the int64 that torch's layers and losses take.
"""
import codecs

import numpy as np
import torch

from .errors import OptionError, TextError


def check_known(sym, stoi, what="text"):
    """A clear error naming the symbols of `sym` that are not in the vocabulary `stoi`."""
    unknown = sorted(set(sym) - stoi.keys())
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise TextError(f"{what} has {len(unknown)} character(s) the model never saw: {shown}")


class Vocab:
    def __init__(self, chars, encoding="utf-8"):
        self.chars = list(chars)
        self.encoding = encoding
        self.stoi = {c: i for i, c in enumerate(self.chars)}
        if len(self.stoi) != len(self.chars):
            raise TextError("vocabulary has repeated symbols")

    @classmethod
    def from_text(cls, text, encoding="utf-8"):
        if not text:
            raise TextError("cannot build a vocabulary from empty text")
        return cls(sorted(set(text)), encoding)

    def __len__(self):
        return len(self.chars)

    def symbols(self, text):
        """User text -> the symbol string the model reads (bytes mode: one symbol per byte)."""
        return text.encode("utf-8").decode("latin-1") if self.encoding == "bytes" else text

    def encode(self, text, what="text"):
        """Text (as a user types it) -> LongTensor of ids; unknown characters are an error."""
        sym = self.symbols(text)
        if self.encoding == "bytes" and not set(sym) <= self.stoi.keys():
            # name the characters the user typed ('€'), not the UTF-8 bytes the model reads
            unknown = [c for c in set(text) if not set(self.symbols(c)) <= self.stoi.keys()]
            check_known(unknown, {}, what)
        check_known(sym, self.stoi, what)
        return torch.tensor([self.stoi[c] for c in sym], dtype=torch.long)

    def id_dtype(self):
        """The smallest numpy integer type that holds every id of this vocabulary."""
        return np.uint8 if len(self) <= 256 else np.int16 if len(self) <= 32767 else np.int32

    def encode_symbols(self, sym, chunk=1 << 20):
        """A whole corpus already in symbols -> ids in id_dtype(), via a lookup table, a
        slice of `chunk` symbols at a time (the peak stays near the text's own size)."""
        lut = np.full(max(map(ord, self.chars)) + 1, -1, dtype=np.int32)
        lut[[ord(c) for c in self.chars]] = np.arange(len(self.chars))
        out = np.empty(len(sym), dtype=self.id_dtype())
        for start in range(0, len(sym), chunk):
            cps = np.frombuffer(sym[start:start + chunk].encode("utf-32-le"), dtype=np.uint32)
            ids = np.where(cps < len(lut), lut[np.minimum(cps, len(lut) - 1)], -1)
            if (ids < 0).any():
                unknown = sorted({chr(c) for c in cps[ids < 0][:10000]})
                raise TextError(f"text has character(s) outside the vocabulary: {unknown[:10]}")
            out[start:start + len(cps)] = ids
        return torch.from_numpy(out)

    def decode(self, ids):
        """ids -> text. Bytes mode reads the bytes as UTF-8 and leaves out those that do not make
        a whole character (a model can write half of one, a slice can cut one): no sample ever
        shows the replacement character \ufffd for them."""
        sym = "".join(self.chars[int(i)] for i in ids)
        if self.encoding == "bytes":
            return sym.encode("latin-1").decode("utf-8", errors="ignore")
        return sym

    def decoder(self):
        """decode() for a text that comes in pieces: decode(ids, final=False) for each piece
        (a byte vocabulary keeps a character cut between two pieces until its end arrives);
        the pieces joined are decode() of the whole."""
        if self.encoding != "bytes":
            return lambda ids, final=False: "".join(self.chars[int(i)] for i in ids)
        utf8 = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        return lambda ids, final=False: utf8.decode("".join(self.chars[int(i)] for i in ids).encode("latin-1"), final)

    def state_dict(self):
        return {"chars": "".join(self.chars), "encoding": self.encoding}

    @classmethod
    def from_state(cls, state):
        return cls(state["chars"], state["encoding"])


def split(ids, fractions=(0.9, 0.05, 0.05)):
    """Cut ids into contiguous train/val/test parts, in that order (no shuffling: text is a stream)."""
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-6:
        raise TextError(f"split fractions must be three non-negative numbers summing to 1, got {fractions}")
    n = len(ids)
    a = int(n * fractions[0])
    b = a + int(n * fractions[1])
    parts = (ids[:a], ids[a:b], ids[b:])
    for name, part, f in zip(("train", "val", "test"), parts, fractions):
        if f > 0 and len(part) < 2:
            raise TextError(f"the {name} split would hold {len(part)} characters: the text "
                             f"({n} characters) is too small for split {fractions}")
    return parts


class Batches:
    """char-rnn batches over one split; `rows` picks the batch rows of one process (DDP)."""

    def __init__(self, ids, batch_size, seq_len, name="train", rows=None):
        if batch_size < 1 or seq_len < 1:
            raise OptionError(f"batch_size and seq_len must be at least 1, got {batch_size} and {seq_len}")
        n = len(ids) - 1  # inputs need a next character as target
        if n < seq_len:
            raise TextError(f"the {name} split has {len(ids)} characters, fewer than seq_len+1 = "
                             f"{seq_len + 1}; use more text or a smaller seq_len")
        if n < batch_size * seq_len:
            # Documented shrink: fewer rows rather than an empty split.
            batch_size = n // seq_len
        self.batch_size, self.seq_len, self.name = batch_size, seq_len, name
        length = n // batch_size  # characters per stream
        self.n_chunks = length // seq_len
        used = batch_size * length
        self.x = ids[:used].view(batch_size, length)
        self.y = ids[1:used + 1].view(batch_size, length)
        if rows is not None:
            self.x, self.y = self.x[rows], self.y[rows]
            self.batch_size = self.x.shape[0]
        self.pos = 0

    def __len__(self):
        return self.n_chunks

    def next(self):
        """(x, y, reset): the next chunk of every stream; reset is True at the start of the data."""
        reset = self.pos == 0
        s = slice(self.pos * self.seq_len, (self.pos + 1) * self.seq_len)
        x, y = self.x[:, s].long(), self.y[:, s].long()  # compact ids in, int64 out (layers, losses)
        self.pos = (self.pos + 1) % self.n_chunks
        return x, y, reset

    def __iter__(self):
        """One pass from the start (evaluation); does not disturb the training position."""
        for p in range(self.n_chunks):
            s = slice(p * self.seq_len, (p + 1) * self.seq_len)
            yield self.x[:, s].long(), self.y[:, s].long(), p == 0
