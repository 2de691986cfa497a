"""rnnkit.config: a Config refuses unknown keys, wrong types and impossible values, with one
line that names the key; the lists of choices are the ones the model and the CLI use."""
import dataclasses

import pytest

from rnnkit import config
from rnnkit.config import Config
from rnnkit.errors import OptionError, RnnkitError


@pytest.mark.parametrize("make", [
    lambda: Config(hiden=64),
    lambda: Config().replace(hiden=64),
    lambda: dataclasses.replace(Config(), hiden=64),
])
def test_an_unknown_key_is_an_option_error_that_names_it(make):
    with pytest.raises(OptionError, match=r"unknown config option\(s\): hiden \(did you mean hidden\?\)") as e:
        make()
    assert isinstance(e.value, RnnkitError) and isinstance(e.value, ValueError)  # `except ValueError` still works
    assert "\n" not in str(e.value)


def test_several_unknown_keys_are_all_named():
    with pytest.raises(OptionError, match="unknown config option.*: bogus, lerning_rate"):
        Config(lerning_rate=1e-3, bogus=1)


@pytest.mark.parametrize("field, value, message", [
    ("seq_len", True, "seq_len must be a whole number, got True"),   # a bool is not an int
    ("hidden", 128.0, "hidden must be a whole number, got 128.0"),   # a float where an int is expected
    ("max_steps", "100", "max_steps must be a whole number"),
    ("lr", "0.01", "lr must be a number"),
    ("dropout", False, "dropout must be a number"),
    ("cell", 3, "cell must be a non-empty string"), ("data", "", "data must be a non-empty string"),
    ("split", (0.9, 0.1), "split must be three fractions"),
    ("split", (0.9, 0.2, -0.1), "split must be three fractions"),
    ("split", (0.5, 0.2, 0.2), "split must be three fractions .* sum to 1"),
    ("split", (True, False, False), "split must be three fractions"),
    ("split", "0.9 0.05 0.05", "split must be three fractions"),
])
def test_wrong_types_are_refused(field, value, message):
    with pytest.raises(OptionError, match=message):
        Config(**{field: value})


@pytest.mark.parametrize("option, message", [
    (dict(seq_len=0), "seq_len must be .* at least 1"), (dict(batch_size=-2), "batch_size"),
    (dict(eval_every=0), "eval_every"), (dict(embed=-1), "embed must be .* at least 0"),
    (dict(max_steps=0), "nothing would be trained"), (dict(lr=float("nan")), "lr must be a finite"),
    (dict(lr=1e38), "lr must be at most 1e37"), (dict(grad_clip=-1.0), "grad_clip must be a finite number >= 0"),
    (dict(dropout=1.0), "dropout"), (dict(cell="transformer"), "unknown cell 'transformer'; choose rnn, gru or lstm"),
    (dict(optimizer="sgd"), "unknown optimizer 'sgd'; choose adam or rmsprop"),
    (dict(scale="huge"), "unknown scale 'huge'"),
])
def test_impossible_settings_are_clear_errors(option, message):
    with pytest.raises(OptionError, match=message):
        Config(**option)


def test_what_a_config_accepts_and_keeps():
    c = Config(lr=1, dropout=0, split=[0.8, 0.1, 0.1], min_lr=0)  # an int is a number; a list is three fractions
    assert c.lr == 1 and c.split == (0.8, 0.1, 0.1) and isinstance(c.split, tuple)
    assert Config(split=(0.9, 0.1, 0)).split == (0.9, 0.1, 0)  # an empty test split (the races use it)
    from pathlib import Path
    assert Config(data=Path("corpus.txt")).data == "corpus.txt"  # a checkpoint stores plain strings
    assert c.replace(hidden=7).hidden == 7 and c.hidden == 128  # a copy
    assert Config(**dataclasses.asdict(c)) == c  # what a checkpoint stores reads back


def test_a_resumed_config_may_change_only_the_schedule():
    stored = Config(max_steps=100)
    assert stored.resumed(lr=1e-3, max_steps=200).max_steps == 200
    assert stored.resumed(hidden=128).hidden == 128  # asking for the value it has: fine
    with pytest.raises(OptionError, match=r"cannot change hidden \(checkpoint 128, asked 64\)"):
        stored.resumed(hidden=64)
    with pytest.raises(OptionError, match=r"unknown option\(s\): hiden"):
        stored.resumed(hiden=64)
    assert set(config.RESUMABLE) < set(config.FIELDS)


def test_one_list_per_choice_used_by_the_model_and_the_command_line():
    import argparse

    from rnnkit import model
    from rnnkit.cli import build_parser

    assert tuple(model.CELLS) == config.CELLS and set(model.GATES) == set(config.CELLS)
    train = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    choices = {a.dest: tuple(a.choices) for a in train._actions if a.choices}
    assert choices == {"cell": config.CELLS, "optimizer": config.OPTIMIZERS, "scale": ("auto",) + config.SCALES,
                       "precision": config.PRECISIONS}
    assert config.one_of(config.CELLS) == "rnn, gru or lstm" and config.one_of(("cpu",)) == "cpu"


def test_devices():
    config.check_device(None)
    config.check_device("cpu")
    with pytest.raises(OptionError, match="unknown device 'gpu0'; use cpu or cuda"):
        config.check_device("gpu0")
    import torch
    if not torch.cuda.is_available():
        with pytest.raises(OptionError, match="not available here"):
            config.check_device("cuda")
    assert config.default_device() in config.DEVICES
