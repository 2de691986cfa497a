"""Every benchmark in one run: one table on stdout, all figures in _build/bench/results.json.

    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/run.py          # make bench, ~27 quiet minutes
    .venv/bin/python benchmarks/run.py --only sampling internals  # a subset
    .venv/bin/python benchmarks/run.py --quick                    # seconds: does it all run?

Options after `--` go to the quality race, e.g. `-- --budget-wall 300`.
The CI-time row is not measured here: it reads $RNNKIT_CI_SECONDS or _build/bench/ci_seconds.txt.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
import lighthouse
import weight

HERE = Path(__file__).resolve().parent


class BookWeight:
    """weight.py's rows for the built book in _build/html (make book), when there is one."""

    @staticmethod
    def main(argv):
        html = common.ROOT / "_build" / "html"
        if "--quick" in argv or not (html / "index.html").is_file():
            why = "--quick" if "--quick" in argv else "no _build/html: run make book first"
            return [common.row("9. site weight (benchmarks/weight.py)", f"not measured ({why})", "-",
                               "slider page <= 2 MB, site <= 15 MB", None)]
        results, site = weight.measure(html)
        return [common.row(f"9. {name}", measured, "-", goal, met)
                for name, measured, goal, met in weight.report(results, site)]


class Alone:
    """A benchmark script run in a process of its own, as `python benchmarks/NAME.py` would run it:
    its rows come back through --json. In this process, after the scripts before it, the quality
    race trained ~20% fewer steps per CPU second (the 2x256: 35 against 42 alone), so a full run
    no longer printed what the script prints alone."""

    def __init__(self, name):
        self.name = name

    def main(self, argv):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{self.name}.json"
            p = subprocess.run([sys.executable, str(HERE / f"{self.name}.py"), *argv, "--json", str(out)],
                               cwd=common.ROOT)
            if p.returncode or not out.exists():
                raise SystemExit(f"run.py: benchmarks/{self.name}.py failed (exit code {p.returncode})")
            return json.loads(out.read_text())["rows"]


SCRIPTS = {"train_speed": Alone("train_speed"), "sampling": Alone("sampling"), "internals": Alone("internals"),
           "gpu": Alone("gpu"), "distributed": Alone("distributed"), "live": Alone("live"), "weight": BookWeight,
           "lighthouse": lighthouse, "scan": Alone("scan"), "memory": Alone("memory"), "bf16": Alone("bf16"),
           "quality": Alone("quality")}  # quality last: it is the long one


def ci_row():
    seconds = os.environ.get("RNNKIT_CI_SECONDS")
    path = common.OUT / "ci_seconds.txt"
    if not seconds and path.exists():
        seconds = path.read_text().strip()
    measured = f"{float(seconds):.0f} s" if seconds else "see note"
    met = float(seconds) <= 20 * 60 if seconds else None
    return common.row("7. CI time (make test in CI)", measured, "-", "<= 20 min", met,
                      note="not measured by the benchmarks; set RNNKIT_CI_SECONDS or write "
                           "_build/bench/ci_seconds.txt from the CI job's duration")


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    p = common.parser(__doc__)
    p.add_argument("--only", nargs="*", choices=list(SCRIPTS), default=list(SCRIPTS))
    args = p.parse_args(argv)
    common.setup(args)

    passed = ["--threads", str(args.threads)] + (["--quick"] if args.quick else [])
    rows, seconds = [], {}
    for name in args.only:
        print(f"\n== {name}", flush=True)
        t0 = time.perf_counter()
        # the quality race picks its own threads: one per model, the models side by side; bf16
        # measures on one thread (its default), as the race trains
        own = passed[2:] + extra if name == "quality" else passed[2:] if name == "bf16" else passed
        rows += SCRIPTS[name].main(own)
        seconds[name] = round(time.perf_counter() - t0, 1)
    rows.append(ci_row())
    rows.sort(key=lambda r: r["target"])

    out = args.json or common.OUT / ("results-quick.json" if args.quick else "results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"env": common.environment(args.threads), "seconds": seconds, "rows": rows},
                              indent=1, default=str))
    print("\n" + common.table(rows))
    print(f"\nwrote {out} ({sum(seconds.values()):.0f} s)")


if __name__ == "__main__":
    main()
