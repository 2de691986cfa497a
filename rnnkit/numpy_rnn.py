"""Recurrent networks in plain numpy: the article's API, written out so every number is visible.

  RNN          the article's vanilla cell: three matrices and `y = rnn.step(x)`
  LSTM         the same API with the LSTM state update (gate order i, f, g, o as torch),
               loadable from a torch.nn.LSTMCell so the two can be compared number for number
  MinCharRNN   a character-level vanilla RNN in the spirit of min-char-rnn: forward pass,
               backpropagation through time, Adagrad, sampling with a temperature
  gradcheck    analytic against numerical gradients (how we know the backward pass is right)
  train        min-char-rnn's loop: walk through the text in chunks, carrying the hidden state

No torch in the arithmetic on purpose: this is the "by hand" version; rnnkit.model is the
fast one.
"""
import numpy as np

from .text import check_known


def softmax(z, temperature=1.0):
    """Probabilities from scores (logits), along the last axis; lower temperature = sharper."""
    z = np.asarray(z, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)  # exp of large scores would overflow; shifting changes nothing
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _rng(rng):
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


# -- the article's API --------------------------------------------------------------------------
class RNN:
    """The vanilla RNN of the article: h = tanh(W_hh h + W_xh x), y = W_hy h.

    No biases, as in the article: the API is the point here. (MinCharRNN below has them.)
    """

    def __init__(self, input_size, hidden_size, output_size, rng=None):
        rng = _rng(rng)
        # Scale by 1/sqrt(fan_in) so tanh starts neither saturated nor stuck near zero.
        init = lambda rows, cols: rng.standard_normal((rows, cols)) / np.sqrt(cols)
        self.W_hh = init(hidden_size, hidden_size)
        self.W_xh = init(hidden_size, input_size)
        self.W_hy = init(output_size, hidden_size)
        self.h = np.zeros(hidden_size)

    def step(self, x):
        # The state is the only memory: each call folds x into it.
        self.h = np.tanh(self.W_hh @ self.h + self.W_xh @ x)
        return self.W_hy @ self.h

    def reset(self):
        self.h = np.zeros_like(self.h)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class LSTM:
    """The same `y = lstm.step(x)` API; only the state update differs from RNN.step.

    Weights are laid out as torch.nn.LSTMCell's: W_ih (4H, D), W_hh (4H, H), rows in gate
    order i, f, g, o; torch's two bias vectors are one sum `b` here (they are only ever added).
    With output_size=None the output is the hidden state itself (what LSTMCell returns).
    """

    def __init__(self, input_size, hidden_size, output_size=None, rng=None):
        rng = _rng(rng)
        s = 1.0 / np.sqrt(hidden_size)  # torch's LSTMCell init range
        self.W_ih = rng.uniform(-s, s, (4 * hidden_size, input_size))
        self.W_hh = rng.uniform(-s, s, (4 * hidden_size, hidden_size))
        self.b = rng.uniform(-s, s, 4 * hidden_size)
        self.W_hy = None if output_size is None else rng.uniform(-s, s, (output_size, hidden_size))
        self.h = np.zeros(hidden_size)
        self.c = np.zeros(hidden_size)

    @classmethod
    def from_torch(cls, cell):
        """A numpy copy of a torch.nn.LSTMCell (float64), starting from zero state."""
        lstm = cls.__new__(cls)
        get = lambda t: t.detach().cpu().double().numpy().copy()
        lstm.W_ih, lstm.W_hh = get(cell.weight_ih), get(cell.weight_hh)
        lstm.b = get(cell.bias_ih) + get(cell.bias_hh) if cell.bias else np.zeros(4 * cell.hidden_size)
        lstm.W_hy = None
        lstm.h = np.zeros(cell.hidden_size)
        lstm.c = np.zeros(cell.hidden_size)
        return lstm

    def step(self, x):
        i, f, g, o = np.split(self.W_ih @ x + self.W_hh @ self.h + self.b, 4)
        # The cell c is updated additively (forget some, write some): that is the whole change.
        self.c = sigmoid(f) * self.c + sigmoid(i) * np.tanh(g)
        self.h = sigmoid(o) * np.tanh(self.c)
        return self.h if self.W_hy is None else self.W_hy @ self.h

    def reset(self):
        self.h = np.zeros_like(self.h)
        self.c = np.zeros_like(self.c)


# -- min-char-rnn -------------------------------------------------------------------------------
PARAMS = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


