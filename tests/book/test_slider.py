"""The temperature slider: one sampling call per grid, a browser-side link, clear errors."""
import html

import pytest

from rnnkit.book.slider import TEMPERATURES, temperature_slider


class FakeSampler:
    """Records its calls; sample i names its temperature and prime so we can tell them apart."""

    def __init__(self):
        self.calls = []

    def __call__(self, temperatures, prime):
        self.calls.append((list(temperatures), prime))
        return [f"{prime}<T={t:g}>" for t in temperatures]


def test_whole_grid_is_sampled_in_one_call():
    fake = FakeSampler()
    w = temperature_slider(fake, prime="The ", live=False)
    assert fake.calls == [(list(TEMPERATURES), "The ")]
    assert len(w.stack.children) == len(TEMPERATURES)
    assert w.samples == [f"The <T={t:g}>" for t in TEMPERATURES]


def test_slider_index_is_linked_to_the_stack_in_the_browser():
    w = temperature_slider(FakeSampler(), live=False)
    assert w.link._model_name == "LinkModel"  # a jslink: runs in the browser, no kernel needed
    assert w.link.source == (w.slider, "index")
    assert w.link.target == (w.stack, "selected_index")
    assert w.stack.selected_index == w.slider.index
    assert w.slider.value == 1.0  # starts where the model samples itself as trained
    assert "rnnkit-temperature-slider" in w._dom_classes  # tests/test_book.py finds it by this


@pytest.mark.parametrize("index", [0, 4, len(TEMPERATURES) - 1])
def test_selected_index_maps_to_its_sample(index):
    w = temperature_slider(FakeSampler(), prime="ab", live=False)
    w.slider.index = index
    t = TEMPERATURES[index]
    assert w.slider.value == t
    assert w.shown == f"ab<T={t:g}>"
    # the stack child at that index carries that sample, HTML-escaped
    assert html.escape(f"ab<T={t:g}>") in w.stack.children[index].value


def test_live_controls_resample_the_grid_in_one_call():
    fake = FakeSampler()
    w = temperature_slider(fake, temperatures=[0.5, 1.0], live=True)
    w.prime_box.value = "xy"
    assert fake.calls[-1] == ([0.5, 1.0], "xy")
    assert len(fake.calls) == 2
    w.button.click()
    assert len(fake.calls) == 3 and w.samples == ["xy<T=0.5>", "xy<T=1>"]


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


def test_static_mode_has_no_live_controls():
    w = temperature_slider(FakeSampler(), live=False)
    assert not hasattr(w, "prime_box")


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
