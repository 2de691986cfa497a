"""A faster step for sampling: CharRNN.step with the weights laid out once.

Sampling one character at a time is bound by reading the weights (a 2x512 LSTM reads
12.6 MB per character), not by arithmetic. CharRNN.step reads them as the layers store
them; a Stepper rearranges them once, when it is made, so that every step reads less
and in order:
  - the first layer's one-hot input is a row of W_ih^T, with both biases folded in;
  - a deeper layer's two matmuls become one: [x, h] @ [W_ih, W_hh]^T + (b_ih + b_hh)
    (LSTM and plain RNN; the GRU keeps them apart, its candidate needs r * (h W_hh^T));
  - every matrix is stored transposed and contiguous.
Same arithmetic as CharRNN.step, in a different order of additions (a test checks they
agree to 1e-5). Inference only: no dropout, no gradients; make a new Stepper after the
weights change.
"""
import torch

from .model import CharRNN


class Stepper:
    def __init__(self, model: CharRNN):
        self.cell, self.embedding = model.cell, model.embedding
        # Per layer: rows (one-hot input: row i is W_ih^T's row for character i, plus the
        # biases; else None), w (the matrix each step multiplies) and b (the bias, or None).
        self.layers = []
        with torch.no_grad():
            for li, layer in enumerate(model.layers):
                w_ih, w_hh = layer.weight_ih_l0.t(), layer.weight_hh_l0.t()
                b_ih, b_hh = layer.bias_ih_l0, layer.bias_hh_l0
                one_hot = li == 0 and model.embedding is None
                if self.cell == "gru":  # the candidate needs h W_hh^T alone: x and h stay apart
                    self.layers.append(dict(rows=(w_ih + b_ih).contiguous() if one_hot else None,
                                            w_x=w_ih.contiguous(), b_x=b_ih.clone(),
                                            w=w_hh.contiguous(), b=b_hh.clone()))
                elif one_hot:
                    self.layers.append(dict(rows=(w_ih + b_ih + b_hh).contiguous(), w=w_hh.contiguous(), b=None))
                else:
                    self.layers.append(dict(rows=None, w=torch.cat([w_ih, w_hh]).contiguous(), b=b_ih + b_hh))
            self.head_w, self.head_b = model.head.weight.t().contiguous(), model.head.bias.clone()

    @torch.no_grad()
    def step(self, idx_t, state):
        """idx_t (B,) of ids -> logits (B, V) and the new state, as CharRNN.step."""
        x = self.embedding(idx_t) if self.embedding is not None else None
        new_state = []
        for L, s in zip(self.layers, state):
            h_prev = s[0] if self.cell == "lstm" else s
            if self.cell == "gru":
                xw = L["rows"][idx_t] if L["rows"] is not None else torch.addmm(L["b_x"], x, L["w_x"])
                xr, xz, xn = xw.chunk(3, dim=1)
                hr, hz, hn = torch.addmm(L["b"], h_prev, L["w"]).chunk(3, dim=1)
                r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
                h = torch.lerp(torch.tanh(xn + r * hn), h_prev, z)  # (1 - z) n + z h
                new_state.append(h)
            else:
                if L["rows"] is not None:  # one-hot input: a row lookup replaces the input matmul
                    pre = torch.addmm(L["rows"][idx_t], h_prev, L["w"])
                else:
                    pre = torch.addmm(L["b"], torch.cat([x, h_prev], 1), L["w"])
                if self.cell == "lstm":
                    i, f, g, o = pre.chunk(4, dim=1)
                    c = torch.sigmoid(f) * s[1] + torch.sigmoid(i) * torch.tanh(g)
                    h = torch.sigmoid(o) * torch.tanh(c)
                    new_state.append((h, c))
                else:
                    h = torch.tanh(pre)
                    new_state.append(h)
            x = h
        return torch.addmm(self.head_b, x, self.head_w), new_state
