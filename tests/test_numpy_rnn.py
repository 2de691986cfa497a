"""The numpy models: the article's step, the LSTM against torch, and min-char-rnn's calculus."""
import numpy as np
import torch

from rnnkit.numpy_rnn import LSTM, RNN, MinCharRNN, gradcheck, softmax, train


def test_rnn_step_is_the_tanh_recurrence():
    rnn = RNN(input_size=4, hidden_size=3, output_size=2, rng=0)
    assert rnn.h.shape == (3,) and not rnn.h.any()  # h starts at zeros
    x1, x2 = np.array([1.0, 0, 0, 0]), np.array([0, 0.5, -1.0, 2.0])
    y1 = rnn.step(x1)
    h1 = np.tanh(rnn.W_xh @ x1)  # W_hh @ 0 vanishes on the first step
    np.testing.assert_allclose(rnn.h, h1)
    np.testing.assert_allclose(y1, rnn.W_hy @ h1)
    y2 = rnn.step(x2)
    h2 = np.tanh(rnn.W_hh @ h1 + rnn.W_xh @ x2)
    np.testing.assert_allclose(y2, rnn.W_hy @ h2)
    assert y2.shape == (2,)
    # By hand, on numbers small enough to check on paper.
    r = RNN(1, 1, 1)
    r.W_hh[:], r.W_xh[:], r.W_hy[:] = 0.5, 1.0, 2.0
    r.step(np.array([1.0]))
    y = r.step(np.array([0.0]))
    np.testing.assert_allclose(y, 2.0 * np.tanh(0.5 * np.tanh(1.0)))


def test_stacking_two_rnns():
    rnn1, rnn2 = RNN(5, 8, 6, rng=1), RNN(6, 4, 3, rng=2)
    for x in np.eye(5):
        y = rnn2.step(rnn1.step(x))
    assert y.shape == (3,) and rnn1.h.shape == (8,) and rnn2.h.shape == (4,)
    rnn1.reset()
    assert not rnn1.h.any()


def test_numpy_lstm_matches_torch_lstmcell():
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(5, 7)
    lstm = LSTM.from_torch(cell)
    xs = torch.randn(6, 5)
    h = c = torch.zeros(1, 7)
    with torch.no_grad():
        for x in xs:
            h, c = cell(x[None], (h, c))
            out = lstm.step(x.double().numpy())
            np.testing.assert_allclose(out, h[0].double().numpy(), atol=1e-6, rtol=0)
            np.testing.assert_allclose(lstm.c, c[0].double().numpy(), atol=1e-6, rtol=0)
    assert np.abs(lstm.h).max() > 0.05  # not a trivially small state


def test_lstm_own_init_and_output_layer():
    lstm = LSTM(3, 4, output_size=2, rng=0)
    y = lstm.step(np.ones(3))
    assert y.shape == (2,) and lstm.c.shape == (4,)
    np.testing.assert_allclose(y, lstm.W_hy @ lstm.h)


def _helo(rng=0, scale=1.0):
    m = MinCharRNN("helo", hidden_size=3, init_scale=scale, rng=rng)
    return m, m.encode("hell"), m.encode("ello")


def test_gradcheck_passes_on_the_real_backward():
    m, x, y = _helo()
    errors = gradcheck(m, x, y, h_prev=np.array([0.1, -0.2, 0.3]), n_checks=None)
    assert set(errors) == {"W_xh", "W_hh", "W_hy", "b_h", "b_y"}
    assert max(errors.values()) < 1e-5, errors
    # A bigger vocabulary and a longer sequence, checked on sampled entries.
    big = MinCharRNN("abcdefghij", hidden_size=16, init_scale=0.1, rng=1)
    ix = np.random.default_rng(0).integers(0, 10, 26)
    assert max(gradcheck(big, ix[:-1], ix[1:], n_checks=30).values()) < 1e-5


class _NoBPTT(MinCharRNN):
    """A classic bug: the gradient never flows back through W_hh to earlier steps."""

    def loss_and_grads(self, inputs, targets, h_prev=None):
        loss, grads, h = super().loss_and_grads(inputs, targets, h_prev)
        hs, ys = self._forward(inputs, h_prev)
        dy = softmax(ys)
        dy[np.arange(len(targets)), targets] -= 1
        draw = (dy @ self.W_hy) * (1 - hs[1:] ** 2)  # each step's own output only, no future
        grads["W_hh"] = draw.T @ hs[:-1]
        return loss, grads, h


