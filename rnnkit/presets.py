"""Presets: the size of every experiment in the book, as plain data.

Each experiment has three scales:
  smoke  seconds; what the tests and CI run
  cpu    minutes on 2 CPU cores, still shows real learning
  gpu    the article's model sizes (one modern GPU)
and `auto` picks gpu when CUDA is available, else cpu (Colab with a GPU gets gpu).
A scale dict only lists what differs from Config's defaults (rnnkit.config, which also
holds the lists of cells, optimizers and scales); an unknown key is an OptionError.
"""
from .config import SCALES, Config, check_choice, check_keys
from .errors import OptionError

# On a CPU, many small updates at a high lr, halved each quarter of the run, beat fewer large
# ones for the same characters seen: Tiny Shakespeare in benchmarks/quality.py; val nats/char
# from batch 32 x 64 at lr 3e-3 to this at equal characters: Paul Graham 1.465 -> 1.421,
# Wikipedia 1.845 -> 1.780, LaTeX 1.099 -> 0.883, Linux 1.594 -> 1.509 (2x192; 2x256 for
# 8000 steps: 1.468).
SMALL_STEPS = dict(batch_size=16, seq_len=32, lr=8e-3, lr_decay=0.5)

# The smoke scale, one tiny model for every corpus: seconds per chapter, for the tests and CI.
# Its numbers say nothing about learning; they only prove that every step of a chapter runs.
SMOKE = dict(n_layers=1, hidden=32, batch_size=8, seq_len=32, max_steps=30, eval_every=15, eval_batches=4)
# War and Peace as the companion paper reads it: bytes (a vocabulary of 87), split 80/10/10.
PAPER_WARPEACE = dict(encoding="bytes", split=(0.8, 0.1, 0.1))

# The per-experiment scales. Keep each line readable: a reader should see the article's numbers.
# The cpu scale fits `make book` (every chapter, two at a time) in 30 minutes on a 2-core AVX2 CPU in
# fp32 (benchmarks/presets.md): on a CPU with bf16 matrix units (AMX) `auto` trains the LSTMs in
# bf16 and the same steps take about half as long.
PRESETS = {
    # Tiny Shakespeare (char-rnn's demo corpus; the README's first example).
    "tinyshakespeare": {
        "smoke": SMOKE,
        "cpu": dict(n_layers=2, hidden=256, embed=64, **SMALL_STEPS, lr_decay_every=1000, max_steps=4000,
                    eval_every=500),
        "gpu": dict(n_layers=3, hidden=512, dropout=0.2, batch_size=100, seq_len=100, lr=2e-3,
                    lr_decay=0.5, lr_decay_every=2000, max_steps=6000, eval_every=500),
    },
    # Paul Graham essays: the article's 2x512, dropout 0.5, batch 100, BPTT 100.
    "paulgraham": {
        "smoke": SMOKE,
        "cpu": dict(n_layers=2, hidden=256, embed=64, **SMALL_STEPS, lr_decay_every=750, max_steps=3000,
                    eval_every=500, eval_batches=20),
        "gpu": dict(n_layers=2, hidden=512, dropout=0.5, batch_size=100, seq_len=100, max_steps=8000, eval_every=500),
    },
    # War and Peace: the paper's corpus (80/10/10, byte-level vocabulary of 87 as in the paper).
    "warpeace": {
        "smoke": dict(SMOKE, **PAPER_WARPEACE),
        # cpu stops at 1200, the article's fifth sample; its 2000 is for gpu
        "cpu": dict(PAPER_WARPEACE, n_layers=2, hidden=256, embed=64, batch_size=32,
                    seq_len=64, lr=3e-3, lr_decay=0.5, lr_decay_every=1000, max_steps=1200, eval_every=100,
                    eval_batches=20),
        "gpu": dict(PAPER_WARPEACE, n_layers=3, hidden=512, dropout=0.3, batch_size=100,
                    seq_len=100, optimizer="rmsprop", max_steps=10000, eval_every=500),
    },
    # Wikipedia (the first 4 MB of enwik8), byte-level as char-rnn read it.
    "wikipedia": {
        "smoke": dict(SMOKE, encoding="bytes"),
        "cpu": dict(encoding="bytes", n_layers=2, hidden=256, embed=64, **SMALL_STEPS, lr_decay_every=1125,
                    max_steps=4500, eval_every=500, eval_batches=20),
        "gpu": dict(encoding="bytes", n_layers=3, hidden=512, dropout=0.2, batch_size=100, seq_len=100,
                    max_steps=10000, eval_every=500),
    },
    # LaTeX of the Stacks project (16 MB).
    "latex": {
        "smoke": SMOKE,
        "cpu": dict(n_layers=2, hidden=192, embed=48, **SMALL_STEPS, lr_decay_every=1000, max_steps=4000,
                    eval_every=500, eval_batches=20),
        "gpu": dict(n_layers=3, hidden=512, dropout=0.2, batch_size=100, seq_len=100, max_steps=10000, eval_every=500),
    },
    # Linux kernel source (the paper: 90/5/5, 3x512 ~10M parameters in the article).
    "linux": {
        "smoke": SMOKE,
        "cpu": dict(n_layers=2, hidden=256, embed=64, **SMALL_STEPS, lr_decay_every=750, max_steps=3000,
                    eval_every=500, eval_batches=20),
        "gpu": dict(n_layers=3, hidden=512, dropout=0.2, batch_size=100, seq_len=100, max_steps=10000, eval_every=500),
    },
    # Baby names (CMU lists, ~8k names as in the article): tiny data, a small model.
    "names": {
        "smoke": dict(SMOKE, seq_len=16),
        # 50k characters: val flattens after ~1200 steps (about 40 passes over the list)
        "cpu": dict(n_layers=2, hidden=128, embed=32, batch_size=32, seq_len=32, dropout=0.2, max_steps=1200,
                    eval_every=150),
        "gpu": dict(n_layers=2, hidden=256, dropout=0.3, batch_size=64, seq_len=50, max_steps=4000, eval_every=250),
    },
    # makemore's names.txt (32k SSA names, 2018): the list makemore's reference losses are measured on.
    "names-makemore": {
        "smoke": dict(SMOKE, seq_len=16),
        # val flattens near 1.95 after ~1300 steps (about 25 passes over the list)
        "cpu": dict(n_layers=2, hidden=128, embed=32, batch_size=64, seq_len=32, dropout=0.1, lr=3e-3,
                    lr_decay=0.5, lr_decay_every=600, max_steps=1500, eval_every=250),
        "gpu": dict(n_layers=2, hidden=512, embed=64, dropout=0.3, batch_size=64, seq_len=64, max_steps=6000,
                    eval_every=500),
    },
    # min-char-rnn in numpy (chapter 2): vanilla RNN, hidden 100, BPTT 25, Adagrad lr 0.1.
    # One sequence per step (no batch); numpy has no GPU, so gpu is the same as cpu.
    "minchar": {
        "smoke": dict(cell="rnn", n_layers=1, hidden=32, seq_len=25, lr=0.1, max_steps=300, eval_every=150),
        "cpu": dict(cell="rnn", n_layers=1, hidden=100, seq_len=25, lr=0.1, max_steps=60000, eval_every=5000),
        "gpu": dict(cell="rnn", n_layers=1, hidden=100, seq_len=25, lr=0.1, max_steps=100000, eval_every=5000),
    },
}


