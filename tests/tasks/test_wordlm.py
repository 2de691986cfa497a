"""rnnkit.tasks.wordlm: lossless tokens, the training vocabulary, honest per-character accounting."""
import math

import pytest
import torch
import torch.nn.functional as F

from rnnkit.errors import OptionError
from rnnkit.tasks.wordlm import UNK, WordLM, WordVocab, sample_words, score, tokenize, train_word_lm

TEXT = ("ROMEO:\nBut soft, what light through yonder window breaks?\n"
        "It is the east, and Juliet is the sun.\n\n") * 30


def test_tokens_are_lossless():
    for t in (TEXT, "a  b\n\n'tis, O'er-done 12!", ""):
        assert "".join(tokenize(t)) == t
    assert tokenize("Hi, you.") == ["Hi", ",", " ", "you", "."]


def test_vocab_from_training_text_only_and_unknown_spelling():
    v = WordVocab.from_text("the cat the dog the cat", min_count=2)
    assert v.itos[0] == UNK and "the" in v.stoi and "cat" in v.stoi and "dog" not in v.stoi
    assert v.encode(["dog", "cat", "zebra"]).tolist() == [0, v.stoi["cat"], 0]
    # spelling costs grow with length, and letters seen in rare words are cheaper than unseen ones
    assert v.spelling_nats("dogdog") > v.spelling_nats("dog") > 0
    assert v.spelling_nats("d") < v.spelling_nats("z")


def test_score_accounts_every_character():
    vocab = WordVocab.from_text(TEXT, min_count=2)
    torch.manual_seed(0)
    model = WordLM(len(vocab), hidden=16)
    held = "ROMEO:\nBut soft, what zounds through yonder window breaks?\n"
    s = score(model, vocab, held)
    tokens = tokenize(held)
    assert s["chars"] == len(held) - len(tokens[0])  # every character after the first token
    assert s["tokens"] == len(tokens) - 1 and s["words"] == 8
    assert s["unknown_words"] == 1 and math.isclose(s["unknown_share"], 1 / 8)
    assert math.isclose(s["total_nats"] / s["chars"], s["nats_per_char"])
    assert s["nats_per_char"] > s["nats_per_char_unk_free"]  # the unknown word's spelling is paid
    assert math.isclose(s["spelling_nats"], vocab.spelling_nats("zounds"))
    # the model's part is one pass over the tokens, each predicted from all before it
    ids = vocab.encode(tokens)
    logits, _ = model.eval()(ids[:-1].view(1, -1))
    exact = F.cross_entropy(logits[0], ids[1:], reduction="sum").item()
    assert math.isclose(s["total_nats"] - s["spelling_nats"], exact, rel_tol=1e-5)


def test_training_lowers_the_loss_and_samples():
    vocab = WordVocab.from_text(TEXT, min_count=2)
    run = train_word_lm(vocab, TEXT, hidden=32, steps=60, batch_size=4, seq_len=16, lr=1e-2)
    model = run.model
    assert run.steps == len(run.losses) == 60 and run.examples == 240 and run.stopped == "done"
    assert run.curve == [] and run.best is None  # it measures nothing held out; score() does
    first, last = run.losses[0], sum(run.losses[-10:]) / 10
    assert last < 0.5 * first
    assert score(model, vocab, TEXT[:400])["nats_per_char"] < 1.0
    text = sample_words(model, vocab, length=30, prime="ROMEO", seed=1)
    assert text.startswith("ROMEO") and len(text) > 30


def test_char_model_is_charged_for_the_same_characters():
    from rnnkit.model import CharRNN
    from rnnkit.tasks.wordlm import score_char_model
    from rnnkit.text import Vocab

    held = "ROMEO:\nBut soft, what light through yonder window breaks?\n"
    cv = Vocab.from_text(TEXT)
    torch.manual_seed(0)
    s = score_char_model(CharRNN(len(cv), "lstm", 1, 16), cv, held)
    vocab = WordVocab.from_text(TEXT)
    assert s["chars"] == score(WordLM(len(vocab), 8), vocab, held)["chars"] == len(held) - len("ROMEO")
    assert 0 < s["nats_per_char"] < 2 * math.log(len(cv))


def test_unknown_options_are_refused():
    vocab = WordVocab.from_text(TEXT)
    with pytest.raises(OptionError, match="no option 'hiden'"):
        train_word_lm(vocab, TEXT, hiden=8)
    with pytest.raises(OptionError, match="no option 'layers'"):
        WordLM(len(vocab), layers=2)
