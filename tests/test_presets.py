"""Presets: three scales per experiment, one smoke dict, and the errors a typo gets."""
import pytest

from rnnkit import presets
from rnnkit.errors import OptionError
from rnnkit.presets import SCALES, SMOKE, Config


def test_every_experiment_has_every_scale_and_valid_options():
    for name, scales in presets.PRESETS.items():
        assert set(scales) == set(SCALES), name
        for scale in SCALES:
            cfg = presets.get(name, scale)
            assert isinstance(cfg, Config) and cfg.scale == scale
            assert abs(sum(cfg.split) - 1) < 1e-9 and cfg.max_steps > 0


def test_smoke_is_one_small_shared_dict():
    for name in presets.PRESETS:
        if name == "minchar":  # numpy's vanilla RNN: its own smoke (no batches)
            continue
        cfg = presets.get(name, "smoke")
        for key, value in SMOKE.items():
            if key != "seq_len":  # the names lists use shorter chunks
                assert getattr(cfg, key) == value, (name, key)
        assert cfg.n_layers * cfg.hidden <= 32 and cfg.max_steps <= 30
    assert presets.get("warpeace", "smoke").encoding == "bytes" == presets.get("wikipedia", "smoke").encoding
    assert presets.get("warpeace", "smoke").split == (0.8, 0.1, 0.1)


def test_gpu_scale_keeps_the_article_sizes():
    pg = presets.get("paulgraham", "gpu")
    assert (pg.n_layers, pg.hidden, pg.dropout, pg.batch_size, pg.seq_len) == (2, 512, 0.5, 100, 100)
    assert presets.get("tinyshakespeare", "gpu").n_layers == 3


def test_overrides_unknown_names_and_scales():
    assert presets.get("linux", "smoke", hidden=7).hidden == 7
    with pytest.raises(OptionError, match=r"unknown config option\(s\): hiden"):
        presets.get("linux", "smoke", hiden=7)
    with pytest.raises(OptionError, match="hidden must be a whole number"):
        presets.get("linux", "smoke", hidden=7.5)
    with pytest.raises(OptionError, match="no preset named"):
        presets.get("linuxx", "smoke")
    with pytest.raises(OptionError, match="unknown scale 'big'; choose auto, smoke, cpu or gpu"):
        presets.resolve_scale("big")
    assert presets.resolve_scale("auto") in ("cpu", "gpu")
    assert presets.get("minchar", "smoke").data == "tinyshakespeare"


def test_inside_lstm_sizes_at_every_scale_are_a_fresh_copy():
    for scale in SCALES:
        size = presets.inside_lstm(scale)
        assert {"models", "test_batches", "cells_chars", "ngram_train", "losses_chars", "order",
                "compare"} <= set(size)
        assert size["compare"]["budget"] > 0 and size["order"] == 20
    size = presets.inside_lstm("smoke")
    size["compare"].pop("budget")
    assert "budget" in presets.inside_lstm("smoke")["compare"]  # the chapter pops from its copy
    assert presets.inside_lstm("cpu")["compare"]["budget"] < presets.inside_lstm("gpu")["compare"]["budget"]


@pytest.mark.parametrize("change, message", [
    (lambda s: s["models"].update(hiden=64), r"unknown config option\(s\): hiden"),
    (lambda s: s["models"].update(hidden="64"), "hidden must be a whole number"),
    (lambda s: s["compare"].update(max_step=10), r"unknown config option\(s\): max_step"),
    (lambda s: s["compare"].pop("budget"), "compare.budget"),
    (lambda s: s.update(cell_chars=100), r"unknown inside_lstm key\(s\): cell_chars"),
    (lambda s: s.pop("order"), "lack order"),
    (lambda s: s.update(order=20.0), "order must be a whole number"),
    (lambda s: s.update(test_batches=None), "test_batches must be a whole number"),
])
def test_inside_lstm_sizes_are_checked(change, message):
    size = presets.inside_lstm("smoke")
    presets.check_inside_lstm(size)  # as shipped: fine, ngram_train=None included
    presets.check_inside_lstm({**size, "ngram_train": None})
    change(size)
    with pytest.raises(OptionError, match=message):
        presets.check_inside_lstm(size)
