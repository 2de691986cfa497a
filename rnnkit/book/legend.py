"""Legends that never cover the data: `place(ax)` tries the nine places inside the panel and keeps
the first whose box holds no data point; when every place covers some, the legend goes outside,
right of the panel. matplotlib's loc="best" only minimises the overlap, and a fixed corner covers
whatever curve ends there in another run.

    place(ax, fontsize=9)      the legend of ax's labelled artists, placed clear of the data
    covered(ax)                how many data points ax's legend covers (0 once placed; for tests)
"""
import numpy as np

PLACES = ("upper right", "upper left", "lower left", "lower right", "center right", "center left",
          "upper center", "lower center", "center")


def _points(ax):
    """Display coordinates of everything drawn in ax: line vertices with each segment sampled
    (a straight line covers its whole length), scatter offsets, filled areas' outlines."""
    out = []
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy) == 0:
            continue
        xy = line.get_transform().transform(xy)
        if len(xy) > 1:  # 20 points per segment
            t = np.linspace(0, 1, 20)[None, :, None]
            xy = (xy[:-1, None, :] * (1 - t) + xy[1:, None, :] * t).reshape(-1, 2)
        out.append(xy)
    for coll in ax.collections:
        offsets = np.asarray(coll.get_offsets(), dtype=float)
        if len(offsets):
            out.append(coll.get_offset_transform().transform(offsets))
        for path in coll.get_paths():
            if len(path.vertices):
                out.append(coll.get_transform().transform(path.vertices))
    pts = np.concatenate(out) if out else np.zeros((0, 2))
    return pts[np.isfinite(pts).all(axis=1)]


def covered(ax):
    """Data points (display coordinates) inside ax's legend box; 0 when there is no legend."""
    leg = ax.get_legend()
    if leg is None:
        return 0
    fig = ax.figure
    fig.canvas.draw()
    box = leg.get_window_extent(fig.canvas.get_renderer()).padded(2)
    pts = _points(ax)
    return int(((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)).sum())


def place(ax, fontsize=9, **kwargs):
    """Put ax's legend at the first of PLACES where it covers no data, else outside on the right."""
    for loc in PLACES:
        ax.legend(loc=loc, fontsize=fontsize, **kwargs)
        if covered(ax) == 0:
            return ax.get_legend()
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=fontsize, borderaxespad=0, **kwargs)
