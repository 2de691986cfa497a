"""A character-level language model: the article's multi-layer RNN / GRU / LSTM in torch.

Two ways through the same weights:
  forward(idx, state)   the fast path: torch's fused nn.LSTM/nn.GRU/nn.RNN over a whole
                        chunk (MKL on CPU, cuDNN on GPU); used for training and evaluation
  step(idx_t, state)    the article's API, `y = rnn.step(x)`: one time step written out by
                        hand, layer by layer; the readable path, and the fast one for
                        batch-1 sampling (torch's CPU kernel re-prepares weights every call)
A test checks that they agree. internals(idx) returns every layer's hidden and cell states
and gate activations at every time step, for the visualization chapters.

The layers are separate single-layer modules (not one nn.LSTM with num_layers) so that
internals() can run the fast path layer by layer; the arithmetic is the same.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
GATES = {"rnn": (), "gru": ("r", "z", "n"), "lstm": ("i", "f", "g", "o")}


class CharRNN(nn.Module):
    def __init__(self, vocab_size, cell="lstm", n_layers=2, hidden=128, dropout=0.0, embed=0):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"unknown cell {cell!r}; choose rnn, gru or lstm")
        if n_layers < 1 or hidden < 1 or vocab_size < 1:
            raise ValueError("n_layers, hidden and vocab_size must be positive")
        self.args = dict(vocab_size=vocab_size, cell=cell, n_layers=n_layers, hidden=hidden,
                         dropout=dropout, embed=embed)
        self.cell, self.hidden, self.vocab_size = cell, hidden, vocab_size
        # embed=0: one-hot input as in the article (a one-hot times W_xh is a column lookup).
        self.embedding = nn.Embedding(vocab_size, embed) if embed else None
        sizes = [embed or vocab_size] + [hidden] * n_layers
        self.layers = nn.ModuleList(CELLS[cell](sizes[i], hidden, batch_first=True) for i in range(n_layers))
        self.drop = nn.Dropout(dropout)  # after every layer, as char-rnn
        self.head = nn.Linear(hidden, vocab_size)

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    # -- state ---------------------------------------------------------------------------
    def init_state(self, batch_size, device=None):
        """Zeros; per layer h (and c for the LSTM), each (batch, hidden)."""
        z = lambda: torch.zeros(batch_size, self.hidden, device=device)
        return [(z(), z()) if self.cell == "lstm" else z() for _ in self.layers]

    @staticmethod
    def detach_state(state):
        return [tuple(t.detach() for t in s) if isinstance(s, tuple) else s.detach() for s in state]

    def _input(self, idx):
        if self.embedding is not None:
            return self.embedding(idx)
        return F.one_hot(idx, self.vocab_size).float()

    # -- the fast path ---------------------------------------------------------------------
    def forward(self, idx, state=None):
        """idx (B, T) of ids -> logits (B, T, V) and the state after the last step."""
        if state is None:
            state = self.init_state(idx.shape[0], idx.device)
        x, new_state = self._input(idx), []
        for layer, s in zip(self.layers, state):
            # torch wants (1, B, H) state tensors for a single layer
            s_in = tuple(t.unsqueeze(0) for t in s) if isinstance(s, tuple) else s.unsqueeze(0)
            x, s_out = layer(x, s_in)
            new_state.append(tuple(t.squeeze(0) for t in s_out) if isinstance(s_out, tuple) else s_out.squeeze(0))
            x = self.drop(x)
        return self.head(x), new_state

    # -- the article's step API ------------------------------------------------------------
    def step(self, idx_t, state):
        """One time step: idx_t (B,) of ids -> logits (B, V) and the new state."""
        new_state = []
        for li, (layer, s) in enumerate(zip(self.layers, state)):
            w_ih, w_hh, b_ih, b_hh = layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0
            if li == 0 and self.embedding is None:
                xw = w_ih[:, idx_t].t() + b_ih  # one-hot input: pick columns instead of a matmul
            else:
                x = self.embedding(idx_t) if li == 0 else h
                xw = torch.addmm(b_ih, x, w_ih.t())
            if self.cell == "lstm":
                h, c = s
                i, f, g, o = (xw + torch.addmm(b_hh, h, w_hh.t())).chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                new_state.append((h, c))
            elif self.cell == "gru":
                hw = torch.addmm(b_hh, s, w_hh.t())
                xr, xz, xn = xw.chunk(3, dim=1)
                hr, hz, hn = hw.chunk(3, dim=1)
                r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
                h = (1 - z) * torch.tanh(xn + r * hn) + z * s
                new_state.append(h)
            else:
                h = torch.tanh(xw + torch.addmm(b_hh, s, w_hh.t()))
                new_state.append(h)
            h = self.drop(h)
        return self.head(h), new_state

    # -- internals for the visualization chapters --------------------------------------------
    @torch.no_grad()
    def internals(self, idx, state=None):
        """Every layer's per-step values for idx (B, T): a list (one dict per layer) with
        'h' (B, T, H) and, for the LSTM, 'c' and the gates 'i','f','g','o' (after their
        sigmoid/tanh), for the GRU 'r','z','n'. Also returns the logits (B, T, V).

        Fast path: each layer runs fused over the whole sequence; its gates are then
        recomputed from the layer's inputs and previous hidden states in one batched matmul,
        and the LSTM cell state is rebuilt by an elementwise scan (c_t = f c_{t-1} + i g).
        """
        was_training = self.training
        self.eval()
        B, T = idx.shape
        if state is None:
            state = self.init_state(B, idx.device)
        x, out = self._input(idx), []
        for layer, s in zip(self.layers, state):
            s_in = tuple(t.unsqueeze(0) for t in s) if isinstance(s, tuple) else s.unsqueeze(0)
            h_seq, _ = layer(x, s_in)
            h0 = s[0] if isinstance(s, tuple) else s
            h_prev = torch.cat([h0.unsqueeze(1), h_seq[:, :-1]], dim=1)
            pre_x = x @ layer.weight_ih_l0.t() + layer.bias_ih_l0
            pre_h = h_prev @ layer.weight_hh_l0.t() + layer.bias_hh_l0
            rec = {"h": h_seq}
            if self.cell == "lstm":
                i, f, g, o = (pre_x + pre_h).chunk(4, dim=2)
                i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
                c, ig = torch.empty_like(h_seq), i * g
                c_t = s[1]
                for t in range(T):  # elementwise only; the matmuls are already done
                    c_t = torch.addcmul(ig[:, t], f[:, t], c_t)
                    c[:, t] = c_t
                rec.update(c=c, i=i, f=f, g=g, o=o)
            elif self.cell == "gru":
                xr, xz, xn = pre_x.chunk(3, dim=2)
                hr, hz, hn = pre_h.chunk(3, dim=2)
                r = (xr + hr).sigmoid()
                rec.update(r=r, z=(xz + hz).sigmoid(), n=(xn + r * hn).tanh())
            out.append(rec)
            x = h_seq
        logits = self.head(x)
        self.train(was_training)
        return out, logits


def hidden_for_budget(cell, n_layers, budget, vocab_size):
    """The largest hidden size whose one-hot CharRNN has at most `budget` parameters (for
    comparing cells at equal size, as the paper does)."""
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]

    def n_params(h):  # per layer: gates x (input + hidden) weights and two biases; then the head
        ins = [vocab_size] + [h] * (n_layers - 1)
        return sum(gates * h * (i + h) + 2 * gates * h for i in ins) + h * vocab_size + vocab_size

    h = 1
    while n_params(h + 1) <= budget:
        h += 1
    return h
