"""Memory: the peak a large corpus costs while a Trainer reads, encodes and batches it.

Issue 21 found a 200 MB corpus peaking at 23x its size (the whole text as UTF-32, int64 ids
and int64 temporaries). rnnkit now encodes a slice at a time into the smallest integer type
of the vocabulary (uint8 up to 256 symbols). Measured here: the peak resident memory of a
Trainer's set-up (read, vocabulary, encode, split, batches, model) above the same process's
baseline (torch imported and a tiny Trainer made), in a fresh process per corpus, for an
ASCII corpus (Python keeps 1 byte a character) and the same corpus with one character
outside Latin-1 (2 bytes a character).

    .venv/bin/python benchmarks/memory.py              # 200 MB corpora, about a minute
    .venv/bin/python benchmarks/memory.py --mb 50      # smaller
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import common

GOAL = 4.0  # peak above baseline, in corpus sizes

# The peak is the process's own high-water mark (VmHWM, reset by exec). Not getrusage's
# ru_maxrss: Linux carries that across fork and exec, so a child of a large parent (run.py,
# after the other benchmarks) reported the parent's peak and a growth of 0 MB.
CHILD = """
import json, resource, sys
from rnnkit.config import Config
from rnnkit.train import Trainer

def peak_bytes():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

small = dict(n_layers=1, hidden=32, batch_size=16, seq_len=32, max_steps=1, eval_every=1)
Trainer(Config(**small), text="a tiny text to warm torch up\\n" * 200, device="cpu")
base = peak_bytes()
t = Trainer(Config(data=sys.argv[1], **small), device="cpu")
peak = peak_bytes()
print(json.dumps({"base": base, "peak": peak, "dtype": str(t.splits["train"].dtype)}))
"""


def corpus(folder, mb, wide):
    """A text file of `mb` MB: Tiny Shakespeare over and over (wide: with a euro sign in it)."""
    text = common.load_text()
    piece = (("\u20ac " if wide else "") + text).encode("utf-8")
    path = Path(folder) / ("wide.txt" if wide else "ascii.txt")
    with open(path, "wb") as f:
        for _ in range(mb * 10 ** 6 // len(piece) + 1):
            f.write(piece)
    return path


def measure(path):
    """{base, peak, dtype, size, ratio} of a Trainer made on the corpus at `path`, in a new process."""
    p = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=1800,
                       cwd=common.ROOT)
    if p.returncode:
        raise RuntimeError(p.stderr[-2000:])
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["size"] = path.stat().st_size
    r["ratio"] = (r["peak"] - r["base"]) / r["size"]
    return r


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--mb", type=int, default=200, help="corpus size in MB (default 200; --quick: 5)")
    args = p.parse_args(argv)
    common.setup(args)
    mb = 5 if args.quick else args.mb
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for wide in (False, True):
            path = corpus(folder, mb, wide)
            r = measure(path)
            path.unlink()
            kind = "one char outside Latin-1" if wide else "ASCII"
            rows.append(common.row(
                f"10{'b' if wide else 'a'}. memory of a {r['size'] / 1e6:.0f} MB corpus ({kind})",
                f"peak +{(r['peak'] - r['base']) / 1e6:,.0f} MB = {r['ratio']:.1f}x its size (ids {r['dtype']})",
                "before issue 21: 22x (int64 ids, UTF-32 copy; 4.4 GB for 200 MB)", f"<= {GOAL:g}x", r["ratio"] <= GOAL, **r))
    return common.report(rows, args, "memory")


if __name__ == "__main__":
    main()
