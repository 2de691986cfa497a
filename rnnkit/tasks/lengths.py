"""Training speed against the BPTT length, and each racer at its own best length (chapter 18).

    make = lambda length: racers(text, length, chars=1024, scale="cpu")
    speeds = speed_sweep(make, lengths=(32, 64, 128, 256, 512, 1024))   # {name: [(length, chars/CPU s, params)]}
    best = {name: best_length(points) for name, points in speeds.items()}
    field = racers(text, best, chars=1024, scale="cpu")                # each at its own length

racers() builds chapter 15's two racers and the minGRU at one length: the LSTM (rnnkit's Trainer,
truncated BPTT of `length`), the GPT (a context of `length`) and the minGRU (rnnkit.tasks.minrnn,
truncated BPTT of `length`, the scan over it). Every update reads the same number of characters,
`chars` = rows x length, so a longer length means fewer rows: the question is what each model
does with one long sequence rather than many short ones. The LSTM must take its steps one after
another; the minGRU and the GPT read all positions of a row at once.
"""
from .. import presets
from .gpt import GPTTrainer
from .minrnn import MinGRUTrainer
from .race import Clock, LSTMRunner

NAMES = ("lstm", "mingru", "gpt")  # the racers, in the order figures and tables show them


def racers(text, lengths, chars, scale, lstm=None, gpt=None, mingru=None, model=None, seed=1337):
    """{"lstm": LSTMRunner, "mingru": MinGRUTrainer, "gpt": GPTTrainer} at `lengths` (one length
    for all, or {name: length}: then only those racers), each reading max(1, chars // length)
    rows of `length` characters per update, trained on the first 90% of `text` and scored on
    the rest. lstm: overrides of the tinyshakespeare preset (the cpu one, or smoke at smoke
    scale); gpt: GPTTrainer options; mingru: MinGRUTrainer options; model: CharMinGRU's sizes."""
    lengths = lengths if isinstance(lengths, dict) else dict.fromkeys(NAMES, lengths)
    rows = {name: max(1, chars // length) for name, length in lengths.items()}
    lstm_scale = "smoke" if presets.resolve_scale(scale) == "smoke" else "cpu"
    first_length = lengths.get("lstm", min(lengths.values()))  # the LSTM's Trainer reads the splits
    cfg = presets.get("tinyshakespeare", lstm_scale, split=(0.9, 0.1, 0.0), seed=seed,
                      batch_size=max(1, chars // first_length), seq_len=first_length, **(lstm or {}))
    first = LSTMRunner(cfg, text)
    splits, vocab_size = first.trainer.splits, len(first.trainer.vocab)
    make = {"lstm": lambda: first,
            "mingru": lambda: MinGRUTrainer(splits["train"], splits["val"], vocab_size, batch=rows["mingru"],
                                            seq_len=lengths["mingru"], seed=seed, **(model or {}), **(mingru or {})),
            "gpt": lambda: GPTTrainer(splits["train"], splits["val"], vocab_size, batch=rows["gpt"],
                                      context=lengths["gpt"], seed=seed, **(gpt or {}))}
    return {name: make[name]() for name in NAMES if name in lengths}


def speed_sweep(make, lengths, steps=3, log=None):
    """For each length, make(length) -> {name: runner}; every runner takes one untimed update
    (first-call costs), then `steps` timed ones. Returns {name: [(length, characters per CPU
    second, parameters)]}, lengths in order. The runners of one length take their turns
    back to back, so a busy neighbour slows them alike."""
    out = {}
    for length in lengths:
        for name, runner in make(length).items():
            runner.train_step()
            before = runner.chars
            with Clock() as c:
                for _ in range(steps):
                    runner.train_step()
            speed = (runner.chars - before) / max(c.cpu, 1e-9)
            out.setdefault(name, []).append((length, speed, runner.n_params()))
            if log:
                log(f"  {name} at {length}: {speed:,.0f} chars per CPU s")
    return out


def best_length(points, within=0.9):
    """The length a racer trains at: the longest whose speed is within `within` of its fastest
    (a longer window carries more context per update for about the same CPU time).
    points: [(length, chars per CPU s, ...)]."""
    fastest = max(p[1] for p in points)
    return max(p[0] for p in points if p[1] >= within * fastest)


def speed_at(points, length):
    """The measured characters per CPU second at `length`."""
    return next(p[1] for p in points if p[0] == length)


def lstm_schedule(budget, speed, chars):
    """The LSTM's step decay fitted to the race: updates it should make in `budget` CPU seconds
    at `speed` characters per CPU second, `chars` per update; the learning rate halves every
    quarter of them (the preset's schedule, scaled to the budget) and nothing stops it early."""
    expected = max(4, int(budget * speed / chars))
    return dict(lr_decay_every=max(1, expected // 4), max_steps=10 * expected)
