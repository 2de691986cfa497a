"""rnnkit.distributed: under torchrun, 2 CPU processes (gloo), each with half the batch rows,
must end where one process with the whole batch ends; and how the rows are dealt out."""
import os
import subprocess
import sys

import torch

from rnnkit.checkpoint import load

ARGS = ["train", "--data", "tinyshakespeare", "--preset", "smoke", "--max-steps", "12", "--eval-every", "12",
        "--batch-size", "8", "--dropout", "0", "--quiet"]
TOLERANCE = 1e-4  # float sums in a different order, then 12 Adam steps


def run(cmd, out):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run(cmd + ARGS + ["--out", str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    (ckpt,) = out.glob("*.pt")
    return load(ckpt), r.stdout


def test_two_gloo_processes_match_one_process(tmp_path, mirror):
    single, _ = run([sys.executable, "-m", "rnnkit"], tmp_path / "single")
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "rnnkit"]
    double, said = run(torchrun, tmp_path / "ddp")
    assert "data parallel: 2 processes, 4 rows of 8 each" in said  # each process really has half the rows
    assert double["step"] == single["step"] == 12
    worst = max((single["model"][k] - double["model"][k]).abs().max().item() for k in single["model"])
    assert worst < TOLERANCE
    # and the runs really differ from the untrained start (the comparison is not vacuous)
    assert abs(single["best_val"] - double["best_val"]) < 1e-3
    assert single["history"]["train"][0][1] > single["history"]["train"][-1][1]
    assert not torch.equal(single["model"]["head.weight"], torch.zeros_like(single["model"]["head.weight"]))


def test_each_process_gets_its_own_slice_of_the_batch_rows():
    import pytest

    from rnnkit.distributed import batch_rows, rank_and_world, wrap
    from rnnkit.errors import OptionError

    assert batch_rows(8, 0, 1) is None  # one process: every row
    assert [batch_rows(8, r, 4) for r in range(4)] == [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 8)]
    with pytest.raises(OptionError, match="batch_size 10 does not split over 4 processes"):
        batch_rows(10, 0, 4)
    assert rank_and_world() == (0, 1)  # outside torchrun
    model = torch.nn.Linear(2, 2)
    assert wrap(model, 1) is model