class MinCharRNN:
    """A character-level vanilla RNN with its own backward pass (after min-char-rnn.py).

        h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)    x_t one-hot, so W_xh x_t is a column of W_xh
        y_t = W_hy h_t + b_y                          scores (logits) for the next character
        p_t = softmax(y_t),  loss = -sum_t log p_t[target_t]

    Unlike the article's RNN class this one has biases, as min-char-rnn does: b_y lets the
    model learn how common each character is without spending hidden units on it.
    Everything is float64 so the gradient check can be tight.
    """

    def __init__(self, chars, hidden_size=100, init_scale=0.01, rng=None):
        self.chars = list(chars)
        self.stoi = {c: i for i, c in enumerate(self.chars)}
        V, H = len(self.chars), hidden_size
        self.vocab_size, self.hidden_size = V, H
        rng = _rng(rng)
        # Small random weights (min-char-rnn uses 0.01): all outputs start near uniform.
        self.W_xh = rng.standard_normal((H, V)) * init_scale
        self.W_hh = rng.standard_normal((H, H)) * init_scale
        self.W_hy = rng.standard_normal((V, H)) * init_scale
        self.b_h = np.zeros(H)
        self.b_y = np.zeros(V)
        self.mem = {k: np.zeros_like(getattr(self, k)) for k in PARAMS}  # Adagrad's running sums
        self.frozen = set()  # names of parameters the updates leave alone

    def encode(self, text, what="text"):
        check_known(text, self.stoi, what)
        return [self.stoi[c] for c in text]

    def decode(self, ixs):
        return "".join(self.chars[i] for i in ixs)

    def params(self):
        return {k: getattr(self, k) for k in PARAMS}

    def n_params(self):
        return sum(p.size for p in self.params().values())

    # forward ---------------------------------------------------------------------------
    def _forward(self, inputs, h_prev):
        T = len(inputs)
        hs = np.zeros((T + 1, self.hidden_size))  # hs[0] is h_prev, hs[t+1] the state after input t
        hs[0] = np.zeros(self.hidden_size) if h_prev is None else h_prev
        for t, ix in enumerate(inputs):
            hs[t + 1] = np.tanh(self.W_xh[:, ix] + self.W_hh @ hs[t] + self.b_h)
        ys = hs[1:] @ self.W_hy.T + self.b_y  # the output layer needs no loop: all steps at once
        return hs, ys

    def scores(self, inputs, h_prev=None):
        """The output scores (T, vocab) after each input character; `inputs` text or indices."""
        inputs = self.encode(inputs) if isinstance(inputs, str) else inputs
        return self._forward(inputs, h_prev)[1]

    def loss(self, inputs, targets, h_prev=None):
        """Summed cross-entropy (nats) over the sequence, and the last hidden state; no gradients."""
        hs, ys = self._forward(inputs, h_prev)
        logp = ys - ys.max(1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(1, keepdims=True))
        return -logp[np.arange(len(targets)), targets].sum(), hs[-1]

    # backward --------------------------------------------------------------------------
    def loss_and_grads(self, inputs, targets, h_prev=None):
        """Forward, then backpropagation through time over the whole sequence.

        Returns (loss summed over the steps, {name: gradient}, last hidden state). The
        gradients are exact (not clipped): clipping belongs to the update, not to calculus.
        """
        T = len(inputs)
        hs, ys = self._forward(inputs, h_prev)
        ps = softmax(ys)
        loss = -np.log(ps[np.arange(T), targets]).sum()

        dy = ps.copy()
        dy[np.arange(T), targets] -= 1  # d loss / d scores of softmax + cross-entropy: p - onehot
        grads = {"W_hy": dy.T @ hs[1:], "b_y": dy.sum(0)}
        dh_out = dy @ self.W_hy  # what each h_t gets from its own output
        draw = np.zeros((T, self.hidden_size))  # gradient before the tanh, per step
        dh_next = np.zeros(self.hidden_size)  # what h_t gets from the future, through W_hh
        for t in reversed(range(T)):
            dh = dh_out[t] + dh_next
            draw[t] = (1 - hs[t + 1] ** 2) * dh  # tanh' = 1 - tanh^2
            dh_next = self.W_hh.T @ draw[t]
        grads["W_hh"] = draw.T @ hs[:-1]
        grads["b_h"] = draw.sum(0)
        grads["W_xh"] = np.zeros_like(self.W_xh)
        np.add.at(grads["W_xh"].T, inputs, draw)  # one-hot input: only the seen column moves
        return loss, grads, hs[-1]

    # updates ---------------------------------------------------------------------------
    def sgd_step(self, grads, lr):
        """Plain gradient descent: move every weight a little against its gradient."""
        for k, g in grads.items():
            if k not in self.frozen:
                getattr(self, k)[...] -= lr * g

    def update(self, grads, lr=0.1, clip=5.0):
        """Adagrad, as min-char-rnn: each weight's step shrinks with its own history of gradients.

        Gradients are clipped elementwise to [-clip, clip] first: a vanilla RNN occasionally
        produces an exploding gradient, and one such step can undo hours of training.
        """
        for k, g in grads.items():
            if k in self.frozen:
                continue
            g = np.clip(g, -clip, clip)
            self.mem[k] += g * g
            getattr(self, k)[...] -= lr * g / np.sqrt(self.mem[k] + 1e-8)

    # sampling --------------------------------------------------------------------------
    def sample(self, prime, n, temperature=1.0, rng=None, h=None):
        """Feed `prime` (a string, or one index as min-char-rnn's seed_ix), then draw n characters.

        Each drawn character is fed back in as the next input. temperature divides the scores
        before the softmax; temperature=0 takes the most likely character every time (argmax).
        Returns the prime followed by the n new characters, as rnnkit.sample does; an empty
        prime starts from one random character.
        """
        rng = _rng(rng)
        if isinstance(prime, (int, np.integer)):
            prime = [int(prime)]
        else:
            prime = self.encode(prime, what="prime text") or [int(rng.integers(self.vocab_size))]
        h = np.zeros(self.hidden_size) if h is None else h
        for ix in prime:
            h = np.tanh(self.W_xh[:, ix] + self.W_hh @ h + self.b_h)
        out = list(prime)
        for _ in range(n):
            y = self.W_hy @ h + self.b_y
            if temperature == 0:
                ix = int(np.argmax(y))
            else:
                ix = int(rng.choice(self.vocab_size, p=softmax(y, temperature)))
            out.append(ix)
            h = np.tanh(self.W_xh[:, ix] + self.W_hh @ h + self.b_h)
        return self.decode(out)


