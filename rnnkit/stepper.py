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
        self.cell, self.hidden = model.cell, model.hidden
        self.embedding = model.embedding
        self.layers = []
        with torch.no_grad():
            for li, layer in enumerate(model.layers):
                w_ih, w_hh = layer.weight_ih_l0, layer.weight_hh_l0
                b_ih, b_hh = layer.bias_ih_l0, layer.bias_hh_l0
                one_hot = li == 0 and model.embedding is None
                if self.cell == "gru":
                    # the candidate gate needs h W_hh^T on its own, so no concatenation
                    w_x = (w_ih.t() + b_ih).contiguous() if one_hot else w_ih.t().contiguous()
                    self.layers.append((one_hot, w_x, b_ih, w_hh.t().contiguous(), b_hh))
                elif one_hot:
                    self.layers.append((True, (w_ih.t() + b_ih + b_hh).contiguous(), w_hh.t().contiguous()))
                else:
                    self.layers.append((False, torch.cat([w_ih, w_hh], 1).t().contiguous(), b_ih + b_hh))
            self.head_w, self.head_b = model.head.weight.t().contiguous(), model.head.bias.detach().clone()

    @torch.no_grad()
    def step(self, idx_t, state):
        """idx_t (B,) of ids -> logits (B, V) and the new state, as CharRNN.step."""
        x, new_state = None, []
        for li, (weights, s) in enumerate(zip(self.layers, state)):
            if li == 0 and self.embedding is not None:
                x = self.embedding(idx_t)
            if self.cell == "gru":
                one_hot, w_x, b_x, w_h, b_h = weights
                xw = w_x[idx_t] if one_hot else torch.addmm(b_x, x, w_x)
                xr, xz, xn = xw.chunk(3, dim=1)
                hr, hz, hn = torch.addmm(b_h, s, w_h).chunk(3, dim=1)
                r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
                h = torch.lerp(torch.tanh(xn + r * hn), s, z)  # (1 - z) n + z h
                new_state.append(h)
                x = h
                continue
            h_prev = s[0] if self.cell == "lstm" else s
            one_hot, w, b_or_w_h = weights
            if one_hot:  # a row lookup replaces the input matmul
                pre = torch.addmm(w[idx_t], h_prev, b_or_w_h)
            else:
                pre = torch.addmm(b_or_w_h, torch.cat([x, h_prev], 1), w)
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
