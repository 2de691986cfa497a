"""rnnkit.book.live: the panel's markup, and the panel at work in a page that Jupyter Book built
from an executed notebook (tools/build_book.py's own functions), read from file:// in headless
Chromium with the network blocked."""
import sys
from pathlib import Path

import nbformat
import pytest
import torch

from rnnkit import export
from rnnkit.book import live
from rnnkit.errors import OptionError
from rnnkit.model import CharRNN
from rnnkit.text import Vocab

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402

CHARS = 'abcdefgh ijklmnop\n"qrstuvwxyz,.'
CELLS = [dict(layer=0, unit=1, feature="in_quotes", r=0.5), dict(layer=1, unit=2)]
TEXT = 'a "quoted" text'
# The chapter cell of the tiny book: the same model as _model() below (same seed).
CELL = f"""import torch
from rnnkit.model import CharRNN
from rnnkit.text import Vocab
from rnnkit.book.live import live_panel
vocab = Vocab.from_text({CHARS!r})
torch.manual_seed(seed)
model = CharRNN(len(vocab), "lstm", 2, 32, embed=8).eval()
live_panel(model, vocab, "tiny", prime="ab", cells={CELLS!r}, text={TEXT!r})"""


def _model(seed=0):
    vocab = Vocab.from_text(CHARS)
    torch.manual_seed(seed)
    return CharRNN(len(vocab), "lstm", 2, 32, embed=8).eval(), vocab


# ---------------------------------------------------------------- markup (no browser)

def test_outside_the_book_build_the_cell_is_a_note(monkeypatch):
    monkeypatch.delenv("RNNKIT_BOOK_STATIC", raising=False)
    view = live.live_panel(*_model(), "m")
    assert "built book" in view.html and "<script" not in view.html
    assert "(the slider above, or <code>rnnkit.sample.sample</code>)" in view.html
    bare = live.live_panel(*_model(), "m", here="with").html  # a page without a slider
    assert "(with <code>rnnkit.sample.sample</code>)" in bare and "slider" not in bare


def test_in_the_build_the_model_lands_on_the_static_path_and_every_control_is_labelled(tmp_path, monkeypatch):
    static = tmp_path / "book" / "_vendor"
    page_dir = tmp_path / "book" / "chapters"
    page_dir.mkdir(parents=True)
    monkeypatch.chdir(page_dir)  # where papermill runs a chapter
    monkeypatch.setenv("RNNKIT_BOOK_STATIC", str(static))
    html = live.live_panel(*_model(), "m", prime="ab", cells=CELLS, text=TEXT).html
    assert (static / "rnnkit-models" / "m.js").is_file()
    assert 'data-model="../_static/rnnkit-models/m.js"' in html
    assert 'data-scripts="../_static/rnnkit-static/live/"' in html
    assert "rnnkit-models/m.js\"></script>" not in html  # loaded by the panel's script, lazily
    import re
    ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html)
    assert len(ids) == 7, ids  # prime, temperature, top-k, length, seed, text, cell
    for i in ids:
        assert f'<label for="{i}">' in html, f"control {i} has no label"
    assert "layer 1, cell 1: in_quotes (r = +0.50)" in html and "layer 2, cell 2" in html


def test_cells_come_from_a_features_summary_and_are_checked():
    model, _ = _model()
    best = {"in_url": {"layer": 1, "unit": 30, "r": -0.71}}
    assert live._cells(best, model) == [dict(layer=1, unit=30, label="layer 2, cell 30: in_url (r = -0.71)")]
    with pytest.raises(OptionError, match="no cell 32 in layer 1"):
        live._cells([dict(layer=0, unit=32)], model)
    with pytest.raises(OptionError, match="cells is empty"):
        live._cells([], model)


def test_a_summary_offers_each_passing_cell_once_with_every_feature_it_tracks():
    model, _ = _model()
    best = {"in_quotes": dict(layer=1, unit=9, r=0.62), "line_position": dict(layer=1, unit=9, r=-0.55),
            "in_url": dict(layer=0, unit=0, r=0.0), "paren_depth": dict(layer=0, unit=3, r=0.77)}
    assert [c["label"] for c in live._cells(best, model)] == [
        "layer 1, cell 3: paren_depth (r = +0.77)",
        "layer 2, cell 9: in_quotes (r = +0.62), line_position (r = -0.55)"]
    assert [c["label"] for c in live._cells(best, model, threshold=0.7)] == ["layer 1, cell 3: paren_depth (r = +0.77)"]


