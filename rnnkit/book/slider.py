"""The temperature slider that every dataset chapter shows under its samples.

All samples for the whole temperature grid are drawn up front in ONE call to `sample_fn`, and a
slider picks which one is shown. Two forms share that grid:

- in the built book (no kernel) a small self-contained piece of HTML: an <input type=range>, the
  pre-drawn samples and a few lines of JavaScript. No widget manager, so the page stays light and
  the control is a native, labelled slider that reports the temperature to assistive technology;
- with a kernel (Jupyter, Colab) an ipywidgets slider, plus a prime box and a "new samples" button
  that redraw the whole grid, again in one call; each press draws with a new seed, shown.

Every sample sits in the same grid cell and only the chosen one is visible, so the box keeps the
height of the longest sample and the page does not move as the slider does.
"""
import html
import inspect
import json
import math
import os
import random
import uuid

# 0.1 ... 1.5: near 0 the model loops on its likeliest text, at 1 it samples itself as trained,
# above 1 it grows wild. The article's samples sit at 0.5 and 1.0.
TEMPERATURES = tuple(round(0.1 * i, 1) for i in range(1, 16))

# Whitespace that would vanish inside the caption: newline and tab everywhere, spaces at the ends.
NEWLINE, TAB, SPACE = "\u23ce", "\u21e5", "\u2423"  # ⏎ ⇥ ␣


def visible_prime(prime):
    """The prime as the caption shows it: ⏎ for a newline, ⇥ for a tab, ␣ for a space at either end
    (a space between words stays a space)."""
    shown = prime.replace("\r\n", "\n").replace("\n", NEWLINE).replace("\t", TAB)
    core = shown.strip(" ")
    if not core:
        return SPACE * len(shown)
    left = len(shown) - len(shown.lstrip(" "))
    right = len(shown) - len(shown.rstrip(" "))
    return SPACE * left + core + SPACE * right


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


# The sample text: the page's body size, the model's own line breaks kept, long lines wrapped.
_PRE_STYLE = ("grid-area: 1 / 1; margin: 0; font-size: 1rem; line-height: 1.45; white-space: pre-wrap; "
              "overflow-wrap: anywhere")


SAMPLES_MAX_HEIGHT = "26rem"  # about 18 lines of sample


def _samples_html(samples, labels, shown):
    """Every sample in one grid cell, only `shown` visible: the box is as tall as the longest, up to
    SAMPLES_MAX_HEIGHT (a longer one scrolls inside it, which the keyboard can do too): a page whose
    samples differ in line count (chapter 7's code at 0.3 has twice the lines it has at 1.0) no
    longer shows a large empty box under the short ones."""
    boxes = "".join(
        f'<pre class="rnnkit-sample" data-temperature="{label}" aria-hidden="{str(i != shown).lower()}" '
        f'style="{_PRE_STYLE}; visibility: {"visible" if i == shown else "hidden"}">{html.escape(text)}</pre>'
        for i, (text, label) in enumerate(zip(samples, labels)))
    return (f'<div class="rnnkit-samples" style="display: grid; max-height: {SAMPLES_MAX_HEIGHT}; overflow-y: auto" '
            f'tabindex="0" aria-live="polite">{boxes}</div>')


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


def _takes_seed(fn):
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "seed" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


class _Grid:
    """The samples of a temperature grid, drawn in one call, and the caption that describes them."""

    def __init__(self, sample_fn, temperatures, prime, start, seed):
        self.temperatures, self.labels = _check_grid(temperatures)
        self.sample_fn, self.prime, self.seed = sample_fn, prime, seed
        self.index = min(range(len(self.labels)), key=lambda i: abs(self.temperatures[i] - start))

    @property
    def samples(self):
        """The current samples, in grid order."""
        return list(self._samples)

    @property
    def shown(self):
        """The sample the slider currently selects."""
        return self._samples[self.index]

    def _draw(self, prime, seed):
        kw = {"seed": seed} if seed is not None and _takes_seed(self.sample_fn) else {}
        samples = list(self.sample_fn(list(self.temperatures), prime, **kw))
        if len(samples) != len(self.temperatures):
            raise ValueError(f"sample_fn returned {len(samples)} samples for "
                             f"{len(self.temperatures)} temperatures")
        if not all(isinstance(s, str) for s in samples):
            raise TypeError("sample_fn must return a list of str")
        # a seed sample_fn cannot take is not shown: it did not choose these samples
        self.prime, self.seed, self._samples = prime, seed if kw else None, samples

    def caption_html(self):
        said = (f'primed with <code class="rnnkit-prime">{html.escape(visible_prime(self.prime))}</code>'
                if self.prime else "no prime")
        seed = f", seed {self.seed}" if self.seed is not None else ""
        return f"One sample per temperature ({said}{seed}); move the slider to compare."


