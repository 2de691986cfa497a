"""rnnkit.book.context_cost: what one more character costs, an LSTM against a GPT."""
import pytest
import torch

from rnnkit.book.context_cost import measure
from rnnkit.model import CharRNN
from rnnkit.tasks.gpt import GPT, cache_bytes


def small_gpt(V=11, context=32, seed=0):
    torch.manual_seed(seed)
    return GPT(V, layers=2, heads=2, width=16, context=context)


def test_context_cost_rows():
    torch.manual_seed(0)
    lstm = CharRNN(11, "lstm", 2, 16)
    gpt = small_gpt(context=64)
    rows = measure(lstm, gpt, contexts=(8, 64), reps=2)
    assert [r["context"] for r in rows] == [8, 64]
    assert rows[0]["lstm_bytes"] == rows[1]["lstm_bytes"] == 2 * 2 * 16 * 4
    assert rows[1]["gpt_cache_bytes"] == cache_bytes(gpt, 64) == 8 * rows[0]["gpt_cache_bytes"]
    assert all(r[k] >= 0 for r in rows for k in ("lstm_ms", "gpt_ms", "gpt_cache_ms"))
    with pytest.raises(ValueError):
        measure(lstm, gpt, contexts=(128,))
