"""The model in the reader's browser: a live sampler and a live neuron view in the built book.

    live_panel(exp.model, exp.vocab, "shakespeare", prime="ROMEO:\\n")
    live_panel(wp.model, wp.vocab, "warpeace-cells", cells=wp_m["trained"]["best"], text=excerpt)

In the book build (tools/build_book.py sets RNNKIT_BOOK_STATIC to the folder it puts on the
pages' static path) the chapter exports its model there (rnnkit.export, int8: about 1.2 MB
for a 2x256 LSTM) and shows a panel whose JavaScript (tools/book_static/live/, served as
_static/rnnkit-static/live/) loads the model only when the panel comes into view: the page
opens first. The sampler has a prime box, temperature, top-k, length and seed; with `cells`,
the neuron view colours any text the reader types by one of those cells and shows the model's
five likeliest next characters. No kernel, no network; it works from file:// too.

In Jupyter or Colab there is no such static folder: the cell shows a short note instead (the
temperature slider already samples with the kernel there). save_page() writes a standalone
page with its scripts and model, for tests, benchmarks and sharing.
"""
import html
import json
import os
import shutil
import uuid
from pathlib import Path

from ..errors import OptionError
from ..export import export
from .features import THRESHOLD, tracking_cells
from .views import HTMLView

MODELS = "rnnkit-models"           # the models' folder on the static path
SCRIPTS = "rnnkit-static/live"     # tools/book_static/ is served as rnnkit-static/
SCRIPTS_SRC = Path(__file__).resolve().parents[2] / "tools" / "book_static" / "live"

# Loads model.js and panel.js (once per page) when the panel comes near the screen, then mounts it.
_BOOT = """(function () {
  var el = document.getElementById(%s), base = el.dataset.scripts;
  // Load a script once per page, then ok() or fail(): a page from file:// may not fetch() a file
  // beside it, but it may load a <script>. Shared with panel.js, which loads the model this way.
  var need = window.rnnkitNeed = window.rnnkitNeed || function (src, ok, fail) {
    var s = document.querySelector('script[data-rnnkit-src="' + src + '"]');
    if (!s) {
      s = document.createElement("script"); s.src = src; s.dataset.rnnkitSrc = src;
      s.addEventListener("load", function () { s.dataset.state = "loaded"; });
      s.addEventListener("error", function () { s.dataset.state = "failed"; });
      document.head.appendChild(s);
    }
    if (s.dataset.state === "loaded") return ok();
    if (s.dataset.state === "failed") return fail();
    s.addEventListener("load", function () { ok(); });
    s.addEventListener("error", function () { fail(); });
  };
  function failed() {
    el.querySelector(".rnnkit-live-status").textContent = "The live panel's scripts could not be loaded.";
  }
  function go() {  // when the panel comes near the screen (or gets the focus): the page opens first
    if (el.dataset.booted) return;
    el.dataset.booted = "1";
    need(base + "model.js", function () {
      need(base + "panel.js", function () { window.rnnkitLive.mount(el); }, failed);
    }, failed);
  }
  if (!("IntersectionObserver" in window)) return go();
  var seen = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); go(); }
  }, { rootMargin: "600px" });
  seen.observe(el);
  el.addEventListener("focusin", go);
})();"""

_CSS = """<style>
.rnnkit-live { border: 1px solid #ccd; border-radius: 6px; padding: 0.6em 0.8em; margin: 0.8em 0; }
.rnnkit-live .rnnkit-live-row { display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center; margin: 0.3em 0; }
.rnnkit-live label { font-size: 0.9em; margin-right: 0.3em; }
.rnnkit-live input[type=number] { width: 5.5em; }
.rnnkit-live textarea { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.rnnkit-live pre, .rnnkit-live .rnnkit-live-colored { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9em;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fff; color: #111;
  border: 1px solid #ddd; padding: 0.4em; min-height: 3em; margin: 0.3em 0; }
.rnnkit-live .rnnkit-live-prime-shown { font-weight: 600; }
.rnnkit-live .rnnkit-live-status, .rnnkit-live .rnnkit-live-guesses { font-size: 0.85em; margin: 0.2em 0; }
.rnnkit-live .rnnkit-live-error, .rnnkit-live .rnnkit-live-text-error { color: #b00020; font-size: 0.9em; margin: 0.2em 0; }
.rnnkit-live .rnnkit-live-cursor { outline: 2px solid #111; }
</style>"""