def resolve_scale(scale="auto"):
    """'auto' becomes 'gpu' on a CUDA machine (as in Colab with a GPU), else 'cpu'."""
    if scale == "auto":
        import torch
        return "gpu" if torch.cuda.is_available() else "cpu"
    return check_choice("scale", scale, ("auto",) + SCALES)


def get(name, scale="auto", **overrides):
    """The Config of experiment `name` at `scale`, with optional overrides (checked: an
    unknown key or a value of the wrong type is an OptionError)."""
    if name not in PRESETS:
        raise OptionError(f"no preset named {name!r}; known: {', '.join(PRESETS)}")
    scale = resolve_scale(scale)
    data = name if name != "minchar" else "tinyshakespeare"
    cfg = Config(data=data, scale=scale).replace(**PRESETS[name][scale])
    return cfg.replace(**overrides)


# Chapter 10 (inside the LSTM): what it does at each scale.
#   models        overrides of the War and Peace, Linux and Wikipedia presets (cpu: smaller and
#                 shorter than their own chapters, to fit this chapter in minutes)
#   test_batches  batches of the test split for its loss (0: all)
#   cells_chars   held-out characters whose internals are kept (memory grows with it)
#   ngram_train   training characters for the n-gram (None: the whole train split)
#   losses_chars  test characters compared one by one (None: all); order: the n-gram's n
#   compare       the RNN / GRU / LSTM table: parameter budget and training of each model
INSIDE_LSTM = {
    "smoke": dict(models=dict(), test_batches=20, cells_chars=4_000, ngram_train=100_000,
                  losses_chars=20_000, order=20,
                  compare=dict(budget=4_000, max_steps=10, batch_size=8, seq_len=32, eval_batches=4)),
    "cpu": dict(models=dict(hidden=128, batch_size=16, seq_len=32, lr=8e-3, lr_decay=0.5, max_steps=2700,
                            lr_decay_every=675, eval_every=540), test_batches=0,
                cells_chars=16_000, ngram_train=None, losses_chars=200_000, order=20,
                compare=dict(budget=50_000, max_steps=400, batch_size=32, seq_len=64, eval_batches=0)),
    "gpu": dict(models=dict(), test_batches=0, cells_chars=20_000, ngram_train=None, losses_chars=None, order=20,
                compare=dict(budget=500_000, max_steps=3000, batch_size=100, seq_len=100, eval_batches=0)),
}


INSIDE_LSTM_KEYS = ("models", "test_batches", "cells_chars", "ngram_train", "losses_chars", "order", "compare")


def inside_lstm(scale="auto"):
    """Chapter 10's sizes at `scale` (a deep copy: a chapter may pop from it), checked."""
    import copy
    size = copy.deepcopy(INSIDE_LSTM[resolve_scale(scale)])
    check_inside_lstm(size)
    return size


def check_inside_lstm(size):
    """OptionError unless `size` has exactly chapter 10's keys, counts that are whole numbers
    (or None where the comment above allows), and models / compare that are Config options
    (compare's budget aside)."""
    check_keys(size, INSIDE_LSTM_KEYS, "inside_lstm key")
    missing = [k for k in INSIDE_LSTM_KEYS if k not in size]
    if missing or "budget" not in size["compare"]:
        raise OptionError(f"inside_lstm sizes lack {', '.join(missing) or 'compare.budget'}")
    for key in ("test_batches", "cells_chars", "ngram_train", "losses_chars", "order", "budget"):
        v = size["compare"]["budget"] if key == "budget" else size[key]
        if not ((v is None and key in ("ngram_train", "losses_chars")) or type(v) is int and v >= 0):
            raise OptionError(f"inside_lstm's {key} must be a whole number of at least 0, got {v!r}")
    Config(**size["models"])  # raises on a typo or a wrong type
    Config(**{k: v for k, v in size["compare"].items() if k != "budget"})
