"""rnnkit.tasks.race: the stream scorer of the RNN and models trained in turns on one budget."""
import math

import pytest
import torch
import torch.nn.functional as F

from rnnkit import presets
from rnnkit.errors import OptionError
from rnnkit.model import CharRNN
from rnnkit.tasks.gpt import GPTTrainer
from rnnkit.tasks.race import LSTMRunner, race, score_stream


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
        assert r["steps"] > 0 and r["cpu_s"] >= 1.0 and r["stopped"] == "budget"
        assert len(r["curve"]) >= 2 and r["curve"][-1][1] == r["steps"]
        assert 0 < r["val"] < 2 * math.log(len(lstm.trainer.vocab))
    assert res[lstm.name]["val"] == score_stream(lstm.trainer.model, va)


def test_an_lstm_runner_stops_at_its_max_steps_and_race_refuses_typos():
    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n\n" * 60
    lstm = LSTMRunner(presets.get("tinyshakespeare", "smoke", split=(0.9, 0.1, 0.0), max_steps=3), text)
    res = race([lstm], budget=60, slice_s=1, log=None)
    assert res[lstm.name]["steps"] == 3 and lstm.done()
    assert res[lstm.name]["stopped"] == "done" and res[lstm.name]["cpu_s"] < 60  # its schedule ended it
    with pytest.raises(OptionError, match="no option 'budget_s'"):
        race([lstm], budget_s=1)
