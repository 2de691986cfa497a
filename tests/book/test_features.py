"""Text features, the correlation measurement and gate saturation."""
import numpy as np
import pytest
import torch

from rnnkit.book import features as F
from rnnkit.model import CharRNN


def test_in_quotes_toggles_and_resets_at_a_blank_line():
    text = 'a "bc" d\r\n\r\n"e\n\nf'
    q = F.in_quotes(text)
    assert q[text.index('"')] == 1 and q[text.index("b")] == 1 and q[5] == 0  # closing quote is off
    assert q[text.index("d")] == 0
    assert q[text.index("e")] == 1 and q[text.index("f")] == 0  # left open, closed by the blank line


def test_line_position():
    assert F.line_position("ab\ncd").tolist() == [0, 1, 0, 0, 1]


def test_depths_shift_a_slice_that_starts_inside_a_block():
    assert F.brace_depth("{a{b}}").tolist() == [1, 1, 2, 2, 1, 0]
    assert F.brace_depth("}x{").tolist() == [0, 0, 1]  # started one level deep
    assert F.paren_depth("f(a[1])").tolist() == [0, 1, 1, 2, 2, 1, 0]


def test_in_comment():
    text = "x /* c */ y // z\nw"
    c = F.in_comment(text)
    on = "".join(ch for ch, v in zip(text, c) if v)
    assert on == "/* c */// z"


def test_indent_counts_leading_tabs_and_spaces():
    ind = F.indent("\t\tif\n        x\ny")
    assert ind[2] == 2 and ind[3] == 2 and ind[13] == 1 and ind[-1] == 0
    assert ind[0] == 1  # causal: one tab read so far


def test_url_and_wikilink():
    text = "see http://a.b/c d [[x]] [y]"
    u, w = F.in_url(text), F.in_wikilink(text)
    assert "".join(ch for ch, v in zip(text, u) if v) == "http://a.b/c"
    assert "".join(ch for ch, v in zip(text, w) if v) == "[x]]"  # on after the second [
    assert w[text.index("[y")] == 0


def test_correlations_match_numpy_and_handle_constants():
    rng = np.random.default_rng(0)
    acts = rng.normal(size=(500, 6))
    feats = np.stack([acts[:, 2] * 3 + rng.normal(size=500), rng.normal(size=500), np.ones(500)], 1)
    acts[:, 5] = 0.5  # a dead cell
    r = F.correlations(acts, feats)
    assert r.shape == (6, 3)
    assert r[2, 0] == pytest.approx(np.corrcoef(acts[:, 2], feats[:, 0])[0, 1])
    assert (r[:, 2] == 0).all() and (r[5] == 0).all()
    s = F.summary(r, ["a", "b", "c"], hidden=3)
    assert s["best"]["a"]["layer"] == 0 and s["best"]["a"]["unit"] == 2
    assert s["interpretable"] == pytest.approx(1 / 6)


def test_record_keeps_text_order_and_matches_internals():
    torch.manual_seed(0)
    model = CharRNN(5, "lstm", 2, 8)
    ids = torch.randint(0, 5, (43,))
    n, layers = F.record(model, ids, streams=4)
    assert n == 40 and len(layers) == 2 and layers[1]["cell"].shape == (40, 8)
    out, _ = model.internals(ids[10:20][None])  # stream 1 is ids[10:20], from a zero state
    np.testing.assert_allclose(layers[1]["cell"][10:20], out[1]["c"][0].tanh().numpy(), atol=1e-6)
    assert F.cells(layers).shape == (40, 16)


def test_gate_saturation():
    layer = {"f": np.array([[0.05, 0.95], [0.05, 0.5], [0.5, 0.95], [0.05, 0.95]])}
    sat = F.gate_saturation([layer])
    left, right = sat["f"][0]
    assert left.tolist() == [0.75, 0] and right.tolist() == [0, 0.75]


def test_switch_share_per_layer():
    # layer 1: one cell of two saturated (left or right) more than half of the time; layer 2: both
    sat = {"f": [(np.array([0.6, 0.1]), np.array([0.0, 0.2])), (np.array([0.3, 0.0]), np.array([0.3, 0.9]))],
           "i": [(np.array([0.0, 0.0]), np.array([0.1, 0.1])), (np.array([0.5, 0.6]), np.array([0.1, 0.0]))]}
    assert F.switch_share(sat) == [0.25, 1.0]
    assert F.switch_share(sat, frac=0.65) == [0.0, 0.25]


def test_passing_features_and_the_probability_of_what_came_next():
    m = {"trained": {"best": {"a": {"r": 0.7}, "b": {"r": -0.55}, "c": {"r": 0.2}}}}
    assert F.passing(m) == ["a", "b"] and F.passing(m, threshold=0.6) == ["a"]
    probs = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]])
    ids = np.array([0, 1, 0])
    assert F.next_probability(probs, ids, 0, 2) == (0.9 + 0.8) / 2  # P(1 after pos 0), P(0 after pos 1)
    assert F.next_probability(probs, ids, 1, 10) == 0.8  # the last position has no next character
    assert F.next_probability(probs, ids, 2, 3) != F.next_probability(probs, ids, 2, 3)  # none: NaN


def test_measure_and_best_view_on_a_smoke_experiment(mirror):
    from rnnkit.book.experiment import Experiment

    exp = Experiment("warpeace", "smoke", seed=0, max_steps=5)
    exp.train(progress=False)
    m = F.feature_correlations(exp, ["in_quotes", "line_position"], 800, start=100)
    assert len(m["ids"]) == 800 and m["r"].shape == (exp.model.hidden * exp.cfg.n_layers, 2)
    assert F.symbols(exp.vocab, m["ids"]) == "".join(exp.vocab.chars[i] for i in
                                                             exp.trainer.splits["test"][100:900].tolist())
    assert set(m["trained"]["best"]) == {"in_quotes", "line_position"} and not np.allclose(m["r"], m["r0"])
    from rnnkit.book.views import best_cell_view
    view = best_cell_view(exp, m, "line_position", length=50, threshold=0)
    assert "line_position" in view.html and view.html.count("rnnkit-c") >= 50
    r = abs(m["trained"]["best"]["line_position"]["r"])
    note = best_cell_view(exp, m, "line_position", length=50, threshold=r + 0.01).html
    assert "rnnkit-c" not in note and "No line_position cell reaches the threshold" in note


def test_tracking_cells_are_distinct_pass_the_threshold_and_name_every_feature():
    best = {"in_quotes": dict(layer=1, unit=89, r=0.62), "line_position": dict(layer=1, unit=89, r=-0.58),
            "in_url": dict(layer=0, unit=0, r=0.0), "paren_depth": dict(layer=0, unit=14, r=-0.77)}
    assert F.tracking_cells(best) == [dict(layer=0, unit=14, features={"paren_depth": -0.77}),
                                      dict(layer=1, unit=89, features={"in_quotes": 0.62, "line_position": -0.58})]
    assert F.tracking_cells(best, threshold=0.6) == [dict(layer=0, unit=14, features={"paren_depth": -0.77}),
                                                     dict(layer=1, unit=89, features={"in_quotes": 0.62})]
    assert F.tracking_cells(best, threshold=0.9) == []
