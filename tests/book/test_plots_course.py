"""Part III's matplotlib figures: the right panels, lines and marks, at the book's width."""
import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from rnnkit.book import plots_course as pc  # tests/book/conftest.py selects the Agg backend first


def test_prefix_strip_one_cell_per_letter_coloured_by_probability():
    fig = pc.plot_prefix_strip([("Kim", [0.1, 0.5, 0.95]), ("Jo", [0.8, 0.2])], "female")
    ax = fig.axes[0]
    assert len(ax.patches) == 5  # one cell per letter read
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Kim", "Jo"]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == ["K", "0.10"] and "0.95" in texts
    assert ax.patches[0].get_facecolor() != ax.patches[2].get_facecolor()


def test_learning_curves_in_percent_with_the_target():
    fig = pc.plot_learning_curves({"a": [(100, 1.0, 0.5), (200, 2.0, 0.9)], "b": [(100, 1.0, 0.2)]}, target=0.99)
    lines = fig.axes[0].get_lines()
    assert list(lines[0].get_ydata()) == [50.0, 90.0] and list(lines[0].get_xdata()) == [100, 200]
    assert lines[-1].get_ydata()[0] == 99.0 and len(lines) == 3


def test_attention_maps_one_map_per_example_and_the_wrong_answer_named():
    w = np.full((3, 5), 0.2)
    fig = pc.plot_attention_maps([("12+3", "15", w, "15"), ("12+4", "17", w, "16")], cols=3)
    axes = fig.axes
    assert len(axes) == 3 and not axes[2].axison  # the unused third panel is blank
    assert axes[0].get_title() == "12+3 = 15" and axes[1].get_title() == "12+4 = 16, wrote 17"
    assert [t.get_text() for t in axes[0].get_yticklabels()] == ["1", "5", "$"]


def test_gradient_norms_two_panels_a_line_per_cell():
    study = {k: {"rnn": [1.0, 0.1, 0.01], "lstm": [1.0, 0.9, 0.8], "lstm, forget bias 1": [1.0, 1.0, 1.0]}
             for k in ("init", "trained")}
    fig = pc.plot_gradient_norms(study)
    assert [ax.get_title() for ax in fig.axes] == ["at initialisation", "after training"]
    lines = fig.axes[1].get_lines()
    assert len(lines) == 3 and lines[2].get_linestyle() == ":"  # the forget-bias variant dotted
    assert lines[0].get_color() == pc.COLORS["rnn"]


def test_adding_curves_one_panel_per_length_with_both_reference_lines():
    run = SimpleNamespace(curve=[(0, 0.2), (50, 0.05), (100, 0.005)])
    grid = {("rnn", 10): run, ("lstm", 10): run, ("lstm", 20): run}
    fig = pc.plot_adding_curves(grid)
    assert [ax.get_title() for ax in fig.axes] == ["T = 10", "T = 20"]
    assert len(fig.axes[0].get_lines()) == 2 + 2 and len(fig.axes[1].get_lines()) == 1 + 2


def test_exploding_ends_a_diverged_line_with_an_x():
    runs = {"no clipping": SimpleNamespace(grad_norms=[1.0, 10.0, math.inf], losses=[1.0, 5.0, math.nan]),
            "clipped": SimpleNamespace(grad_norms=[1.0, 1.0, 1.0], losses=[1.0, 0.5, 0.2])}
    fig = pc.plot_exploding(runs)
    left = fig.axes[0].get_lines()
    assert len(left) == 3 and left[1].get_marker() == "x" and list(left[1].get_xdata()) == [2]
    assert len(left[0].get_xdata()) == 2 and len(left[2].get_xdata()) == 3


def test_race_curves_and_the_reference_line():
    result = {"LSTM": {"curve": [(1.0, 10, 3.0), (2.0, 20, 2.5)], "params": 2e5, "cpu_s": 2.0, "val": 2.4},
              "GPT": {"curve": [], "params": 1e5, "cpu_s": 2.1, "val": 2.9}}
    fig = pc.plot_race_curves(result, reference=("target", 1.47))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["LSTM (0.20M params)"]  # a racer without a curve gets only its final dot
    assert len(ax.get_lines()) == 2 + 1 + 1 and ax.texts[0].get_text() == "target"


