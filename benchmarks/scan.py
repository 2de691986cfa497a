"""The scan CharMinGRU trains with (chapter 18): the chunked scan against the loop, doubling and
log-space scans, forward and backward, at every length of chapter 18's speed sweep.

Each length runs `chars` / length rows of `width` channels (chapter 18's updates read 1,024
characters; 8,192 shows many rows), best of `--reps` CPU times (rnnkit.tasks.minrnn.time_scans),
and every scan's float32 states are compared with the loop's in float64 over 4,096 steps.
Target: at 1,024 steps the chunked scan is the fastest of the four, and keeps float32's
precision (relative error < 1e-5) where the log-space scan does not have to. The details hold
every (chars, length) time: where the loop keeps up (short rows, many of them), the table shows it.
"""
import common
from rnnkit.tasks.minrnn import time_scans

LENGTHS = (32, 64, 128, 256, 512, 1024)


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--reps", type=int, default=5)
    args = p.parse_args(argv)
    common.setup(args)
    width, reps, lengths, sizes = (16, 1, (32, 128), (256,)) if args.quick else (144, args.reps, LENGTHS,
                                                                                  (1024, 8192))
    grid = {(chars, length): time_scans(length, chars, width, reps, long=512 if args.quick else 4096)
            for chars in sizes for length in lengths}
    for (chars, length), t in grid.items():
        print(f"  {chars:>5} chars, length {length:>5}: " + ", ".join(f"{k} {v['ms']:.2f} ms" for k, v in t.items()))
    chars, last = sizes[0], lengths[-1]
    at = grid[(chars, last)]
    others = {k: v["ms"] for k, v in at.items() if k != "chunked"}
    nearest = min(others, key=others.get)
    speedup = others[nearest] / at["chunked"]["ms"]
    precise = at["chunked"]["error"] < 1e-5
    rows = [common.row(f"10. minGRU's chunked scan, {chars:,} chars in rows of {last:,}, forward and backward",
                       f"{at['chunked']['ms']:.2f} ms, {speedup:.1f}x the next ({nearest}); "
                       f"error {at['chunked']['error']:.0e}",
                       ", ".join(f"{k} {v:.2f} ms" for k, v in others.items()),
                       "fastest of the four, error < 1e-5", speedup > 1 and precise, speedup=speedup,
                       grid={f"{c}x{n}": t for (c, n), t in grid.items()})]
    return common.report(rows, args, "scan")


if __name__ == "__main__":
    main()
