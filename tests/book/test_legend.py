import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnkit.book.legend import PLACES, covered, place


def test_a_legend_goes_where_the_data_leaves_room():
    fig, ax = plt.subplots(figsize=(7, 3))
    x = np.linspace(0, 1, 100)
    ax.plot(x, 1 - x, label="falling loss")       # covers upper left and lower right
    ax.plot(x, 0.9 - 0.8 * x, label="other run")
    ax.legend(loc="upper left")
    assert covered(ax) > 0, "the test's data must reach the default corner"
    leg = place(ax)
    assert covered(ax) == 0 and leg._loc in (PLACES.index("upper right") + 1, 1)


def test_a_legend_leaves_the_panel_when_every_place_covers_data():
    fig, ax = plt.subplots(figsize=(4, 2))
    x = np.linspace(0, 1, 50)
    for k in range(12):
        ax.plot(x, np.full_like(x, k / 11), label=f"level {k}")
    place(ax)
    fig.tight_layout()
    assert covered(ax) == 0
    box = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= ax.get_window_extent().x1, "the legend should sit right of the panel"


@pytest.mark.legend_may_cover
def test_covered_counts_points_under_the_legend():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.axhline(0.95, label="a level line across the top")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    assert covered(ax) > 0  # a straight line is covered along its length, not only at its ends
