"""The two pieces every training loop in rnnkit shares: one update, and scoring a stream.

    value = update(optimizer, loss, grad_clip=5.0).loss     # zero, backward, clip, step
    nll = stream_losses(model, ids)                         # nats for each of ids[1:]

Each task keeps its own loop visible (batches, evaluation, stopping); only these steps, which
every loop would otherwise repeat, live here.
"""
import math
from typing import NamedTuple, Optional

import torch
import torch.nn.functional as F

from .errors import TrainingDiverged


class Update(NamedTuple):
    loss: float                  # the loss before the step
    grad_norm: Optional[float]   # the gradient norm before clipping (None without clipping)


def update(optimizer, loss, grad_clip=0.0, check_finite=True):
    """One optimizer step on `loss`: zero the gradients, backpropagate, clip the gradient norm
    at `grad_clip` (0: no clipping), step.

    With check_finite, a loss that is inf or nan raises TrainingDiverged before the step, so
    the weights stay the last finite ones (the caller adds where and what to do)."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    value = loss.item()
    if check_finite and not math.isfinite(value):
        raise TrainingDiverged(f"the training loss is {value}")
    norm = None
    if grad_clip:
        params = [p for group in optimizer.param_groups for p in group["params"]]
        norm = float(torch.nn.utils.clip_grad_norm_(params, grad_clip))
    optimizer.step()
    return Update(value, norm)


@torch.no_grad()
def stream_losses(model, ids, chunk=2048):
    """The loss in nats of every symbol of `ids` after the first, read as one stream: batch 1,
    the state carried from zeros at the first symbol to the end, so each symbol is predicted
    once from everything before it. `model(x, state)` returns (logits, state), as CharRNN and
    the word model do. Returns a float tensor of len(ids) - 1 losses; the model's train/eval
    mode is left as it was."""
    was = model.training
    model.eval()
    ids = torch.as_tensor(ids)
    x_all, y_all = ids[:-1].view(1, -1), ids[1:]
    losses, state = [], None
    for s in range(0, len(y_all), chunk):
        logits, state = model(x_all[:, s:s + chunk], state)
        losses.append(F.cross_entropy(logits[0].float(), y_all[s:s + chunk].long(), reduction="none"))
    model.train(was)
    return torch.cat(losses) if losses else torch.empty(0)
