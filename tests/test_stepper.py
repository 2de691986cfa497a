"""The Stepper (CharRNN.step with its weights laid out once, what sample() uses) against the
readable CharRNN.step and the fused forward()."""
import pytest
import torch

from rnnkit.model import CharRNN
from rnnkit.stepper import Stepper


def flat(st):
    return torch.cat([torch.cat(z, 1) if isinstance(z, tuple) else z for z in st], 1)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("embed", [0, 8])
def test_stepper_agrees_with_step_and_fused_path(cell, embed):
    torch.manual_seed(0)
    m = CharRNN(11, cell, n_layers=3, hidden=16, embed=embed).eval()
    x = torch.randint(11, (3, 25))
    logits, state = m(x)
    s = m.init_state(3)
    fast, s_fast = Stepper(m), m.init_state(3)
    steps = []
    for t in range(x.shape[1]):
        out, s = m.step(x[:, t], s)
        out_fast, s_fast = fast.step(x[:, t], s_fast)
        steps.append(out_fast)
        assert torch.allclose(out_fast, out, atol=1e-5)  # the sampler's Stepper: same numbers
    assert torch.allclose(torch.stack(steps, 1), logits, atol=1e-5)
    assert torch.allclose(flat(s_fast), flat(state), atol=1e-5)


def test_stepper_is_a_snapshot_of_the_weights():
    torch.manual_seed(2)
    m = CharRNN(9, "lstm", n_layers=2, hidden=8).eval()
    fast, x = Stepper(m), torch.tensor([3])
    before = fast.step(x, m.init_state(1))[0]
    with torch.no_grad():
        m.layers[1].weight_ih_l0.add_(1.0)  # training moves the weights on
    assert torch.equal(fast.step(x, m.init_state(1))[0], before)  # the old Stepper does not see it
    assert not torch.allclose(Stepper(m).step(x, m.init_state(1))[0], before)
