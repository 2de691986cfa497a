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
    fig = plots.plot_correlations(r, r / 3, threshold=0.5)
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 4  # two cells in each of two histograms
    assert ax.get_lines()[0].get_xdata()[0] == 0.5