# Moves the static slider: no library, no kernel. Finds its figure by id (Jupyter runs output
# scripts without document.currentScript).
_SCRIPT = """(function () {
  var fig = document.getElementById(%s);
  var range = fig.querySelector("input[type=range]"), out = fig.querySelector("output");
  var samples = fig.querySelectorAll(".rnnkit-sample");
  function show() {
    var i = Number(range.value), label = samples[i].getAttribute("data-temperature");
    samples.forEach(function (s, j) {
      s.style.visibility = j === i ? "visible" : "hidden";
      s.setAttribute("aria-hidden", j === i ? "false" : "true");
    });
    out.textContent = label;
    range.setAttribute("aria-valuetext", label);
  }
  range.addEventListener("input", show);
})();"""


class StaticTemperatureSlider(_Grid):
    """The slider as self-contained HTML (the book's pages): displays through `_repr_html_`."""

    def __init__(self, sample_fn, temperatures=TEMPERATURES, prime="", start=1.0, seed=None):
        super().__init__(sample_fn, temperatures, prime, start, seed)
        self.live = False
        self._draw(prime, seed)

    def resample(self, prime=None, seed=None):
        """Draw the whole grid again in one call."""
        self._draw(self.prime if prime is None else prime, seed)

    def _repr_html_(self):
        uid = f"rnnkit-slider-{uuid.uuid4().hex[:8]}"
        label = self.labels[self.index]
        return (
            f'<figure class="rnnkit-temperature-slider" id="{uid}" style="margin: 0">'
            '<div class="rnnkit-slider-controls" style="display: flex; gap: 0.75em; align-items: center">'
            f'<label for="{uid}-t">temperature</label>'
            f'<input type="range" id="{uid}-t" min="0" max="{len(self.labels) - 1}" step="1" '
            f'value="{self.index}" aria-valuetext="{label}" style="width: min(24rem, 60%)">'
            f'<output for="{uid}-t">{label}</output></div>'
            f'<figcaption style="font-size: 0.9em; margin: 0.3em 0">{self.caption_html()}</figcaption>'
            f"{_samples_html(self._samples, self.labels, self.index)}"
            f"<script>{_SCRIPT % json.dumps(uid)}</script></figure>")


def _live_slider(sample_fn, temperatures, prime, start, seed):
    import ipywidgets as widgets

    class TemperatureSlider(_Grid, widgets.VBox):
        """The slider as ipywidgets, with a prime box and a "new samples" button (needs a kernel)."""

        def __init__(self):
            _Grid.__init__(self, sample_fn, temperatures, prime, start, seed)
            self.live = True
            self.slider = widgets.SelectionSlider(
                options=list(zip(self.labels, self.temperatures)), index=self.index,
                description="temperature", continuous_update=True, style={"description_width": "initial"},
                layout=widgets.Layout(width="min(32rem, 100%)"))
            self.box = widgets.HTML(layout=widgets.Layout(width="100%"))
            self.caption = widgets.HTML()
            self.prime_box = widgets.Text(value=prime, description="prime", continuous_update=False)
            self.button = widgets.Button(description="new samples", tooltip="draw new samples (a new seed)")
            self.slider.observe(self._move, names="index")
            self.prime_box.observe(lambda change: self._resample_from_box(change["new"]), names="value")
            self.button.on_click(lambda _: self._resample_from_box(self.prime_box.value, new_seed=True))
            widgets.VBox.__init__(self, [widgets.HBox([self.slider, self.prime_box, self.button]),
                                         self.caption, self.box])
            self.add_class("rnnkit-temperature-slider")
            self.resample(prime, seed)

        def _move(self, change):
            self.index = change["new"]
            self._show()

        def _show(self):
            # ipywidgets' slider tells a screen reader its index, not the temperature (no hook to
            # change that), so the sample box says which temperature it shows, in text.
            self.box.value = (f'<p class="rnnkit-shown" aria-live="polite" style="margin: 0"><small>sample at temperature '
                              f'{self.labels[self.index]}</small></p>'
                              + _samples_html(self._samples, self.labels, self.index))

        def _resample_from_box(self, new_prime, new_seed=False):
            # An error raised in a widget callback goes to a log the reader never sees: show it
            # under the slider instead, and keep the samples already there.
            try:
                self.resample(new_prime, random.randrange(10**6) if new_seed else self.seed)
            except ValueError as e:
                self.caption.value = (f'<small style="color: #b00020">Prime not used: {html.escape(str(e))}. '
                                      "The samples below are the previous ones.</small>")

        def resample(self, prime=None, seed=None):
            """Draw the whole grid again in one call and show the new samples in place."""
            self._draw(self.prime if prime is None else prime, seed)
            self._show()
            self.caption.value = f"<small>{self.caption_html()}</small>"

    return TemperatureSlider()


def temperature_slider(sample_fn, temperatures=TEMPERATURES, prime="", live=None, start=1.0, seed=None):
    """The slider over one pre-drawn sample per temperature. Display it as a cell's last value.

    sample_fn(temperatures: list[float], prime: str[, seed=int]) -> list[str], one sample per
    temperature, in order; the "new samples" button passes a new `seed` when sample_fn takes one.
    live: None = the ipywidgets form when a kernel runs, else the static HTML form.
    """
    if _has_kernel() if live is None else live:
        return _live_slider(sample_fn, temperatures, prime, start, seed)
    return StaticTemperatureSlider(sample_fn, temperatures, prime=prime, start=start, seed=seed)
