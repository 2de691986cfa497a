"""The book's matplotlib figures: the right panels and lines."""
import matplotlib
import numpy as np

matplotlib.use("Agg")

from rnnkit.book import measures as m
from rnnkit.book import plots


def test_plot_text_stats_draws_one_panel_per_group():
    vocab = m.dictionary("the cat sat on the mat")
    stats = [m.text_stats(t, vocab) for t in ("xq zz", "the cat", "the cat sat")]
    fig = plots.plot_text_stats([0, 100, 200], stats, m.text_stats("the mat", vocab))
    assert len(fig.axes) == 4
    assert len(fig.axes[1].get_lines()) == 6  # three measures, each with its real-text line


def test_plot_saturation_one_panel_per_gate_one_dot_per_cell():
    left, right = np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.1, 0.0])
    fig = plots.plot_saturation({"f": [(left, right)], "i": [(left, right), (right, left)]})
    assert len(fig.axes) == 2
    assert [len(c.get_offsets()) for c in fig.axes[1].collections] == [3, 3]


def test_plot_correlations_histograms_trained_and_untrained():
    r = np.array([[0.9, -0.1], [0.2, 0.3]])
    fig = plots.plot_correlations({"a": (r, r / 3), "b": (r, None)}, threshold=0.5)
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 4  # two cells in each of two histograms
    assert ax.get_lines()[0].get_xdata()[0] == 0.5
    assert len(fig.axes) == 2 and sum(p.get_height() for p in fig.axes[1].patches) == 2


def test_figures_fit_the_book_column():
    # about 7 inches wide, so that the page does not shrink their text below its size
    figs = [plots.plot_rnn_patterns(), plots.plot_saturation({g: [(np.zeros(2), np.ones(2))] for g in "fio"}),
            plots.plot_correlations({"a": (np.ones((2, 2)), None)}),
            plots.plot_brace_losses([{"lo": 1, "hi": 10, "a": 1.0, "b": 2.0, "n": 3},
                                     {"lo": 160, "hi": 10**9, "a": 0.5, "b": 0.4, "n": 1}], 20)]
    for fig in figs:
        assert fig.get_size_inches()[0] == 7
    assert len(figs[0].axes) == 5 and len(figs[1].axes) == 3
    assert [t.get_text() for t in figs[3].axes[0].get_xticklabels()] == ["1-9", "160+"]


def test_lstm_match_draws_both_models_one_line_per_unit():
    hs = np.arange(12.0).reshape(4, 3)  # 4 steps, 3 units
    fig = plots.plot_lstm_match(hs, hs + 1)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 6 and fig.get_size_inches()[0] == 7
    assert [l.get_linestyle() for l in lines] == ["-"] * 3 + ["--"] * 3
    assert list(lines[3].get_ydata()) == [1.0, 4.0, 7.0, 10.0]


def test_losses_are_drawn_against_steps_from_one():
    fig = plots.plot_losses([1.4, 0.9, 0.2], "hello")
    (line,) = fig.axes[0].get_lines()
    assert list(line.get_xdata()) == [1, 2, 3] and list(line.get_ydata()) == [1.4, 0.9, 0.2]
    assert fig.axes[0].get_title() == "hello" and fig.get_size_inches()[0] == 7