def test_gradcheck_catches_a_broken_backward():
    m, x, y = _helo()
    broken = _NoBPTT("helo", 3, init_scale=1.0, rng=0)
    assert gradcheck(broken, x, y, n_checks=None)["W_hh"] > 1e-3
    # Even a 1% slip in one gradient shows.
    real = m.loss_and_grads

    def slightly_off(*args):
        loss, grads, h = real(*args)
        grads["W_hy"] = grads["W_hy"] * 1.01
        return loss, grads, h

    m.loss_and_grads = slightly_off
    errors = gradcheck(m, x, y, n_checks=None)
    assert errors["W_hy"] > 1e-3 and errors["W_xh"] < 1e-5


def test_loss_agrees_with_scores():
    m, x, y = _helo()
    loss, _, h = m.loss_and_grads(x, y)
    p = softmax(m.scores("hell"))
    np.testing.assert_allclose(loss, -np.log(p[np.arange(4), y]).sum())
    np.testing.assert_allclose(m.loss(x, y)[0], loss)
    assert m.scores("hell").shape == (4, 4) and h.shape == (3,)


def test_one_sgd_step_raises_the_target_score():
    # From min-char-rnn's small initial weights, as in chapter 2's demonstration.
    for seed in range(5):
        m = MinCharRNN("helo", hidden_size=3, rng=seed)
        before = m.scores("h")[0]
        loss, grads, _ = m.loss_and_grads(m.encode("h"), m.encode("e"))
        m.sgd_step(grads, lr=0.1)
        change = m.scores("h")[0] - before
        e = m.stoi["e"]
        assert change[e] > 0 and all(change[i] < 0 for i in range(4) if i != e)
        assert m.loss(m.encode("h"), m.encode("e"))[0] < loss


def test_adagrad_learns_hello():
    m = MinCharRNN("helo", hidden_size=3, rng=0)
    hist = train(m, m.encode("hello"), steps=300, seq_length=4)
    losses = [loss for _, loss in hist["train"]]
    assert len(losses) == 300 and losses[0] > 1.3 and losses[-1] < 0.1
    assert m.sample("h", 4, temperature=0) == "hello"  # the prime, then four new characters


def test_frozen_recurrence_cannot_learn_hello():
    # With W_hh held at zero the state forgets: after "l" it cannot tell "hel" from "hell".
    m = MinCharRNN("helo", hidden_size=3, rng=0)
    m.W_hh[:] = 0
    m.frozen = {"W_hh"}
    hist = train(m, m.encode("hello"), steps=300, seq_length=4)
    assert not m.W_hh.any()
    assert hist["train"][-1][1] > 0.3  # at best 2 ln 2 / 4 = 0.35 nats per character
    p = softmax(m.scores("hell"))
    np.testing.assert_allclose(p[2], p[3])


def test_clipping_happens_in_the_update():
    m, x, y = _helo()
    _, grads, _ = m.loss_and_grads(x, y)
    grads = {k: g * 1e6 for k, g in grads.items()}  # an exploding gradient
    before = m.W_hh.copy()
    m.update(grads, lr=0.1, clip=5.0)
    # Adagrad's first step is lr * g / |g| = lr at most, whatever the scale.
    assert np.abs(m.W_hh - before).max() <= 0.1 + 1e-9


def test_temperature_and_reproducible_sampling():
    m = MinCharRNN("abcdefgh", hidden_size=8, init_scale=1.0, rng=3)
    greedy = m.sample("a", 30, temperature=0)
    assert m.sample("a", 30, temperature=1e-4, rng=0) == greedy
    assert m.sample("ab", 20, rng=np.random.default_rng(7)) == m.sample("ab", 20, rng=np.random.default_rng(7))
    assert m.sample(0, 10, rng=5) == m.sample("a", 10, rng=5)  # an index prime, as min-char-rnn
    hot = {m.sample("a", 30, temperature=3.0, rng=s) for s in range(5)}
    assert len(hot) > 1
    assert len(m.sample("", 5, rng=0)) == 6  # no prime: a random first character


def test_softmax_temperature():
    z = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(z).sum(), 1.0)
    assert softmax(z, 0.5)[2] > softmax(z)[2] > softmax(z, 2.0)[2]
    np.testing.assert_allclose(softmax(np.array([1000.0, 0.0])), [1.0, 0.0])  # no overflow


def test_train_history_and_evaluate():
    m = MinCharRNN("abc", hidden_size=8, rng=0)
    data = m.encode("abcabcabcabcabcabcabcabc" * 4)
    hist = train(m, data, steps=40, seq_length=10, val=data[:31], eval_every=20, sample_every=20, sample_chars=7)
    assert [s for s, _ in hist["val"]] == [0, 20, 40]
    assert abs(hist["val"][0][1] - np.log(3)) < 0.01  # untrained: uniform over 3 symbols
    assert hist["val"][-1][1] < hist["val"][0][1] / 2
    assert [s for s, _ in hist["samples"]] == [20, 40] and all(len(t) == 7 for _, t in hist["samples"])
