"""rnnkit.book.context_cost: what one more generated character costs, LSTM against GPT."""
import pytest
import torch

from rnnkit.book.context_cost import add_recurrent, generation_cost
from rnnkit.tasks.gpt import GPT, cache_bytes
from rnnkit.model import CharRNN
from rnnkit.tasks.minrnn import CharMinGRU


def test_generation_cost_rows():
    torch.manual_seed(0)
    lstm = CharRNN(11, "lstm", 2, 16)
    gpt = GPT(11, layers=2, heads=2, width=16, context=64)
    rows = generation_cost(lstm, gpt, contexts=(8, 64), reps=2)
    assert [r["context"] for r in rows] == [8, 64]
    assert rows[0]["lstm_bytes"] == rows[1]["lstm_bytes"] == 2 * 2 * 16 * 4  # the state: layers x (h, c)
    assert rows[1]["gpt_cache_bytes"] == cache_bytes(gpt, 64) == 8 * rows[0]["gpt_cache_bytes"]
    assert rows[1]["gpt_bytes"] == 8 * 64  # without a cache only the ids are carried
    assert all(r[k] >= 0 for r in rows for k in ("lstm_ms", "gpt_ms", "gpt_cache_ms"))
    with pytest.raises(ValueError):
        generation_cost(lstm, gpt, contexts=(128,))


def test_add_recurrent_adds_a_state_of_one_size_and_a_time_per_row():
    torch.manual_seed(0)
    rows = generation_cost(CharRNN(11, "lstm", 1, 8), GPT(11, layers=1, heads=2, width=8, context=64),
                           contexts=(8, 64), reps=1)
    out = add_recurrent(rows, CharMinGRU(11, layers=3, width=16, expand=2), "mingru", reps=2)
    assert out is rows and [r["mingru_bytes"] for r in rows] == [3 * 16 * 4] * 2  # layers x width floats
    assert all(r["mingru_ms"] > 0 for r in rows) and "lstm_ms" in rows[0]
