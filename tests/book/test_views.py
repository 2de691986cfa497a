"""The HTML views: escaping, colours, top-5 order, and a real browser rendering them."""
import re

import numpy as np
import pytest

from rnnkit.book import views as viz


def test_neuron_view_escapes_text_and_attributes():
    text = '<b>&"\''
    html = viz.neuron_view(text, np.zeros(len(text))).html
    assert "<b>" not in html
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;"):
        assert entity in html
    assert viz.neuron_view(text, np.zeros(len(text)))._repr_html_() == html


def test_whitespace_is_visible_and_lines_break():
    html = viz.neuron_view("a\tb\nc", [0, 0, 0, 0, 0]).html
    assert "\u2192" in html and "\u21b5</span>\n" in html


def test_diverging_colours_are_monotone():
    vs = np.linspace(-1, 1, 41)
    cols = np.array([viz.diverging(v) for v in vs])
    redness = cols[:, 0] - cols[:, 2]
    assert (np.diff(redness) > 0).all()
    assert viz.diverging(0) == (255, 255, 255)
    assert viz.diverging(5) == viz.diverging(1) == viz.POS and viz.diverging(-1) == viz.NEG
    shades = np.array([sum(viz.shade(p)) for p in np.linspace(0, 1, 11)])
    assert (np.diff(shades) < 0).all()  # darker the likelier


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        viz.neuron_view("abc", [0, 1])
    with pytest.raises(ValueError):
        viz.topk_view("abc", np.ones((2, 4)) / 4, "wxyz")


def test_topk_view_orders_predictions_best_first():
    probs = np.array([[0.1, 0.5, 0.2, 0.15, 0.05, 0.0], [0.3, 0.0, 0.0, 0.1, 0.2, 0.4]])
    idx, p = viz.topk(probs, 5)
    assert idx[0].tolist() == [1, 2, 3, 0, 4] and idx[1][:4].tolist() == [5, 0, 4, 3]
    html = viz.topk_view("ab", probs, "<&xyzq").html
    ps = [float(x) for x in re.findall(r'data-p="([0-9.]+)"', html)]
    # rows are ranks: row r holds both columns' r-th choices
    col0 = ps[0::2]
    assert col0 == sorted(col0, reverse=True) and len(ps) == 10
    assert "&lt;" in html and "&amp;" in html


def test_views_render_in_a_real_browser(tmp_path, browser):
    values = [-1.0, -0.5, 0.0, 0.5, 1.0]
    neuron = viz.neuron_view('a<"\nb', values)
    probs = np.random.default_rng(0).dirichlet(np.ones(6), size=5)
    top = viz.topk_view('a<"\nb', probs, "abc<&\n")
    page_file = viz.HTMLView(neuron.html + top.html).save(tmp_path / "view.html")
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())  # offline: nothing but the file itself
        page.goto(page_file.as_uri())
        spans = page.locator("span.rnnkit-c")
        assert spans.count() == 5
        got = spans.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
        want = ["rgb({}, {}, {})".format(*viz.diverging(v)) for v in values]
        assert got == want
        assert spans.nth(1).inner_text() == "<"  # escaped in the source, a plain < on screen
        table = page.locator("table.rnnkit-topk").first
        assert table.is_visible()
        box = table.bounding_box()
        assert box["width"] > 20 and box["height"] > 20
        cells = page.locator("td.rnnkit-p")
        assert cells.count() == 25 and cells.first.is_visible()
        first = cells.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert first == "rgb({}, {}, {})".format(*viz.shade(probs[0].max()))
    finally:
        page.close()


def test_samples_side_by_side_escapes_and_labels():
    side = viz.samples_side_by_side({100: "a<b", 300: "c"}).html
    assert "step 100" in side and "a&lt;b" in side and "step 300" in side


def test_samples_view_wraps_long_lines():
    html = viz.samples_view({"temperature 0.5": "x" * 500 + "<"}).html
    assert "white-space: pre-wrap" in html and "temperature 0.5" in html and "&lt;" in html


def test_table_escapes_scrolls_and_has_a_header_row():
    t = viz.table([["<b>", 1.5]], ["measure", "value"], caption="c&d").html
    assert "&lt;b&gt;" in t and "<td>1.500</td>" in t and "<caption>c&amp;d</caption>" in t
    assert t.startswith('<div class="rnnkit-scroll"><table class="rnnkit-table">')
    assert "<thead><tr><th>measure</th><th>value</th></tr></thead>" in t
    with pytest.raises(ValueError, match="header"):
        viz.table([[1]], [""])



