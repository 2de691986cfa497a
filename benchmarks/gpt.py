"""The baseline a reader would otherwise reach for: a small character GPT in plain torch.

The model and its training loop are rnnkit.tasks.gpt (GPT, GPTTrainer): nanoGPT's shakespeare_char
recipe scaled to ~0.8M parameters (the size of rnnkit's cpu LSTM): 4 layers, 4 heads, 128
wide, context 64, batch 12 random windows, AdamW lr 1e-3 with 100 warm-up steps and a
cosine decay to 1e-4 over the budget (nanoGPT's own schedule; a stronger baseline than a
constant lr), no dropout (a few minutes of training do not overfit).

Alone, `python benchmarks/gpt.py --budget-cpu 600` trains it and prints its val loss over
the whole last 10%. The quality benchmark (quality.py) races it against the LSTM.
"""
import common
import quality
from rnnkit.tasks.gpt import GPTTrainer
from rnnkit.tasks.race import race


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--budget-cpu", type=float, default=600.0, help="process CPU seconds (2 threads x 300 s)")
    p.add_argument("--budget-wall", type=float, default=None, help="wall seconds instead of CPU seconds")
    args = p.parse_args(argv)
    common.setup(args)
    train, val, V = quality.splits(common.load_text(), quick=args.quick)
    runner = GPTTrainer(train, val, V, **(dict(width=32, heads=2, layers=1) if args.quick else {}))
    budget = 4.0 if args.quick else (args.budget_wall or args.budget_cpu)
    res = race([runner], budget, wall=args.budget_wall is not None and not args.quick, slice_s=budget)
    r = res[runner.name]
    rows = [common.row(f"GPT baseline alone ({runner.n_params() / 1e6:.2f}M params)",
                       f"val {r['val']:.3f}", "-", "-", None, **r)]
    return common.report(rows, args, "gpt")


if __name__ == "__main__":
    main()