def test_when_no_cell_passes_the_panel_says_so_instead_of_offering_one(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNKIT_BOOK_STATIC", str(tmp_path / "static"))
    monkeypatch.chdir(tmp_path)
    weak = {"in_url": dict(layer=0, unit=0, r=0.0), "in_wikilink": dict(layer=1, unit=4, r=-0.31)}
    alone = live.live_panel(*_model(), "weak", cells=weak, sampler=False).html
    assert "No cell of this model reaches |r| \u2265 0.5 for in_url or in_wikilink" in alone
    assert "<select" not in alone and "<script" not in alone
    assert not (tmp_path / "static" / "rnnkit-models" / "weak.js").exists(), "a model exported for nothing"
    both = live.live_panel(*_model(), "weak2", cells=weak).html  # the sampler stays, the view goes
    assert "rnnkit-live-sampler" in both and "<select" not in both and "No cell of this model" in both


# ---------------------------------------------------------------- a built page in a browser

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A one-chapter book, executed and built exactly as tools/build_book.py builds the book."""
    book = tmp_path_factory.mktemp("tinybook")
    (book / "chapters").mkdir()
    (book / "_config.yml").write_text((ROOT / "_config.yml").read_text())
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/live\n")
    (book / "chapters" / "intro.md").write_text("# A tiny book\n\nIts one chapter has a live panel.\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Live panel\n\nThe model runs in this page."),
                nbformat.v4.new_code_cell('scale = "auto"\nseed = 0', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(CELL)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, book / "chapters" / "live.ipynb")
    out = tmp_path_factory.mktemp("tinyout")
    src = build_book.prepare_sources(out / "src", book=book)
    _, failures = build_book.execute_all(src, "smoke", jobs=1, log=lambda *_: None)
    assert not failures, failures
    html = build_book.build_html(src, out)
    return html / "chapters" / "live.html", src


@pytest.fixture(scope="module")
def panel(built, browser):
    page_path, _ = built
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
               else (problems.append(f"network: {route.request.url}"), route.abort()))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.locator(".rnnkit-live").scroll_into_view_if_needed()
    page.wait_for_selector(".rnnkit-live[data-ready]", timeout=20_000)
    yield page, problems
    assert not problems, problems
    page.close()


def _sample(page, prime="ab", temperature=0.8, seed=0, length=300):
    for sel, value in [(".rnnkit-live-prime", prime), (".rnnkit-live-t", str(temperature)),
                       (".rnnkit-live-seed", str(seed)), (".rnnkit-live-n", str(length))]:
        page.fill(sel, value)
    before = int(page.get_attribute(".rnnkit-live", "data-done") or 0)
    page.click(".rnnkit-live-go")
    page.wait_for_function(f"document.querySelector('.rnnkit-live').dataset.done > {before}", timeout=20_000)
    return page.inner_text(".rnnkit-live-output")


def test_the_page_loads_the_model_lazily(built):
    page_path, src = built
    text = page_path.read_text()
    assert "rnnkit-models/tiny.js" in text and 'src="../_static/rnnkit-models/tiny.js"' not in text
    assert (page_path.parents[1] / "_static" / "rnnkit-models" / "tiny.js").is_file()


def test_sample_streams_a_text_that_starts_with_the_prime(panel):
    page, _ = panel
    page.fill(".rnnkit-live-prime", "ab")
    page.fill(".rnnkit-live-n", "20000")
    before = int(page.get_attribute(".rnnkit-live", "data-done") or 0)
    page.click(".rnnkit-live-go")  # a long sample: read it while it is being written
    page.wait_for_function("document.querySelector('.rnnkit-live-output').textContent.length > 50")
    early = page.inner_text(".rnnkit-live-output")
    # it goes on growing, or has just finished (a fast CPU writes the tiny model's 20,000 in moments)
    page.wait_for_function(f"(el => el.querySelector('.rnnkit-live-output').textContent.length > {len(early) + 50} "
                           f"|| el.dataset.done > {before})(document.querySelector('.rnnkit-live'))")
    if int(page.get_attribute(".rnnkit-live", "data-done") or 0) == before:
        page.click(".rnnkit-live-go")  # stop
    assert early.startswith("ab") and len(early) < 20_002
    text = _sample(page, length=300)
    assert text.startswith("ab") and len(text) == 302
    assert _sample(page, length=300) == text, "the same seed and settings gave another text"
    assert _sample(page, temperature=1.5) != text
    assert _sample(page, seed=1) != text


def test_an_unknown_character_gives_pythons_message(panel):
    page, _ = panel
    page.fill(".rnnkit-live-prime", "abZ!")
    page.click(".rnnkit-live-go")
    page.wait_for_function("document.querySelector('.rnnkit-live-error').textContent.length > 0")
    with pytest.raises(ValueError) as python:
        _model()[1].encode("abZ!", what="prime text")
    assert page.inner_text(".rnnkit-live-error") == str(python.value)
    _sample(page)
    assert page.inner_text(".rnnkit-live-error") == ""


def _coloured(page):
    return page.eval_on_selector_all(".rnnkit-c", "els => els.map(e => [e.dataset.v, e.style.backgroundColor])")


def test_the_neuron_view_colours_the_text_by_the_chosen_cell(panel, built):
    page, _ = panel
    _, src = built
    page.wait_for_selector(".rnnkit-live[data-read]")
    first = _coloured(page)
    assert len(first) == len(TEXT)
    # the values are the cell's tanh(c) that torch computes on the page's own (int8) weights
    model, vocab = export.load(src / "_vendor" / "rnnkit-models" / "tiny.js")
    out, logits = model.internals(vocab.encode(TEXT)[None])
    want = out[0]["c"][0, :, 1].tanh()
    assert torch.allclose(torch.tensor([float(v) for v, _ in first]), want, atol=2e-4)
    page.select_option(".rnnkit-live-cell", "1")
    second = _coloured(page)
    assert [v for v, _ in second] != [v for v, _ in first] and [c for _, c in second] != [c for _, c in first]
    page.hover(".rnnkit-c[data-i='3']")
    guesses = page.inner_text(".rnnkit-live-guesses")
    top = logits[0, 3].softmax(0).topk(5).indices.tolist()
    assert guesses.startswith("After \u201cq\u201d") and guesses.count("%") == 5
    assert guesses.split(": ", 1)[1].startswith(vocab.chars[top[0]].replace(" ", "space"))
    reads = int(page.get_attribute(".rnnkit-live", "data-read"))
    page.fill(".rnnkit-live-text", "zz top")
    page.wait_for_function(f"document.querySelector('.rnnkit-live').dataset.read > {reads}")
    assert len(_coloured(page)) == 6
    page.fill(".rnnkit-live-text", "Zz")
    page.wait_for_function("document.querySelector('.rnnkit-live-text-error').textContent.length > 0")
    assert "text has 1 character(s) the model never saw: 'Z'" == page.inner_text(".rnnkit-live-text-error")


def test_a_byte_model_names_the_character_typed_and_clears_the_last_sample(tmp_path, browser):
    """War and Peace and Wikipedia are read one byte a symbol: an unknown '€' is named as the
    reader typed it, not as its three UTF-8 bytes; the sample of the last prime does not stay
    under the error as if it continued the new one."""
    vocab = Vocab.from_text("abc café naïve\n".encode("utf-8").decode("latin-1"), encoding="bytes")
    torch.manual_seed(0)
    model = CharRNN(len(vocab), "lstm", 1, 16, embed=8).eval()
    path = live.save_page(model, vocab, tmp_path, key="bytes", prime="café", cells=[dict(layer=0, unit=0)],
                          text="naïve")
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page.goto(path.as_uri(), wait_until="load")
    page.locator(".rnnkit-live").scroll_into_view_if_needed()
    page.wait_for_selector(".rnnkit-live[data-ready]", timeout=20_000)
    assert _sample(page, prime="café", length=20).startswith("café")
    page.fill(".rnnkit-live-prime", "a €")
    page.click(".rnnkit-live-go")
    page.wait_for_function("document.querySelector('.rnnkit-live-error').textContent.length > 0")
    assert page.inner_text(".rnnkit-live-error") == "prime text has 1 character(s) the model never saw: '€'"
    assert page.inner_text(".rnnkit-live-output") == "", "the last prime's sample is still shown"
    # the neuron view: the same naming, and the colours of the last text go
    page.wait_for_selector(".rnnkit-live[data-read]")
    assert len(_coloured(page)) == len("naïve")  # a character per span, not a byte
    page.fill(".rnnkit-live-text", "caf€ €")
    page.wait_for_function("document.querySelector('.rnnkit-live-text-error').textContent.length > 0")
    assert page.inner_text(".rnnkit-live-text-error") == "text has 1 character(s) the model never saw: '€'"
    assert _coloured(page) == []
    page.close()
