"""What every benchmark script shares: timing, rows of the results table, printing.

A benchmark script returns a list of rows, one per target:
    {"target", "measured", "baseline", "goal", "met" (True/False/None), "details" {...}}
run.py collects them into one table and one JSON file.

The machine may be shared, so timings are taken interleaved (A B A B ...) in one process
and compared as the median of per-round ratios: a busy neighbour slows both sides of a
round alike, which a ratio of two separate medians would not guarantee.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import torch

from rnnkit.tasks.race import Clock  # wall and CPU seconds of a block, as the race measures them

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "bench"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "tools"))
from bookbuild.mirror import use_default_mirror  # noqa: E402  (the one rule, also the Makefile's)

use_default_mirror()


def parser(doc):
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="tiny sizes: checks the script runs, times nothing useful")
    p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", 2)))
    p.add_argument("--json", type=Path, help="also write the rows here")
    return p


def setup(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)


def interleave(fns, rounds, warmup=1):
    """Run each of fns {name: callable} once per round, in turn.
    Returns {name: {"wall": [s per round], "cpu": [s per round]}}."""
    for _ in range(warmup):
        for f in fns.values():
            f()
    times = {k: {"wall": [], "cpu": []} for k in fns}
    for i in range(rounds):
        for k, f in fns.items():
            with Clock() as c:
                f()
            times[k]["wall"].append(c.wall)
            times[k]["cpu"].append(c.cpu)
        # progress on stderr: a slow round on a busy machine should not look like a hang
        print(f"  round {i + 1}/{rounds}: " + ", ".join(f"{k} {v['wall'][-1]:.2f} s" for k, v in times.items()),
              file=sys.stderr, flush=True)
    return times


def median(xs):
    return statistics.median(xs)


def ratio(a, b):
    """Median over rounds of a[i] / b[i] (paired: same round, same contention)."""
    return median([x / y for x, y in zip(a, b)])


def row(target, measured, baseline, goal, met, **details):
    return {"target": target, "measured": measured, "baseline": baseline, "goal": goal,
            "met": met, "details": details}


def table(rows):
    """The results as a plain-text table."""
    head = ("target", "measured", "baseline", "goal", "met")
    mark = {True: "met", False: "NOT met", None: "-"}
    cells = [[r["target"], str(r["measured"]), str(r["baseline"]), str(r["goal"]), mark[r["met"]]] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(head)]
    line = lambda cs: " | ".join(c.ljust(w) for c, w in zip(cs, widths))
    return "\n".join([line(head), "-+-".join("-" * w for w in widths)] + [line(c) for c in cells])


def environment(threads):
    return {"torch": torch.__version__, "threads": threads, "cpus": os.cpu_count(),
            "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            "loadavg_at_start": os.getloadavg()}


def report(rows, args, name):
    """Print the rows as a table; write them as JSON when asked (a script run alone)."""
    print(table(rows), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"benchmark": name, "env": environment(args.threads), "rows": rows},
                                        indent=1, default=str))
        print(f"wrote {args.json}")
    return rows


def load_text():
    from rnnkit import data
    return data.load("tinyshakespeare")
