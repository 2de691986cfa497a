"""rnnkit.tasks.common: the tasks' sizes (one schema, one getter), strict options, Run."""
import dataclasses
import importlib
import inspect

import pytest

from rnnkit.book import diversity
from rnnkit.errors import OptionError
from rnnkit.presets import SCALES, Config
from rnnkit.tasks import common, options
from rnnkit.tasks.classify import train_classifier
from rnnkit.tasks.conditional import train_generator
from rnnkit.tasks.gpt import GPTTrainer
from rnnkit.tasks.gradients import adding_grid, bptt_study, train_adding
from rnnkit.tasks.linearity import train_tracker
from rnnkit.tasks.minrnn import CharMinGRU, MinGRUTrainer, time_scans
from rnnkit.tasks.race import race
from rnnkit.tasks.seq2seq import addition_data, train
from rnnkit.tasks.wordlm import train_word_lm

CONFIG = {f.name for f in dataclasses.fields(Config)}


def takes(fn):
    return set(inspect.signature(fn).parameters)


# experiment -> {key of its sizes: the options it feeds}; None: the sizes feed fn directly
FEEDS = {
    "names-classify": (train_classifier, None),
    "names-generate": (train_generator, None),
    "addition": (None, {"data": takes(addition_data), "train": takes(train), "plain_examples": None}),
    "bptt-gradients": (bptt_study, None),
    "adding-problem": (None, {k: None for k in takes(adding_grid) | takes(train_adding)}),
    # chapter 14 passes these to train_adding by name (clip as grad_clip)
    "exploding": (None, {k: None for k in takes(train_adding) | {"clip"}}),
    "rnn-vs-transformer": (None, {"lstm": CONFIG, "gpt": takes(GPTTrainer), **{k: None for k in takes(race)},
                                  "text_chars": None, "contexts": None, "reps": None}),
    "chars-vs-words": (None, {"char": CONFIG, "word": takes(train_word_lm), "min_count": None,
                              "heldout_chars": None, "sample_chars": None}),
    "parallel-rnn": (None, {"scan": takes(time_scans), "model": takes(CharMinGRU.__init__), "lstm": CONFIG,
                            "gpt": takes(GPTTrainer), "mingru": takes(MinGRUTrainer), **{k: None for k in takes(race)},
                            "lengths": None, "chars": None, "speed_steps": None, "text_chars": None,
                            "contexts": None, "reps": None}),
    "linearity": (train_tracker, None),
}


def all_presets():
    tables = {}
    for module in common.MODULES:
        tables.update(importlib.import_module(f"rnnkit.tasks.{module}").PRESETS)
    return tables


def test_every_experiment_has_every_scale_with_the_same_keys():
    tables = {**all_presets(), **diversity.PRESETS}
    assert set(tables) == set(FEEDS) | {"sampling"}
    for name, table in tables.items():
        assert set(table) == set(SCALES), name
        keys = set(table["smoke"])
        for scale in SCALES:  # (a nested dict is the options of one call: it lists what it changes)
            assert set(table[scale]) == keys, (name, scale)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_every_size_is_an_option_of_the_call_it_feeds(name):
    fn, parts = FEEDS[name]
    for scale in SCALES:
        sizes = options(name, scale)
        if fn is not None:
            assert set(sizes) <= takes(fn), (name, scale, set(sizes) - takes(fn))
            continue
        for key, value in sizes.items():
            assert key in parts, (name, key)
            if isinstance(value, dict):
                assert set(value) <= parts[key], (name, key, set(value) - parts[key])


def test_sampling_sizes_are_overrides_of_a_config():
    for scale in SCALES:
        assert set(diversity.options(scale)["model"]) <= CONFIG


def test_options_are_a_fresh_copy_with_checked_overrides():
    a = options("addition", "smoke")
    a["data"]["digits"] = 9
    assert options("addition", "smoke")["data"]["digits"] == 2  # nested dicts are copied too
    assert options("names-classify", "smoke", epochs=7)["epochs"] == 7
    assert options("names-classify", "cpu") != options("names-classify", "smoke")
    with pytest.raises(OptionError, match="no size 'epoch'"):
        options("names-classify", "smoke", epoch=7)
    with pytest.raises(OptionError, match="no task named 'addtion'.*addition"):
        options("addtion", "smoke")
    with pytest.raises(ValueError, match="unknown scale"):
        options("addition", "big")
    assert options("addition") == options("addition", common.resolve_scale("auto"))
    with pytest.raises(OptionError, match="no size 'lenght'"):
        diversity.options("smoke", lenght=3)


def test_strict_options_names_the_unknown_option_and_the_known_ones():
    @common.strict_options
    def fit(data, steps=1, lr=0.1):
        return steps

    assert fit([], steps=3) == 3 and fit(data=[], lr=1.0) == 1
    with pytest.raises(OptionError, match=r"<locals>.fit has no option 'step'; its options: steps, lr$"):
        fit([], step=3)
    with pytest.raises(OptionError, match="'x', 'y'"):
        fit([], x=1, y=2)


def test_a_run_has_reached_its_target_when_a_point_met_it():
    run = common.Run(model=None, curve=[(10, 0.5)], best=(10, 0.5), steps=1, examples=10, cpu_seconds=0.1,
                     stopped="done", options={})
    assert not run.reached and run.losses == [] and run.grad_norms == []
    assert dataclasses.replace(run, reached_at=10).reached
