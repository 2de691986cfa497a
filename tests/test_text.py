import pytest
import torch

from rnnkit.errors import TextError
from rnnkit.text import Batches, Vocab, split


def test_vocab_roundtrip_and_sorted():
    v = Vocab.from_text("hello world")
    assert v.chars == sorted(set("hello world"))
    assert v.decode(v.encode("hold")) == "hold"


def test_unknown_prime_characters_are_named():
    v = Vocab.from_text("abc")
    with pytest.raises(ValueError, match=r"prime text has 2 character\(s\).*'x'.*'z'"):
        v.encode("axbz", what="prime text")


def test_bytes_vocab_takes_utf8_prime_and_decodes_samples():
    text = "café\r\n".encode("utf-8").decode("latin-1")  # how data.read_text(encoding="bytes") reads it
    v = Vocab.from_text(text, encoding="bytes")
    assert len(v) == 7  # c a f, two bytes of é, \r, \n
    ids = v.encode("café")
    assert len(ids) == 5
    assert v.decode(ids) == "café"


def test_encode_symbols_matches_encode_and_rejects_unknown():
    text = "the quick brown fox\njumps"
    v = Vocab.from_text(text)
    assert torch.equal(v.encode_symbols(text), v.encode(text))
    with pytest.raises(ValueError, match="outside the vocabulary"):
        v.encode_symbols("the €")


def test_split_is_contiguous_and_in_order():
    ids = torch.arange(1000)
    tr, va, te = split(ids, (0.8, 0.1, 0.1))
    assert (len(tr), len(va), len(te)) == (800, 100, 100)
    assert torch.equal(torch.cat([tr, va, te]), ids)


def test_split_rejects_bad_fractions_and_tiny_text():
    with pytest.raises(ValueError, match="sum"):
        split(torch.arange(100), (0.5, 0.1, 0.1))
    with pytest.raises(ValueError, match="too small"):
        split(torch.arange(10), (0.9, 0.05, 0.05))


def test_batches_rows_are_contiguous_streams_and_wrap_resets():
    ids = torch.arange(1001)
    b = Batches(ids, batch_size=4, seq_len=10)
    assert len(b) == 25  # 1000 targets / 4 rows = 250 per stream = 25 chunks
    x0, y0, reset0 = b.next()
    x1, y1, reset1 = b.next()
    assert reset0 and not reset1
    assert torch.equal(y0, x0 + 1)                       # targets are the next character
    assert torch.equal(x1[:, 0], x0[:, -1] + 1)          # row r continues row r
    assert torch.equal(x0[1, 0], torch.tensor(250))      # row 1 starts a quarter in
    for _ in range(23):
        b.next()
    _, _, reset = b.next()
    assert reset and b.pos == 1                          # wrapped to the start


def test_small_split_shrinks_batch_or_errors():
    b = Batches(torch.arange(101), batch_size=50, seq_len=20, name="val")
    assert b.batch_size == 5 and len(b) == 1
    with pytest.raises(ValueError, match="val split has 15 characters"):
        Batches(torch.arange(15), batch_size=2, seq_len=20, name="val")


def test_rows_select_a_slice_of_batch_rows():
    full = Batches(torch.arange(1001), 4, 10)
    part = Batches(torch.arange(1001), 4, 10, rows=slice(2, 4))
    assert torch.equal(full.next()[0][2:], part.next()[0])


def test_errors_are_rnnkit_errors_and_value_errors():
    from rnnkit.errors import OptionError, RnnkitError, TextError
    with pytest.raises(TextError, match="too small") as e:
        split(torch.arange(10), (0.9, 0.05, 0.05))
    assert isinstance(e.value, RnnkitError) and isinstance(e.value, ValueError)
    with pytest.raises(TextError, match="never saw"):
        Vocab.from_text("abc").encode("abd")
    for bad in (dict(batch_size=0, seq_len=5), dict(batch_size=2, seq_len=0)):
        with pytest.raises(OptionError, match="at least 1"):
            Batches(torch.arange(100), **bad)


def test_a_byte_vocabulary_names_an_unknown_character_as_typed():
    vocab = Vocab.from_text("abc", encoding="bytes")
    with pytest.raises(TextError, match=r"1 character\(s\) the model never saw: '€'$"):
        vocab.encode("ab€", what="prime")
