import pytest
import torch

from rnnkit.model import CharRNN
from rnnkit.sample import sample
from rnnkit.text import Vocab

TEXT = "hello there, how are you? " * 4


@pytest.fixture
def lm():
    torch.manual_seed(0)
    v = Vocab.from_text(TEXT)
    return CharRNN(len(v), "lstm", 2, 16), v


def test_output_starts_with_prime_and_has_length(lm):
    m, v = lm
    s = sample(m, v, length=30, prime="hello", seed=1)
    assert s.startswith("hello") and len(s) == 35


def test_same_seed_same_text_and_other_seed_differs(lm):
    m, v = lm
    a = sample(m, v, length=60, prime="he", seed=3)
    assert a == sample(m, v, length=60, prime="he", seed=3)
    assert a != sample(m, v, length=60, prime="he", seed=4)


def test_zero_temperature_is_argmax_and_top1(lm):
    m, v = lm
    greedy = sample(m, v, length=40, prime="how", argmax=True, seed=1)
    assert sample(m, v, length=40, prime="how", temperature=0, seed=9) == greedy
    assert sample(m, v, length=40, prime="how", top_k=1, seed=5) == greedy
    # and the greedy text is what a by-hand argmax loop over the step API gives
    ids = v.encode("how")
    logits, st = m(ids[:-1].unsqueeze(0))
    x, out = ids[-1:], []
    for _ in range(40):
        lg, st = m.step(x, st)
        x = lg.argmax(1)
        out.append(int(x))
    assert greedy == "how" + v.decode(out)


def test_a_list_of_temperatures_is_one_sample_each_in_one_call(lm):
    m, v = lm
    temps = [0.0, 0.5, 1.0, 1.5]
    texts = sample(m, v, temperature=temps, prime="you", length=50, seed=0)
    assert len(texts) == 4 and all(t.startswith("you") for t in texts)
    assert texts[0] == sample(m, v, length=50, prime="you", argmax=True)
    assert len(set(texts)) > 1


def test_unknown_prime_and_bad_arguments(lm):
    m, v = lm
    with pytest.raises(ValueError, match="prime text has 1 character.*'Z'"):
        sample(m, v, prime="heZ")
    with pytest.raises(ValueError, match="temperature"):
        sample(m, v, temperature=-1)
    from rnnkit.errors import OptionError
    for bad, message in [(dict(temperature=float("nan")), "temperature"), (dict(temperature=[1.0, float("inf")]),
                         "temperature"), (dict(top_k=0), "top_k"), (dict(n=0), "number of samples"),
                         (dict(temperature=[]), "at least one"), (dict(length=-1), "length"),
                         (dict(length=10 ** 15), "GB of memory")]:
        with pytest.raises(OptionError, match=message):
            sample(m, v, **bad)


def test_sampling_restores_training_mode(lm):
    m, v = lm
    m.train()
    sample(m, v, length=5, seed=0)
    assert m.training


def test_no_prime_starts_after_a_line_break_or_from_a_shown_character(lm):
    m, v = lm  # TEXT has no newline: a random first character, shown in the output
    s = sample(m, v, length=20, seed=2)
    assert len(s) == 21 and s[0] in v.stoi
    v2 = Vocab.from_text(TEXT + "\n")
    m2 = CharRNN(len(v2), "lstm", 1, 8)
    s2 = sample(m2, v2, length=20, argmax=True, seed=2)
    assert len(s2) == 20  # the newline it starts after is not part of the output
    assert s2 == sample(m2, v2, length=20, prime="\n", argmax=True, seed=5)[1:]


def test_tiny_top_p_is_argmax(lm):
    m, v = lm
    greedy = sample(m, v, length=40, prime="how", argmax=True)
    assert sample(m, v, length=40, prime="how", top_p=1e-6, seed=3) == greedy
    assert sample(m, v, length=40, prime="how", top_p=1e-6, top_k=5, temperature=2.0, seed=4) == greedy


def test_nucleus_keeps_the_smallest_set_reaching_p():
    from rnnkit.sample import nucleus
    probs = torch.tensor([[0.05, 0.5, 0.3, 0.15], [0.25, 0.25, 0.25, 0.25]])
    kept = nucleus(probs, 0.75)
    assert kept[0].tolist() == pytest.approx([0.0, 0.5, 0.3, 0.0])  # 0.5 < 0.75 <= 0.5 + 0.3
    assert (kept[1] > 0).sum() == 3
    for p in (0.1, 0.5, 0.8, 0.95, 1.0):
        k = nucleus(probs, p)
        assert (k.sum(1) >= p - 1e-6).all()
        # smallest: dropping the least likely kept entry falls below p
        least = k.masked_fill(k == 0, 2).min(1).values
        assert (k.sum(1) - least < p).all()


def test_top_p_never_samples_outside_the_nucleus(lm):
    m, v = lm
    from rnnkit.sample import nucleus
    ids = v.encode("how are")
    logits, _ = m(ids.unsqueeze(0))
    probs = torch.softmax(logits[0, -1] / 1.5, 0)
    allowed = {v.chars[i] for i in nucleus(probs.unsqueeze(0), 0.6)[0].nonzero().flatten().tolist()}
    assert 1 < len(allowed) < len(v)
    seen = {s[-1] for s in sample(m, v, length=1, prime="how are", temperature=[1.5] * 400, top_p=0.6, seed=0)}
    assert seen <= allowed and len(seen) > 1


def test_top_p_must_be_in_zero_one(lm):
    m, v = lm
    for bad in (0, -0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="top_p"):
            sample(m, v, top_p=bad)