def test_context_cost_log_axes_three_lines_each():
    rows = [dict(context=L, lstm_ms=0.1, gpt_ms=0.01 * L, gpt_cache_ms=0.2, lstm_bytes=128, gpt_bytes=8 * L,
                 gpt_cache_bytes=64 * L) for L in (64, 256)]
    fig = pc.plot_context_cost(rows)
    assert all(ax.get_xscale() == "log" == ax.get_yscale() for ax in fig.axes)
    assert [len(ax.get_lines()) for ax in fig.axes] == [3, 3]
    assert list(fig.axes[1].get_lines()[2].get_ydata()) == [64 * 64, 64 * 256]
    assert [ax.get_ylabel() for ax in fig.axes] == ["CPU ms per character", "bytes carried between characters"]
    assert fig.axes[0].get_xlabel() == fig.axes[1].get_xlabel() == "context (characters)"
    assert fig.axes[0].get_legend() is not None and fig.axes[1].get_legend() is None


def test_context_cost_draws_extra_recurrences_from_their_columns():
    rows = [dict(context=L, lstm_ms=0.1, gpt_ms=0.01 * L, gpt_cache_ms=0.2, lstm_bytes=128, gpt_bytes=8 * L,
                 gpt_cache_bytes=64 * L, mingru_ms=0.3, mingru_bytes=96) for L in (64, 256)]
    fig = pc.plot_context_cost(rows, extra=[("minGRU", "mingru", "tab:green", "D")])
    assert [len(ax.get_lines()) for ax in fig.axes] == [4, 4]
    assert list(fig.axes[1].get_lines()[3].get_ydata()) == [96, 96]
    assert fig.axes[0].get_legend().get_texts()[3].get_text() == "minGRU"


def test_length_speed_one_line_per_model_and_the_chosen_lengths_ringed():
    speeds = {"lstm": [(32, 16e3, 9e5), (1024, 11e3, 9e5)], "mingru": [(32, 13e3, 8.5e5), (1024, 12e3, 8.5e5)],
              "gpt": [(32, 13e3, 8e5), (1024, 8e3, 8e5)]}
    fig = pc.plot_length_speed(speeds, chosen={"lstm": 32, "mingru": 1024, "gpt": 32})
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 6 and ax.get_xscale() == "log"
    assert list(lines[2].get_xdata()) == [32, 1024] and list(lines[2].get_ydata()) == [13e3, 12e3]
    assert list(lines[3].get_xdata()) == [1024] and lines[3].get_marker() == "o"  # the minGRU's ring
    assert [t.get_text() for t in ax.get_legend().get_texts()][1] == "minGRU (parallel scan), 0.85M params"
    assert ax.get_ylim()[0] == 0 and ax.get_ylabel() == "training characters per CPU second"


def test_trackers_a_panel_per_task_solid_at_t_dashed_at_4t():
    Check = __import__("rnnkit.tasks.linearity", fromlist=["Check"]).Check
    run = lambda a, b: SimpleNamespace(curve=[Check(10, a, b), Check(20, a + 0.1, b)])
    runs = {("parity", "lstm"): run(0.6, 0.55), ("parity", "mingru"): run(0.5, 0.5),
            ("depth", "lstm"): run(0.4, 0.3), ("depth", "mingru"): run(0.5, 0.4)}
    fig = pc.plot_trackers(runs)
    left, right = fig.axes
    assert [left.get_title(), right.get_title()] == ["parity", "depth"]
    assert [len(ax.get_lines()) for ax in fig.axes] == [4, 4]
    assert [ln.get_linestyle() for ln in left.get_lines()] == ["-", "--", "-", "--"]
    assert list(left.get_lines()[0].get_ydata()) == [0.6, 0.7] and list(left.get_lines()[1].get_ydata()) == [0.55, 0.55]
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["LSTM, T", "LSTM, 4T", "minGRU, T", "minGRU, 4T"]
    assert right.get_legend() is None


def test_sampling_tradeoff_labels_each_knob_and_stars_the_references():
    m = lambda d, w: {"distinct2": d, "real_words": w}
    grid = {"temperature": [(0.5, m(0.3, 0.9), ""), (1.0, m(0.8, 0.6), "")], "top-k": [(5, m(0.5, 0.8), "")]}
    fig = pc.plot_sampling_tradeoff(grid, {"held-out real text": m(0.9, 0.95)})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["0.5", "1", "5", "held-out real text"]
    assert ax.get_lines()[-1].get_marker() == "*"


def test_titles_and_legends_keep_their_sizes_whatever_the_settings():
    with plt.rc_context({"axes.titlesize": 20, "legend.fontsize": 20}):
        norms = pc.plot_gradient_norms({k: {"rnn": [1.0, 0.5]} for k in ("init", "trained")})
        adding = pc.plot_adding_curves({("rnn", 10): SimpleNamespace(curve=[(0, 0.2), (10, 0.1)])})
    for fig in (norms, adding):
        assert fig.get_size_inches()[0] == 7
        assert fig.axes[0].title.get_fontsize() == 10
        assert fig.axes[0].get_legend().get_texts()[0].get_fontsize() == 9
