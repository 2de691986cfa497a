"""rnnkit.tasks.conditional: a name generator that reads its label at every step."""
import pytest
import torch

from rnnkit.errors import OptionError
from rnnkit.tasks import classify as C
from rnnkit.tasks import conditional as G
from rnnkit.tasks.padding import NameVocab


def _split():
    # female names end in "a", male ones in "o": a generator that uses its label must follow
    lists = {"female": [c + v + "la" for c in "bdfgklmnprst" for v in "aeiou"],
             "male": [c + v + "lo" for c in "bdfgklmnprst" for v in "aeiou"]}
    return C.stratified_split(lists, seed=0)


def test_generator_follows_the_label_and_is_seeded():
    split = _split()
    vocab = G.generator_vocab(split.all_names())
    kw = dict(embed=8, hidden=32, epochs=8, batch_size=16, lr=2e-2)
    gen = G.train_generator(split, vocab, seed=0, **kw)
    assert gen.curve == G.train_generator(split, vocab, seed=0, **kw).curve
    assert [p.epoch for p in gen.curve] == list(range(1, 9)) and gen.stopped == "done"
    assert gen.best == min(gen.curve, key=lambda p: p.val_loss)
    assert gen.curve[-1].train_loss < gen.curve[0].train_loss
    assert gen.steps == len(gen.losses) and gen.examples == 8 * len(split.train)
    female = G.sample_names(gen.model, vocab, 0, n=50, temperature=0.5, seed=1)
    male = G.sample_names(gen.model, vocab, 1, n=50, temperature=0.5, seed=1)
    assert female == G.sample_names(gen.model, vocab, 0, n=50, temperature=0.5, seed=1)
    assert len(female) > 40 and len(male) > 40
    assert sum(n.endswith("a") for n in female) / len(female) > 0.9
    assert sum(n.endswith("o") for n in male) / len(male) > 0.9


def test_judged_samples_count_what_the_judge_gives_the_label():
    split = _split()
    vocab = G.generator_vocab(split.all_names())
    gen = G.train_generator(split, vocab, seed=0, embed=8, hidden=32, epochs=8, batch_size=16, lr=2e-2)
    judge_vocab = NameVocab.from_names(split.all_names())
    judge = C.train_classifier(split, judge_vocab, seed=0, embed=8, hidden=16, epochs=6, batch_size=16, lr=2e-2)
    known = {n for n, _ in split.train}
    out = G.judged_samples(gen.model, vocab, judge.model, judge_vocab, 1, known, n=60, temperature=0.5, seed=1)
    assert out["names"] and set(out["new"]) == {n for n in out["names"] if n not in known}
    assert out["asked"].n == len(out["names"]) and out["asked_new"].n == len(out["new"])
    assert out["asked"].value > 0.9  # names written for "male" end in "o": the judge agrees
    probs = C.probabilities(judge.model, judge_vocab, out["names"])[:, 1]
    assert out["asked"].correct == int((probs > 0.5).sum())


def test_label_is_an_input_at_every_step():
    torch.manual_seed(0)
    m = G.ConditionalNameModel(6, n_labels=2, embed=4, hidden=8)
    ids = torch.tensor([[1, 2, 3]])
    a, _ = m(ids, torch.tensor([0]))
    b, _ = m(ids, torch.tensor([1]))
    assert not torch.allclose(a[0, 0], b[0, 0])  # differs from the very first step


def test_generator_errors():
    split = _split()
    with pytest.raises(OptionError, match="newline"):
        G.train_generator(split, NameVocab.from_names(split.all_names()))
    vocab = G.generator_vocab(split.all_names())
    m = G.ConditionalNameModel(len(vocab))
    with pytest.raises(OptionError, match="temperature"):
        G.sample_names(m, vocab, 0, temperature=0)
    with pytest.raises(OptionError, match="no option 'epoch'"):
        G.train_generator(split, vocab, epoch=3)
