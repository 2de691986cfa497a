"""Command line, with the options a char-rnn user knows.

    python -m rnnkit train --data tinyshakespeare --preset cpu --out out/shakespeare
    python -m rnnkit sample out/shakespeare --prime "ROMEO:" --temperature 0.8 --length 500
    python -m rnnkit datasets
    torchrun --nproc_per_node 4 -m rnnkit train ...   (data parallel: batch rows split over processes)
"""
import argparse
import sys
from pathlib import Path


def build_parser():
    p = argparse.ArgumentParser(prog="rnnkit", description="Character-level RNN language models.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model on a corpus (registry name or text file)")
    t.add_argument("--data", required=True, help="registry name (see `datasets`) or path to a text file")
    t.add_argument("--preset", default="auto", help="smoke | cpu | gpu | auto (default: auto)")
    t.add_argument("--out", required=True, help="folder for checkpoints")
    t.add_argument("--resume", metavar="CHECKPOINT", help="continue training from a checkpoint")
    t.add_argument("--encoding", help="utf-8 (code points) or bytes (one symbol per byte)")
    t.add_argument("--model", dest="cell", choices=["rnn", "gru", "lstm"])
    t.add_argument("--num-layers", dest="n_layers", type=int)
    t.add_argument("--rnn-size", dest="hidden", type=int)
    t.add_argument("--embed", type=int, help="embedding size; 0 = one-hot input")
    t.add_argument("--dropout", type=float)
    t.add_argument("--seq-length", dest="seq_len", type=int)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--learning-rate", dest="lr", type=float)
    t.add_argument("--optimizer", choices=["adam", "rmsprop"])
    t.add_argument("--max-steps", type=int)
    t.add_argument("--eval-every", type=int)
    t.add_argument("--seed", type=int)
    t.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("sample", help="generate text from a checkpoint")
    s.add_argument("checkpoint", help="a .pt file, or a training folder (its best checkpoint)")
    s.add_argument("--prime", default="", help="text to start from (included in the output)")
    s.add_argument("--prime-file", help="read the prime text from this file")
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--length", type=int, default=500)
    s.add_argument("--seed", type=int, default=123)
    s.add_argument("--top-k", type=int, help="sample only from the k most likely characters")
    s.add_argument("--top-p", type=float, help="nucleus sampling: only from the most likely characters "
                   "whose probability adds up to p (0 < p <= 1)")
    s.add_argument("--argmax", action="store_true", help="always take the most likely character")
    s.add_argument("-n", "--num-samples", type=int, default=1)
    s.add_argument("--device", default="cpu")

    sub.add_parser("datasets", help="list the corpora, their size and licence, and whether they are cached")
    return p


TRAIN_OPTIONS = ("encoding", "cell", "n_layers", "hidden", "embed", "dropout", "seq_len", "batch_size",
                 "lr", "optimizer", "max_steps", "eval_every", "seed")


def train(a):
    from . import presets
    from .train import Trainer, setup_distributed

    a.device = setup_distributed() or a.device  # under torchrun: one process per GPU or CPU slot

    overrides = {k: getattr(a, k) for k in TRAIN_OPTIONS if getattr(a, k) is not None}
    if a.resume:
        trainer = Trainer.resume(a.resume, out_dir=a.out, device=a.device, **overrides)
    else:
        name = a.data if a.data in presets.PRESETS else "tinyshakespeare"  # a file gets generic sizes
        cfg = presets.get(name, a.preset, data=a.data, **overrides)
        trainer = Trainer(cfg, out_dir=a.out, device=a.device)
    c, talk = trainer.cfg, trainer.rank == 0
    talk and print(f"{c.data}: {sum(map(len, trainer.splits.values())):,} characters, vocabulary {len(trainer.vocab)}; "
          f"{c.cell} {c.n_layers}x{c.hidden}, {trainer.model.n_params():,} parameters, {c.scale} preset, "
          f"device {trainer.device}")
    if trainer.world > 1:
        talk and print(f"data parallel: {trainer.world} processes, {trainer.batches.batch_size} rows of "
                       f"{c.batch_size} each")
    trainer.fit(progress=talk and not a.quiet)
    if trainer.interrupted:
        return 130
    talk and print(f"step {trainer.step}: best val {trainer.best_val:.4f} nats/char in {trainer.elapsed:.0f} s; "
          f"best checkpoint {trainer.best_path}")
    return 0


def sample_cmd(a):
    from .checkpoint import load_model
    from .sample import sample

    prime = a.prime
    if a.prime_file:
        from .data import read_text
        prime = read_text(Path(a.prime_file))
    model, vocab, _ = load_model(a.checkpoint, device=a.device)
    texts = sample(model, vocab, length=a.length, prime=prime, temperature=a.temperature, top_k=a.top_k,
                   top_p=a.top_p,
                   argmax=a.argmax, seed=a.seed, n=a.num_samples)
    for text in [texts] if isinstance(texts, str) else texts:
        print(text)
    return 0


def datasets_cmd(a):
    from .data import datasets

    rows = datasets()
    w = max(len(r["name"]) for r in rows)
    for r in rows:
        mark = "cached" if r["cached"] else "-"
        print(f"{r['name']:<{w}}  {r['size'] / 1e6:7.2f} MB  {mark:<6}  {r['licence']}")
    return 0


def main(argv=None):
    from .checkpoint import CheckpointError
    from .data import DataError

    a = build_parser().parse_args(argv)
    try:
        return {"train": train, "sample": sample_cmd, "datasets": datasets_cmd}[a.command](a)
    except (DataError, CheckpointError, ValueError, OSError) as e:
        print(f"rnnkit: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