class Share:
    """An accuracy as the classify task gives it: a value, a count and a 95% interval."""
    value, n = 0.885, 1234

    def interval(self):
        return 0.865, 0.903


def test_accuracy_row_formats_value_interval_and_count():
    row = viz.accuracy_row("LSTM", Share(), 7, "1.5")
    assert row == ["LSTM", "88.5%", "86.5% to 90.3%", "1,234", 7, "1.5"]
    assert "86.5% to 90.3%" in viz.table([row], ["model", "accuracy", "interval", "n", "epoch", "s"]).html

def test_score_table_marks_targets_and_wrong_rows():
    scores = np.array([[1.0, 2.0], [3.0, -0.001]])
    t = viz.score_table(scores, ["a", "b"], "ab", "bb", caption="scores").html
    assert t.count(viz.TARGET) == 2 and t.count(viz.WRONG) == 1  # row 2: a wins, b was next
    assert "<th>step</th><th>a</th><th>b</th>" in t and "<th></th>" not in t and "-0.00" not in t
    t = viz.score_table(scores, ["a", "b"], "ab", row_names=["before", "after"]).html
    assert "<th>input</th>" in t and "before: in <b>a</b>" in t
    with pytest.raises(ValueError, match="shape"):
        viz.score_table(scores, ["a"], "ab")


def test_score_table_marks_targets_and_mistakes():
    # Row x scores b highest and b is its target; row y scores a highest but its target is b.
    html = viz.score_table([[0.0, 2.0], [3.0, 1.0]], "ab", "ab", "bb", row_names=["x", "y"]).html
    assert html.count("<tr>") == 3 and html.count("#c8e6c9") == 2  # header + 2 rows, 2 targets
    assert html.count("#b71c1c") == 1
    assert "x: in <b>a</b>" in html


def test_math_view_puts_the_source_beside_a_formula_the_page_typesets():
    from rnnkit.book.views import math_view
    html_text = math_view(["x < y", "\\mathcal{O}_X"]).html
    assert "<th>source</th><th>typeset</th>" in html_text and html_text.count("<tr>") == 3
    assert '<span class="math notranslate nohighlight">\\(x &lt; y\\)</span>' in html_text  # escaped for HTML
    assert "<code>\\mathcal{O}_X</code>" in html_text and "<caption>" in html_text
    assert math_view([]).html == ""


def test_text_on_the_coloured_views_reaches_4_5_to_1_on_every_shade():
    # the neuron view's blue-white-red and the top-5 view's white-red: the ink is chosen per
    # background, and one of black and white always reads (a fixed cut on r+g+b did not: 4.0:1)
    for c in [*(viz.diverging(v) for v in np.linspace(-1, 1, 201)), *(viz.shade(p) for p in np.linspace(0, 1, 101))]:
        ink = (0, 0, 0) if viz._ink(c) == "#000" else (255, 255, 255)
        assert viz.contrast(ink, c) >= 4.5, (c, viz._ink(c), viz.contrast(ink, c))
    assert viz._ink((255, 255, 255)) == "#000" and viz._ink((49, 104, 176)) == "#fff"
    assert round(viz.contrast((0, 0, 0), (255, 255, 255)), 2) == 21.0


def test_topk_view_keeps_its_shared_style_off_the_cells():
    # chapter 10's two views held 2,400 cells each, every one with the same long inline style:
    # 290 KB a view at smoke scale, most of a 690 KB page a phone must download before painting
    probs = np.random.default_rng(0).dirichlet(np.ones(60), size=200)
    page = viz.topk_view("a" * 200, probs, [chr(65 + i) for i in range(60)], values=np.zeros(200)).html
    cells = page.count("<td")
    assert cells == 200 * 6 and page.count("<style>") == 1
    assert len(page) / cells < 100, f"{len(page) / cells:.0f} bytes a cell"
    assert "padding" not in page.split("</style>", 1)[1], "a shared style is repeated on the cells"
    # a box that scrolls sideways takes the keyboard's focus (axe: scrollable-region-focusable)
    assert page.startswith('<div class="rnnkit-topk-view rnnkit-scroll" style="overflow-x: auto" tabindex="0"')
