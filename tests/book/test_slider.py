"""The temperature slider: one sampling call per grid, a static HTML form that needs no widget
manager, live controls that draw new samples, clear errors."""
import html
import re

import pytest

from rnnkit.book.slider import TEMPERATURES, temperature_slider, visible_prime


class FakeSampler:
    """Records its calls; sample i names its temperature, prime and seed so we can tell them apart."""

    def __init__(self):
        self.calls = []

    def __call__(self, temperatures, prime, seed=0):
        self.calls.append((list(temperatures), prime, seed))
        return [f"{prime}<T={t:g} s={seed}>" for t in temperatures]


def test_whole_grid_is_sampled_in_one_call():
    fake = FakeSampler()
    w = temperature_slider(fake, prime="The ", live=False)
    assert [c[:2] for c in fake.calls] == [(list(TEMPERATURES), "The ")]
    assert w.samples == [f"The <T={t:g} s=0>" for t in TEMPERATURES]
    assert w.temperatures[w.index] == 1.0  # starts where the model samples itself as trained


def test_static_form_is_plain_html_with_a_labelled_range_input():
    w = temperature_slider(FakeSampler(), prime="ab", live=False)
    page = w._repr_html_()
    assert not hasattr(w, "_model_id"), "the static form must not be a widget (no widget manager in the book)"
    assert "rnnkit-temperature-slider" in page  # tests/test_book.py finds it by this class
    rng = re.search(r'<input type="range" id="([^"]+)"[^>]*>', page)
    assert rng and f'<label for="{rng.group(1)}">temperature</label>' in page
    assert f'max="{len(TEMPERATURES) - 1}"' in rng.group(0) and 'aria-valuetext="1"' in rng.group(0)
    # every sample is in the page, escaped; only the selected one is visible
    boxes = re.findall(r'<pre class="rnnkit-sample" data-temperature="([^"]+)" aria-hidden="(\w+)"[^>]*'
                       r'visibility: (\w+)">(.*?)</pre>', page, re.S)
    assert [b[0] for b in boxes] == [f"{t:g}" for t in TEMPERATURES]
    assert [b[3] for b in boxes] == [html.escape(s) for s in w.samples]
    assert [b[2] for b in boxes].count("visible") == 1 and boxes[w.index][1:3] == ("false", "visible")


@pytest.mark.parametrize("prime, shown", [
    ("\n", "\u23ce"),
    ("ROMEO:\n", "ROMEO:\u23ce"),
    ("static ", "static\u2423"),
    ("  a b\tc", "\u2423\u2423a b\u21e5c"),
    ("   ", "\u2423\u2423\u2423"),
])
def test_whitespace_in_the_prime_is_shown_visibly(prime, shown):
    assert visible_prime(prime) == shown
    w = temperature_slider(FakeSampler(), prime=prime, live=False)
    assert f'<code class="rnnkit-prime">{shown}</code>' in w._repr_html_()


def test_new_samples_draws_with_a_new_seed_each_press_and_shows_it():
    fake = FakeSampler()
    w = temperature_slider(fake, temperatures=[0.5, 1.0], prime="xy", live=True)
    first = w.samples
    w.button.click()
    second, seed2 = w.samples, w.seed
    w.button.click()
    assert second != first and w.samples != second, "each press must draw new samples"
    assert len(fake.calls) == 3 and all(c[1] == "xy" for c in fake.calls)
    assert f"seed {w.seed}" in w.caption.value and w.seed != seed2


def test_a_new_prime_gives_a_new_continuation_in_one_call():
    fake = FakeSampler()
    w = temperature_slider(fake, temperatures=[0.5, 1.0], live=True)
    w.prime_box.value = "xy"
    assert len(fake.calls) == 2 and fake.calls[-1][:2] == ([0.5, 1.0], "xy")
    assert w.samples[0].startswith("xy") and "xy" in w.box.value
    assert "primed with <code" in w.caption.value


def test_live_slider_shows_the_selected_sample_in_a_box_of_fixed_height():
    w = temperature_slider(FakeSampler(), temperatures=[0.5, 1.0, 1.5], live=True)
    w.slider.index = 0
    visible = re.findall(r'visibility: visible">(.*?)</pre>', w.box.value)
    assert visible == [html.escape(w.samples[0])]
    assert w.box.value.count("<pre") == 3  # all in one grid cell: the tallest sets the height


