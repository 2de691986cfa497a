"""Grade students' chapter notebooks: run each at smoke scale, read what every check said.

    python -m rnnkit.book.grade STUDENT.ipynb... [--json] [--timeout S]

It EXECUTES THE STUDENT'S CODE (with papermill, in a fresh kernel, with your permissions): run it
only on notebooks you are willing to run, in a container or an account of its own if in doubt.
Per exercise id it prints Correct / Not quite / Not yet with the check's reason. A notebook that
stops (an error, the timeout) gets one line saying why, and the ids its checks did not reach.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .exercises.core import MIME, NOT_YET

CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""")
NOT_REACHED = "not reached"


def check_ids(nb):
    """The exercise ids the notebook's check cells ask for, in order."""
    ids = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            ids += [i for i in CHECK_CALL.findall("".join(cell["source"])) if i not in ids]
    return ids


def check_results(nb):
    """{id: (status, message)} from the outputs the checks left in an executed notebook."""
    found = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            data = out.get("data", {}).get(MIME)
            if isinstance(data, str):
                data = json.loads(data)
            if data and data.get("id") != "predict":
                found[data["id"]] = (data["status"], data["message"])
    return found


def _failure(nb):
    """One line for the first error output of an executed notebook, or None."""
    for n, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            if out.get("output_type") == "error":
                return f"cell {n} raised {out.get('ename')}: {str(out.get('evalue', ''))[:200]}"
    return None


def _execute(path, out, timeout):
    """Run papermill; returns (executed notebook or None, reason it stopped or None)."""
    cmd = [sys.executable, "-m", "papermill", str(path), str(out), "-p", "scale", "smoke",
           "--cwd", str(path.parent), "--log-level", "ERROR", "--no-progress-bar"]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    # its own process group, so that a timeout ends the kernel papermill started too
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        reason = f"did not finish in {timeout:g} s (the timeout)"
        return (json.loads(out.read_text()) if out.exists() else None), reason
    nb = json.loads(out.read_text()) if out.exists() else None
    if proc.returncode == 0:
        return nb, None
    reason = (nb and _failure(nb)) or (stderr.strip().splitlines() or ["papermill failed"])[-1][:300]
    return nb, reason


def grade(path, timeout=600):
    """{"notebook", "error" (None or one line), "results": [{"id", "status", "message"}]}."""
    path = Path(path).resolve()
    try:
        source = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return {"notebook": str(path), "error": f"cannot read the notebook: {err}", "results": []}
    with tempfile.TemporaryDirectory(prefix="rnnkit-grade-") as tmp:
        nb, error = _execute(path, Path(tmp) / "executed.ipynb", timeout)
    found = check_results(nb) if nb else {}
    results = []
    for i in check_ids(source):
        status, message = found.get(i, (NOT_REACHED, "the notebook stopped before this check ran"))
        results.append({"id": i, "status": status, "message": message})
    return {"notebook": str(path), "error": error, "results": results}


def report(graded):
    """The grades as text: a header per notebook, one line per exercise id."""
    lines = []
    for g in graded:
        lines.append(g["notebook"])
        if g["error"]:
            lines.append(f"  FAILED TO RUN: {g['error']}")
            missed = [r["id"] for r in g["results"] if r["status"] == NOT_REACHED]
            if missed:
                lines.append(f"  not reached: {', '.join(missed)}")
        lines += [f"  {r['id']:<6} {r['status']:<11} {r['message']}" for r in g["results"]
                  if r["status"] != NOT_REACHED]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnnkit.book.grade",
        description="Grade chapter notebooks: execute each at smoke scale and list what its checks say. "
                    "WARNING: this runs the student's code on this machine, with your permissions.")
    parser.add_argument("notebooks", nargs="+", type=Path, help="the students' .ipynb files")
    parser.add_argument("--json", action="store_true", help="print a JSON list (for a gradebook)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per notebook (default 600)")
    args = parser.parse_args(argv)
    graded = [grade(p, args.timeout) for p in args.notebooks]
    print(json.dumps(graded, indent=1) if args.json else report(graded))
    return 1 if any(g["error"] for g in graded) else 0


if __name__ == "__main__":
    sys.exit(main())
