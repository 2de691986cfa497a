"""A character-level language model: the article's multi-layer RNN / GRU / LSTM in torch.

Two ways through the same weights:
  forward(idx, state)   the fast path: torch's fused nn.LSTM/nn.GRU/nn.RNN over a whole
                        chunk (MKL on CPU, cuDNN on GPU); used for training and evaluation
  step(idx_t, state)    the article's API, `y = rnn.step(x)`: one time step written out by
                        hand, layer by layer; the readable path. stepper.Stepper is the same
                        step with its weights laid out once: sample() uses it (several times
                        faster than nn.LSTM called per character: benchmarks/sampling.py)
A test checks that they agree. internals(idx) returns every layer's hidden and cell states
and gate activations at every time step, for the visualization chapters.

The layers are separate single-layer modules (not one nn.LSTM with num_layers) so that
internals() can run the fast path layer by layer; the arithmetic is the same.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import config

CELLS = {name: getattr(nn, name.upper()) for name in config.CELLS}  # "lstm" -> nn.LSTM, ...
GATES = {"rnn": (), "gru": ("r", "z", "n"), "lstm": ("i", "f", "g", "o")}


class CharRNN(nn.Module):
    def __init__(self, vocab_size, cell="lstm", n_layers=2, hidden=128, dropout=0.0, embed=0):
        super().__init__()
        config.check_choice("cell", cell, config.CELLS)
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
        """idx (B, T) of ids (any integer type: a corpus is stored compact) -> logits (B, T, V)
        and the state after the last step."""
        idx = idx.long()
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
        """One time step: idx_t (B,) of ids -> logits (B, V) and the new state.

        This is the article's API (`y = rnn.step(x)`) written out in plain torch, gate by
        gate: the readable reference. Nothing fast calls it; forward() (the fused layers) and
        stepper.Stepper (these same lines with the weights laid out once, used by sample())
        are tested against it (tests/test_model.py, tests/test_stepper.py)."""
        new_state, idx_t = [], idx_t.long()
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
        recomputed from the layer's inputs and previous hidden states in batched matmuls
        (a row lookup for a one-hot input), and the LSTM cell state is rebuilt by a
        chunked scan of c_t = f_t c_{t-1} + i_t g_t (see linear_scan).
        """
        was_training = self.training
        self.eval()
        idx = idx.long()  # a uint8 index would be read as a mask
        B, T = idx.shape
        if state is None:
            state = self.init_state(B, idx.device)
        x, out = self._input(idx), []
        for li, (layer, s) in enumerate(zip(self.layers, state)):
            s_in = tuple(t.unsqueeze(0) for t in s) if isinstance(s, tuple) else s.unsqueeze(0)
            h_seq, _ = layer(x, s_in)
            rec = {"h": h_seq}
            out.append(rec)
            x_in, x = x, h_seq
            if self.cell == "rnn":  # no gates to recompute
                continue
            h0 = s[0] if isinstance(s, tuple) else s
            h_prev = torch.cat([h0.unsqueeze(1), h_seq[:, :-1]], dim=1)
            w_ih, w_hh, b_ih, b_hh = layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0
            if li == 0 and self.embedding is None:
                pre_x = (w_ih.t() + b_ih)[idx]  # one-hot input: a row lookup, not a matmul
            else:
                pre_x = torch.addmm(b_ih, x_in.reshape(B * T, -1), w_ih.t()).view(B, T, -1)
            if self.cell == "lstm":
                pre = pre_x.view(B * T, -1).addmm_(h_prev.reshape(B * T, -1), w_hh.t()).add_(b_hh).view(B, T, -1)
                i, f, g, o = pre.chunk(4, dim=2)  # views: activate in place, no copies
                i, f, g, o = i.sigmoid_(), f.sigmoid_(), g.tanh_(), o.sigmoid_()
                c = linear_scan(f, i * g, s[1])
                rec.update(c=c, i=i, f=f, g=g, o=o)
            elif self.cell == "gru":
                pre_h = torch.addmm(b_hh, h_prev.reshape(B * T, -1), w_hh.t()).view(B, T, -1)
                xr, xz, xn = pre_x.chunk(3, dim=2)
                hr, hz, hn = pre_h.chunk(3, dim=2)
                r = (xr + hr).sigmoid()
                rec.update(r=r, z=(xz + hz).sigmoid(), n=(xn + r * hn).tanh())
        logits = self.head(x)
        self.train(was_training)
        return out, logits


def linear_scan(f, u, c0):
    """c_t = f_t * c_{t-1} + u_t along dim 1 of f, u (B, T, H), from c_{-1} = c0 (B, H).

    A loop over T costs T small ops (100k characters: seconds of Python). Instead cut time
    into N chunks of K ~ sqrt(T) steps: (1) scan every chunk at once from a zero state, in
    K steps; (2) carry each chunk's end value into the next, in N steps; (3) add to each
    step the state that entered its chunk, times the product of the f's since (its decay).
    About 5 sqrt(T) ops in all, each over many elements; no divisions, so no overflow.
    """
    B, T, H = f.shape
    K = max(1, math.isqrt(T))
    N, M = T // K, T // K * K  # the last T - M (< K) steps are scanned one by one
    c = torch.empty_like(u)
    fc, uc, cc = (t[:, :M].view(B, N, K, H) for t in (f, u, c))  # views: c is written in place
    cc[:, :, 0] = uc[:, :, 0]  # (1)
    decay = fc[:, :, 0].clone()
    for k in range(1, K):
        torch.addcmul(uc[:, :, k], fc[:, :, k], cc[:, :, k - 1], out=cc[:, :, k])
        decay.mul_(fc[:, :, k])
    carry = torch.empty(B, N, H, dtype=u.dtype, device=u.device)  # (2) state entering chunk n
    carry[:, 0] = c0
    for n in range(1, N):
        torch.addcmul(cc[:, n - 1, -1], decay[:, n - 1], carry[:, n - 1], out=carry[:, n])
    decay.fill_(1)  # (3)
    for k in range(K):
        cc[:, :, k].addcmul_(decay.mul_(fc[:, :, k]), carry)
    for t in range(M, T):
        torch.addcmul(u[:, t], f[:, t], c[:, t - 1], out=c[:, t])
    return c


def hidden_for_budget(cell, n_layers, budget, vocab_size):
    """The largest hidden size whose one-hot CharRNN has at most `budget` parameters (for
    comparing cells at equal size, as the paper does)."""
    gates = len(GATES[cell]) or 1  # weight blocks per layer: the vanilla RNN has one

    def n_params(h):  # per layer: gates x (input + hidden) weights and two biases; then the head
        ins = [vocab_size] + [h] * (n_layers - 1)
        return sum(gates * h * (i + h) + 2 * gates * h for i in ins) + h * vocab_size + vocab_size

    h = 1
    while n_params(h + 1) <= budget:
        h += 1
    return h
