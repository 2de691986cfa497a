"""rnnkit.loop: the update every training loop shares, and the stream scorer."""
import math

import pytest
import torch
import torch.nn.functional as F

from rnnkit.errors import TrainingDiverged
from rnnkit.loop import stream_losses, update
from rnnkit.model import CharRNN


def test_update_steps_clips_and_reports_the_norm_before_clipping():
    torch.manual_seed(0)
    w = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
    opt = torch.optim.SGD([w], lr=1.0)
    done = update(opt, (w * w).sum() / 2, grad_clip=1.0)  # gradient = w, norm 5
    assert done.loss == pytest.approx(12.5)
    assert done.grad_norm == pytest.approx(5.0)
    assert w.detach().tolist() == pytest.approx([3.0 - 0.6, 4.0 - 0.8])  # a step of length 1
    assert update(opt, (w * w).sum()).grad_norm is None  # no clipping: no norm computed


def test_a_non_finite_loss_stops_before_the_step_unless_asked_not_to():
    w = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([w], lr=1.0)
    with pytest.raises(TrainingDiverged, match="inf"):
        update(opt, w.sum() * float("inf"))
    assert w.item() == 1.0
    update(opt, (w * float("nan")).sum(), check_finite=False)
    assert math.isnan(w.item())


def test_stream_losses_predict_every_symbol_once_in_any_chunking():
    torch.manual_seed(0)
    model = CharRNN(11, "lstm", 2, 16)
    model.train()
    ids = torch.randint(0, 11, (301,))
    logits, _ = model.eval()(ids[:-1].view(1, -1))
    whole = F.cross_entropy(logits[0], ids[1:], reduction="none")
    for chunk in (1, 7, 300, 5000):
        got = stream_losses(model.train(), ids, chunk=chunk)
        assert got.shape == (300,) and torch.allclose(got, whole, atol=1e-5)
        assert model.training  # the mode is left as it was