# -- checking the backward pass -----------------------------------------------------------------
def gradcheck(model, inputs, targets, h_prev=None, n_checks=20, eps=1e-5, rng=0):
    """Compare model.loss_and_grads with centred finite differences on random entries.

    For each parameter, `n_checks` entries (None: all of them) are nudged by +-eps and
    (loss(+) - loss(-)) / 2 eps is compared with the analytic gradient. Returns
    {name: relative error |a - n| / (|a| + |n|)}, with a and n the checked entries as vectors.
    (Per entry, the ratio is meaningless where the true gradient is ~1e-9: there the finite
    difference is all round-off.) In float64 a correct backward pass gives about 1e-8;
    a bug gives 1e-3 or more.
    """
    rng = _rng(rng)
    _, grads, _ = model.loss_and_grads(inputs, targets, h_prev)
    errors = {}
    for name, w in model.params().items():
        flat = w.reshape(-1)  # a view: writing it changes the model
        idx = np.arange(flat.size) if n_checks is None else rng.choice(flat.size, min(n_checks, flat.size), replace=False)
        num = np.zeros(len(idx))
        for j, i in enumerate(idx):
            old = flat[i]
            flat[i] = old + eps
            plus = model.loss(inputs, targets, h_prev)[0]
            flat[i] = old - eps
            minus = model.loss(inputs, targets, h_prev)[0]
            flat[i] = old
            num[j] = (plus - minus) / (2 * eps)
        ana = grads[name].reshape(-1)[idx]
        denom = np.linalg.norm(ana) + np.linalg.norm(num)
        errors[name] = float(np.linalg.norm(ana - num) / denom) if denom > 0 else 0.0
    return errors


# -- training -----------------------------------------------------------------------------------
def train(model, data, steps, seq_length=25, lr=0.1, clip=5.0, val=None, eval_every=0,
          sample_every=0, sample_chars=200, temperature=1.0, rng=0):
    """min-char-rnn's loop: read `data` (indices) in chunks of seq_length, one update per chunk.

    The hidden state is carried from chunk to chunk (so the model sees further back than
    seq_length, though gradients stop at the chunk edge) and reset at the start of the data.
    Returns a history in the shape rnnkit.train uses, lists of (step, value): "train" (loss in
    nats per character of every step), "val" (loss on `val` before training, every eval_every
    steps and at the end) and "samples" (a sample every sample_every steps).
    """
    rng = _rng(rng)
    data = np.asarray(data)
    if len(data) < seq_length + 1:
        raise ValueError(f"need at least seq_length+1 = {seq_length + 1} characters, got {len(data)}")
    hist = {"train": [], "val": [], "samples": []}
    if val is not None and eval_every:
        hist["val"].append((0, evaluate(model, val)))  # the untrained baseline, about ln(vocab)
    p, h = 0, None
    for step in range(1, steps + 1):
        if p + seq_length + 1 > len(data):
            p, h = 0, None  # wrap around: a new pass over the text starts from a blank state
        inputs, targets = data[p:p + seq_length], data[p + 1:p + seq_length + 1]
        loss, grads, h = model.loss_and_grads(inputs, targets, h)
        model.update(grads, lr, clip)
        hist["train"].append((step, loss / seq_length))
        p += seq_length
        if val is not None and eval_every and (step % eval_every == 0 or step == steps):
            hist["val"].append((step, evaluate(model, val)))
        if sample_every and step % sample_every == 0:
            # Continue from where training stands; drop the seed character, it came from the data.
            text = model.sample(int(targets[-1]), sample_chars, temperature, rng, h=h)[1:]
            hist["samples"].append((step, text))
    return hist


def evaluate(model, data):
    """Average cross-entropy (nats per character) of predicting data[1:] from data[:-1]."""
    data = np.asarray(data)
    return model.loss(data[:-1], data[1:])[0] / (len(data) - 1)