def _cells(cells, model, threshold=THRESHOLD):
    """The neuron view's cells as [{layer, unit, label}]. From summary()["best"] ({feature:
    {layer, unit, r}}): only the cells that reach |r| >= threshold, each once, labelled with every
    feature it tracks ([] when none does: a cell below the threshold shows a pattern that is not
    there). From a list of {layer, unit[, label | feature, r]}: those cells, as given."""
    if isinstance(cells, dict):
        cells = tracking_cells(cells, threshold)
        if not cells:
            return []
    out = []
    for c in cells:
        layer, unit = int(c["layer"]), int(c["unit"])
        if not (0 <= layer < len(model.layers) and 0 <= unit < model.hidden):
            raise OptionError(f"no cell {unit} in layer {layer + 1}: the model has {len(model.layers)} "
                              f"layers of {model.hidden} cells")
        tracks = c.get("features") or ({c["feature"]: c.get("r")} if "feature" in c else {})
        what = ", ".join(name + ("" if r is None else f" (r = {r:+.2f})") for name, r in tracks.items())
        out.append(dict(layer=layer, unit=unit, label=c.get("label") or f"layer {layer + 1}, cell {unit}"
                        + (f": {what}" if what else "")))
    if not out:
        raise OptionError("cells is empty: give at least one cell for the neuron view")
    return out


def _none_passes(best, threshold=THRESHOLD):
    """The line shown instead of a neuron view when no cell of `best` reaches the threshold."""
    names = list(best)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return (f'<p class="rnnkit-live-none">No cell of this model reaches |r| \u2265 {threshold} for {html.escape(listed)} '
            "in this build, so the page offers no cell to colour the text by.</p>")


def _number(uid, name, label, value, **attrs):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (f'<span><label for="{uid}-{name}">{label}</label><input type="number" id="{uid}-{name}" '
            f'class="rnnkit-live-{name}" value="{value}"{extra}></span>')


def panel_html(key, model_url, scripts_url, model, size, prime="", length=400, temperature=0.8, top_k=0,
               seed=0, cells=None, text="", sampler=True, threshold=THRESHOLD):
    """The panel's markup: controls, output, the neuron view when `cells` is given (or the line
    saying that no cell passes `threshold`), and the small script that loads the rest."""
    uid = f"rnnkit-live-{uuid.uuid4().hex[:8]}"
    cell_list = _cells(cells, model, threshold) if cells is not None else None
    options = {"size": size, "cells": cell_list}
    parts = [_CSS, f'<div class="rnnkit-live" id="{uid}" data-key="{html.escape(key)}" '
             f'data-model="{html.escape(model_url)}" data-scripts="{html.escape(scripts_url)}" '
             f"data-options='{html.escape(json.dumps(options), quote=True)}'>",
             f'<p class="rnnkit-live-status" role="status">The model ({size}) loads when this panel comes into view.</p>']
    if sampler:
        parts += [
            '<form class="rnnkit-live-sampler">',
            f'<label for="{uid}-prime">prime (the text the model continues)</label>',
            f'<textarea id="{uid}-prime" class="rnnkit-live-prime" rows="2">{html.escape(prime)}</textarea>',
            '<div class="rnnkit-live-row">',
            _number(uid, "t", "temperature", temperature, min="0", max="5", step="0.05"),
            _number(uid, "k", "top-k (0: all)", top_k, min="0", step="1"),
            _number(uid, "n", "length", length, min="1", max="20000", step="1"),
            _number(uid, "seed", "seed", seed, step="1"),
            '<button type="submit" class="rnnkit-live-go">sample</button></div>',
            '<p class="rnnkit-live-error" role="alert"></p>',
            '<pre class="rnnkit-live-output" role="region" aria-label="the sample"></pre></form>']
    if cell_list == []:
        parts.append(_none_passes(cells, threshold))
    if cell_list:
        opts = "".join(f'<option value="{i}">{html.escape(c["label"])}</option>' for i, c in enumerate(cell_list))
        parts += [
            '<div class="rnnkit-live-neurons">',
            f'<label for="{uid}-text">text the model reads (type or paste your own)</label>',
            f'<textarea id="{uid}-text" class="rnnkit-live-text" rows="4">{html.escape(text)}</textarea>',
            f'<div class="rnnkit-live-row"><label for="{uid}-cell">colour by cell</label>'
            f'<select id="{uid}-cell" class="rnnkit-live-cell">{opts}</select></div>',
            '<p class="rnnkit-live-text-error" role="alert"></p>',
            '<div class="rnnkit-live-colored" tabindex="0" role="group" aria-label="the text, each character '
            'coloured by the chosen cell: blue below zero, red above; the arrow keys move along it"></div>',
            '<p class="rnnkit-live-guesses" aria-live="polite">Point at a character (or focus the text and use '
            "the arrow keys) to see the model's five likeliest next characters.</p></div>"]
    parts += ['<noscript>The live panel needs JavaScript.</noscript>',
              f"<script>{_BOOT % json.dumps(uid)}</script></div>"]
    return "".join(parts)


