"""Data parallel training under torchrun: each process trains on its own slice of the batch
rows and DistributedDataParallel averages the gradients, which equals one process with the
whole batch (tests/test_distributed.py checks it on two CPU processes).

    torchrun --nproc_per_node 8 -m rnnkit train --data warpeace --preset gpu --out out/wp
"""
import os

import torch

from .errors import OptionError


def setup_distributed():
    """Under torchrun (WORLD_SIZE > 1) join the process group: nccl on GPUs, gloo on CPUs.
    Returns the device this process should use, or None when not distributed."""
    import torch.distributed as dist

    if int(os.environ.get("WORLD_SIZE", "1")) < 2 or dist.is_initialized():
        return None
    if torch.cuda.is_available():
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        dist.init_process_group("nccl")
        return f"cuda:{local}"
    dist.init_process_group("gloo")
    return "cpu"


def rank_and_world():
    """(this process's rank, the number of processes); (0, 1) outside torchrun."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def batch_rows(batch_size, rank, world):
    """The slice of batch rows process `rank` of `world` trains on (None: all of them)."""
    if batch_size % world:
        raise OptionError(f"batch_size {batch_size} does not split over {world} processes")
    per = batch_size // world
    return slice(rank * per, (rank + 1) * per) if world > 1 else None


def wrap(model, world):
    """The module a training step calls: DDP around `model` when there are several processes
    (its backward averages the gradients over them), else `model` itself."""
    if world == 1:
        return model
    from torch.nn.parallel import DistributedDataParallel
    return DistributedDataParallel(model)
