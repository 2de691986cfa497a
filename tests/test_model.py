import pytest
import torch

from rnnkit.model import CharRNN


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("embed", [0, 8])
def test_step_path_agrees_with_fused_path(cell, embed):
    torch.manual_seed(0)
    m = CharRNN(11, cell, n_layers=3, hidden=16, embed=embed).eval()
    x = torch.randint(11, (3, 25))
    logits, state = m(x)
    s = m.init_state(3)
    steps = []
    for t in range(x.shape[1]):
        out, s = m.step(x[:, t], s)
        steps.append(out)
    assert torch.allclose(torch.stack(steps, 1), logits, atol=1e-5)
    assert torch.allclose(flat(s), flat(state), atol=1e-5)


def flat(st):
    """A model state (a tensor or an (h, c) pair per layer) as one tensor, to compare states."""
    return torch.cat([torch.cat(z, 1) if isinstance(z, tuple) else z for z in st], 1)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_internals_match_a_step_by_step_recomputation(cell):
    torch.manual_seed(1)
    m = CharRNN(7, cell, n_layers=2, hidden=12).eval()
    x = torch.randint(7, (2, 30))
    layers, logits = m.internals(x)
    assert torch.allclose(logits, m(x)[0], atol=1e-5)
    # recompute layer 0 by hand with the documented gate equations
    w_ih, w_hh = m.layers[0].weight_ih_l0, m.layers[0].weight_hh_l0
    b = m.layers[0].bias_ih_l0 + m.layers[0].bias_hh_l0
    h = torch.zeros(2, 12)
    c = torch.zeros(2, 12)
    for t in range(30):
        xt = torch.nn.functional.one_hot(x[:, t], 7).float()
        if cell == "lstm":
            i, f, g, o = (xt @ w_ih.T + h @ w_hh.T + b).chunk(4, 1)
            i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
            c = f * c + i * g
            h = o * c.tanh()
            for name, val in dict(i=i, f=f, g=g, o=o, c=c, h=h).items():
                assert torch.allclose(layers[0][name][:, t], val, atol=1e-5), (name, t)
        else:
            _, h = m.layers[0](xt.unsqueeze(1), h.unsqueeze(0))
            h = h.squeeze(0)
            assert torch.allclose(layers[0]["h"][:, t], h, atol=1e-5)
    assert set(layers[1]) == ({"h", "c", "i", "f", "g", "o"} if cell == "lstm" else {"h", "r", "z", "n"})
    assert layers[1]["h"].shape == (2, 30, 12)


def test_internals_carry_a_given_state():
    torch.manual_seed(2)
    m = CharRNN(5, "lstm", 2, 8).eval()
    x = torch.randint(5, (1, 40))
    whole, _ = m.internals(x)
    _, st = m(x[:, :25])
    second, _ = m.internals(x[:, 25:], st)
    assert torch.allclose(whole[1]["c"][:, 25:], second[1]["c"], atol=1e-5)


def test_dropout_only_in_training_and_bad_args():
    m = CharRNN(5, "lstm", 2, 8, dropout=0.5)
    x = torch.randint(5, (2, 10))
    m.eval()
    assert torch.equal(m(x)[0], m(x)[0])
    m.train()
    assert not torch.equal(m(x)[0], m(x)[0])
    with pytest.raises(ValueError, match="unknown cell"):
        CharRNN(5, "transformer")


def test_parameter_count_of_the_article_paul_graham_model():
    # 2x512 LSTM on ~100 symbols: the article says ~3.5M parameters
    n = CharRNN(100, "lstm", 2, 512).n_params()
    assert 3.2e6 < n < 3.8e6


def test_hidden_for_budget_is_the_largest_size_within_the_budget():
    from rnnkit.model import hidden_for_budget

    for cell in ("rnn", "gru", "lstm"):
        for layers in (1, 3):
            h = hidden_for_budget(cell, layers, 50_000, 87)
            assert CharRNN(87, cell, layers, h).n_params() <= 50_000 < CharRNN(87, cell, layers, h + 1).n_params()


@pytest.mark.parametrize("T", [1, 2, 30, 997])
def test_linear_scan_matches_the_plain_loop(T):
    from rnnkit.model import linear_scan
    torch.manual_seed(T)
    f, u, c0 = torch.rand(2, T, 5), torch.randn(2, T, 5), torch.randn(2, 5)
    want, c = torch.empty(2, T, 5, dtype=torch.float64), c0.double()
    for t in range(T):
        c = f[:, t].double() * c + u[:, t].double()
        want[:, t] = c
    assert torch.allclose(linear_scan(f, u, c0).double(), want, atol=1e-5)
    f[:, T // 2] = 0  # a forget gate shut tight: everything before it is gone
    assert torch.allclose(linear_scan(f, u, c0)[:, T // 2], u[:, T // 2])