def _size(path):
    return f"{path.stat().st_size / 1e6:.1f} MB"


def live_panel(model, vocab, key, prime="", cells=None, text="", length=400, temperature=0.8, top_k=0, seed=0,
               sampler=True, quant="int8", static_dir=None, here="the slider above, or", threshold=THRESHOLD):
    """The live panel for a chapter's model: in the book build the model is exported next to the
    page and the panel is returned; elsewhere (Jupyter, Colab, plain Python) a short note.
    key: a name unique in the book (letters, digits, - and _), the model file's name.
    cells: the neuron view's cells (features.summary()["best"], of which only the cells that reach
    |r| >= threshold are offered, or a list of {layer, unit, ...}). A neuron view alone
    (sampler=False) with no cell passing is just the line saying so: no model is exported.
    here: how the note's reader samples with a kernel, before rnnkit.sample.sample (a page
    without a slider says so)."""
    if not sampler and isinstance(cells, dict) and not tracking_cells(cells, threshold):
        return HTMLView(_none_passes(cells, threshold))
    static_dir = static_dir or os.environ.get("RNNKIT_BOOK_STATIC")
    if not static_dir:
        return HTMLView('<p class="rnnkit-live-note"><small>In the built book this cell shows a live panel: '
                        "the model itself runs in the reader's browser "
                        f"({'sampling and a neuron view' if cells is not None else 'sampling'}). "
                        f"Here, with a kernel, sample from the model in Python ({html.escape(here)} "
                        "<code>rnnkit.sample.sample</code>).</small></p>")
    static_dir = Path(static_dir)
    path = export((model, vocab), static_dir / MODELS / f"{key}.js", quant=quant)
    # the page's URLs, relative to it: it sits where this notebook runs, the book's root holds _static/
    to_static = os.path.relpath(static_dir.parent / "_static", os.getcwd()).replace(os.sep, "/")
    return HTMLView(panel_html(key, f"{to_static}/{MODELS}/{key}.js", f"{to_static}/{SCRIPTS}/", model, _size(path),
                               prime=prime, length=length, temperature=temperature, top_k=top_k, seed=seed,
                               cells=cells, text=text, sampler=sampler, threshold=threshold))


def save_page(model, vocab, folder, key="model", title="rnnkit live panel", quant="int8", **kw):
    """A standalone page, folder/index.html, with the scripts and the model beside it (needs
    a checkout: the scripts are tools/book_static/live/). Returns the page's path."""
    folder = Path(folder)
    if not SCRIPTS_SRC.is_dir():
        raise OptionError(f"save_page needs the checkout's {SCRIPTS_SRC} (not part of the installed package)")
    shutil.copytree(SCRIPTS_SRC, folder / "static" / SCRIPTS, dirs_exist_ok=True)
    path = export((model, vocab), folder / "static" / MODELS / f"{key}.js", quant=quant)
    body = panel_html(key, f"static/{MODELS}/{key}.js", f"static/{SCRIPTS}/", model, _size(path), **kw)
    page = folder / "index.html"
    page.write_text(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}"
                    f"</title></head><body style='max-width: 50rem; margin: 1rem auto; font-family: sans-serif'>"
                    f"<h1>{html.escape(title)}</h1>{body}</body></html>", encoding="utf-8")
    return page
