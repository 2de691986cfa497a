"""The temperature slider that every dataset chapter shows under its samples.

All samples for the whole temperature grid are drawn up front in ONE call to `sample_fn`, and a
slider picks which one is shown. The slider's index is linked to a `Stack` on the browser side
(`jslink`), so the choice needs no kernel: it keeps working in the built HTML book, where the
saved widget state is replayed by the widget HTML manager. With a kernel (Jupyter, Colab) a prime
box and a button are added; they redraw the whole grid, again in one call.
"""
import html
import math
import os

import ipywidgets as widgets

# 0.1 ... 1.5: near 0 the model loops on its likeliest text, at 1 it samples itself as trained,
# above 1 it grows wild. The article's samples sit at 0.5 and 1.0.
TEMPERATURES = tuple(round(0.1 * i, 1) for i in range(1, 16))


def _check_grid(temperatures):
    temps = [float(t) for t in temperatures]
    if not temps:
        raise ValueError("temperature grid is empty: give at least one temperature")
    bad = [t for t in temps if not (math.isfinite(t) and t > 0)]
    if bad:
        raise ValueError(f"temperatures must be positive and finite, got {bad}")
    labels = [f"{t:g}" for t in temps]
    if len(set(labels)) != len(labels):
        raise ValueError(f"temperatures must be distinct, got {labels}")
    return temps, labels


def _sample_box(text):
    # pre-wrap keeps the model's own line breaks and still wraps long lines.
    return ('<pre class="rnnkit-sample" style="white-space: pre-wrap; margin: 0">'
            f"{html.escape(text)}</pre>")


def _has_kernel():
    """True in a Jupyter/Colab kernel, False in plain Python and during the book build."""
    if os.environ.get("RNNKIT_BOOK_BUILD"):  # set by tools/build_book.py and the tests
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class TemperatureSlider(widgets.VBox):
    """A slider over a temperature grid showing one precomputed sample per temperature.

    sample_fn(temperatures: list[float], prime: str) -> list[str], one sample per temperature,
    in order. `live=None` adds the prime box and resample button only when a kernel runs.
    """

    def __init__(self, sample_fn, temperatures=TEMPERATURES, prime="", live=None, start=1.0):
        self.temperatures, labels = _check_grid(temperatures)
        self.sample_fn = sample_fn
        self.live = _has_kernel() if live is None else bool(live)
        self.prime = prime
        first = min(range(len(labels)), key=lambda i: abs(self.temperatures[i] - start))

        self.slider = widgets.SelectionSlider(
            options=list(zip(labels, self.temperatures)), index=first,
            description="temperature", continuous_update=True, style={"description_width": "initial"},
            layout=widgets.Layout(width="min(32rem, 100%)"))
        full = widgets.Layout(width="100%")
        self.stack = widgets.Stack([widgets.HTML(layout=full) for _ in labels], selected_index=first,
                                   layout=full)
        # The link lives in the browser: moving the slider needs no kernel.
        self.link = widgets.jslink((self.slider, "index"), (self.stack, "selected_index"))
        self.caption = widgets.HTML()

        controls = [self.slider]
        if self.live:
            self.prime_box = widgets.Text(value=prime, description="prime",
                                          continuous_update=False)
            self.button = widgets.Button(description="new samples")
            self.prime_box.observe(lambda change: self._resample_from_box(change["new"]), names="value")
            self.button.on_click(lambda _: self._resample_from_box(self.prime_box.value))
            controls = [self.slider, self.prime_box, self.button]
        super().__init__([widgets.HBox(controls), self.caption, self.stack])
        self.add_class("rnnkit-temperature-slider")  # a stable hook for the browser tests
        self.resample(prime)

    @property
    def samples(self):
        """The current samples, in grid order."""
        return list(self._samples)

    @property
    def shown(self):
        """The sample the slider currently selects."""
        return self._samples[self.slider.index]

    def _resample_from_box(self, prime):
        # An error raised in a widget callback goes to a log the reader never sees: show it
        # under the slider instead, and keep the samples already there.
        try:
            self.resample(prime)
        except ValueError as e:
            self.caption.value = (f'<small style="color: #b00020">Prime not used: {html.escape(str(e))}. '
                                  "The samples below are the previous ones.</small>")

    def resample(self, prime=None):
        """Draw the whole grid again in one call and show the new samples in place."""
        prime = self.prime if prime is None else prime
        samples = list(self.sample_fn(list(self.temperatures), prime))
        if len(samples) != len(self.temperatures):
            raise ValueError(f"sample_fn returned {len(samples)} samples for "
                             f"{len(self.temperatures)} temperatures")
        if not all(isinstance(s, str) for s in samples):
            raise TypeError("sample_fn must return a list of str")
        self.prime, self._samples = prime, samples
        for box, text in zip(self.stack.children, samples):
            box.value = _sample_box(text)
        said = f"primed with <code>{html.escape(prime)}</code>" if prime else "no prime"
        self.caption.value = (f"<small>One sample per temperature ({said}); "
                              "move the slider to compare.</small>")


def temperature_slider(sample_fn, temperatures=TEMPERATURES, prime="", live=None, start=1.0):
    """Build the slider widget; see TemperatureSlider. Display it as a cell's last value."""
    return TemperatureSlider(sample_fn, temperatures, prime=prime, live=live, start=start)