def test_live_slider_says_in_text_which_temperature_it_shows():
    # ipywidgets' slider reports its index to a screen reader; the box says the temperature
    w = temperature_slider(FakeSampler(), temperatures=[0.5, 1.0, 1.5], live=True)
    for index, label in [(0, "0.5"), (2, "1.5")]:
        w.slider.index = index
        shown = re.findall(r'<p class="rnnkit-shown" aria-live="polite"[^>]*><small>(.*?)</small>', w.box.value)
        assert shown == [f"sample at temperature {label}"]


def test_a_sampler_without_seed_still_resamples_and_shows_no_seed():
    calls = []

    def fn(temperatures, prime):
        calls.append(prime)
        return [f"{prime}{len(calls)}" for _ in temperatures]

    w = temperature_slider(fn, temperatures=[0.5], live=True)
    w.button.click()
    assert w.samples == ["2"] and "seed" not in w.caption.value


def test_new_samples_changes_the_text_of_a_real_model():
    """In a kernel-like setting: an untrained CharRNN sampled the way Experiment.samples does."""
    import torch

    from rnnkit.model import CharRNN
    from rnnkit.sample import sample
    from rnnkit.text import Vocab

    vocab = Vocab.from_text("abcdefgh \n")
    torch.manual_seed(0)
    model = CharRNN(len(vocab), cell="lstm", n_layers=1, hidden=16)
    fn = lambda temps, prime, seed=0: sample(model, vocab, length=60, prime=prime, temperature=temps, seed=seed)
    w = temperature_slider(fn, temperatures=[1.0, 1.5], prime="ab", live=True)
    before = w.shown
    w.button.click()
    assert w.shown != before and w.shown.startswith("ab")


def test_a_prime_the_model_cannot_read_is_reported_and_the_samples_kept():
    from rnnkit.numpy_rnn import MinCharRNN
    model = MinCharRNN("abc ", hidden_size=5, rng=0)
    w = temperature_slider(lambda temps, prime: [model.sample(prime, 10, t, rng=0) for t in temps],
                           temperatures=[0.5, 1.0], prime="ab", live=True)
    before = w.samples
    w.prime_box.value = "abz"
    assert "never saw" in w.caption.value and "&#x27;z&#x27;" in w.caption.value
    assert w.samples == before and w.prime == "ab"
    with pytest.raises(ValueError, match="never saw: 'z'"):
        w.resample("abz")  # called from code, the error is raised


@pytest.mark.parametrize("grid, message", [
    ([], "empty"),
    ([0.5, 0.0], "positive"),
    ([0.5, float("nan")], "positive"),
    ([0.5, 0.5], "distinct"),
])
def test_bad_grid_errors_clearly(grid, message):
    with pytest.raises(ValueError, match=message):
        temperature_slider(FakeSampler(), temperatures=grid, live=False)


def test_sample_fn_must_return_one_str_per_temperature():
    with pytest.raises(ValueError, match="returned 1 samples for 2 temperatures"):
        temperature_slider(lambda ts, p: ["only one"], temperatures=[0.5, 1.0], live=False)
    with pytest.raises(TypeError, match="list of str"):
        temperature_slider(lambda ts, p: [1, 2], temperatures=[0.5, 1.0], live=False)


def test_a_long_sample_scrolls_inside_a_box_of_bounded_height(tmp_path, browser):
    # chapter 7: code at 0.3 has twice the lines it has at 1.0; a box as tall as the longest left a
    # large empty space under the sample shown. The box stops at SAMPLES_MAX_HEIGHT and scrolls.
    def sampler(temperatures, prime, seed=0):
        return ["x\n" * (80 if t < 1 else 3) for t in temperatures]
    page_html = temperature_slider(sampler, temperatures=[0.5, 1.0], live=False)._repr_html_()
    assert 'tabindex="0"' in re.search(r'<div class="rnnkit-samples"[^>]*>', page_html).group(0)
    path = tmp_path / "slider.html"
    path.write_text(f"<!doctype html><html><body>{page_html}</body></html>", encoding="utf-8")
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    box = page.evaluate("""() => { const b = document.querySelector('.rnnkit-samples');
        return [b.clientHeight, b.scrollHeight, parseFloat(getComputedStyle(document.documentElement).fontSize)]; }""")
    page.close()
    assert box[0] <= 26 * box[2] + 1 and box[1] > box[0], box
