"""rnnkit.gpt (the small GPT, its KV cache, whole-split scoring) and rnnkit.race."""
import math

import pytest
import torch
import torch.nn.functional as F

from rnnkit import presets
from rnnkit.gpt import GPT, GPTTrainer, generate, score_gpt
from rnnkit.model import CharRNN
from rnnkit.race import LSTMRunner, race, score_stream


def small_gpt(V=11, context=32, seed=0):
    torch.manual_seed(seed)
    return GPT(V, layers=2, heads=2, width=16, context=context)


def test_cache_forward_equals_full_forward():
    model = small_gpt().eval()
    ids = torch.randint(11, (2, 20), generator=torch.Generator().manual_seed(1))
    full = model(ids)
    cache = model.new_cache()
    pieces = [model(ids[:, :7], cache), model(ids[:, 7:8], cache), model(ids[:, 8:20], cache)]
    assert torch.allclose(torch.cat(pieces, 1), full, atol=1e-5)
    assert cache[0]["k"].shape[2] == 20
    with pytest.raises(ValueError):
        model(torch.zeros(1, 33, dtype=torch.long))


def test_kv_cache_sampling_equals_no_cache_sampling():
    model = small_gpt(context=16)
    prime = torch.tensor([1, 2, 3])
    a = generate(model, prime, 40, temperature=1.0, seed=5, kv_cache=True)  # slides past the context
    b = generate(model, prime, 40, temperature=1.0, seed=5, kv_cache=False)
    assert a == b and len(a) == 40
    assert generate(model, prime, 40, seed=6) != a  # the seed matters: the test can fail


def test_score_gpt_scores_every_character_once():
    model = small_gpt(context=8)
    ids = torch.randint(11, (101,), generator=torch.Generator().manual_seed(2))
    s = score_gpt(model, ids)
    # by hand: character j (1..100) scored in the window that ends at or after it, seeing the
    # most context up to 8 positions; compare against the all-positions mean only in size
    assert 0 < s["sliding"] < 2 * math.log(11) and 0 < s["blocks"] < 2 * math.log(11)
    # with a context as long as the text, sliding = one full causal pass
    long = small_gpt(context=100)
    logits = long(ids[:-1].view(1, -1))[0]
    exact = F.cross_entropy(logits, ids[1:]).item()
    assert math.isclose(score_gpt(long, ids)["sliding"], exact, rel_tol=1e-5)


def test_score_stream_equals_one_forward():
    torch.manual_seed(0)
    model = CharRNN(11, "lstm", 2, 16)
    ids = torch.randint(11, (500,), generator=torch.Generator().manual_seed(3))
    logits, _ = model(ids[:-1].view(1, -1))
    exact = F.cross_entropy(logits[0], ids[1:]).item()
    assert math.isclose(score_stream(model, ids, chunk=64), exact, rel_tol=1e-5)


def test_race_gives_curves_and_whole_split_scores():
    text = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\n" * 60)
    cfg = presets.get("tinyshakespeare", "smoke", split=(0.9, 0.1, 0.0), max_steps=10**6)
    lstm = LSTMRunner(cfg, text)
    tr, va = lstm.trainer.splits["train"], lstm.trainer.splits["val"]
    gpt = GPTTrainer(tr, va, len(lstm.trainer.vocab), context=16, layers=1, heads=2, width=16, warmup=5)
    res = race([lstm, gpt], budget=1.0, slice_s=0.25, curve_every=0.5, curve_chars=200, log=None)
    for name, r in res.items():
        assert r["steps"] > 0 and r["cpu_s"] >= 1.0
        assert len(r["curve"]) >= 2 and r["curve"][-1][1] == r["steps"]
        assert 0 < r["val"] < 2 * math.log(len(lstm.trainer.vocab))
    assert res[lstm.name]["val"] == score_stream(lstm.trainer.model, va)
