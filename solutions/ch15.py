"""Chapter 15: reference solutions, instructor notes, and wrong answers the tests feed the checks."""


def kv_cache_bytes(layers, width, context, bytes_per_value=4):
    return 2 * layers * context * width * bytes_per_value  # keys and values, per layer and position


def attention_dot_products(n):
    cached = sum(t + 1 for t in range(n))
    uncached = sum(sum(i + 1 for i in range(t + 1)) for t in range(n))
    return cached, uncached


SOLUTIONS = {"15.1": kv_cache_bytes, "15.2": attention_dot_products}

NOTES = {
    "15.1": "Heads do not appear: the heads split the width, so keys and values are `width` numbers per "
            "layer and position however many heads there are. At 16,384 positions a 4-layer, 128-wide GPT "
            "caches 64 MiB against the LSTM's few kilobytes.",
    "15.2": "Cached: n(n+1)/2, quadratic in n overall but linear per step. Uncached: n(n+1)(n+2)/6, cubic. "
            "Real models cap the window at the context, which turns both into linear growth beyond it.",
}


def _raises(layers, width, context, bytes_per_value=4):
    return 2 * layers * context * width * bytes_per_value / (layers - layers)


def _wrong():
    # the checks' own mistakes; imported here, as the instructor build pastes top-level imports into solution cells
    from rnnkit.book.exercises.ch15 import (_dots_off_by_one, _dots_square, _dots_swapped, _keys_only, _one_layer,
                                            _values_not_bytes)
    return {
        "15.1": [(_keys_only, "keys AND values"), (_values_not_bytes, "bytes per value"),
                 (_raises, "raised ZeroDivisionError"),
                 (lambda layers, width, context, bytes_per_value=4: float("nan"), "NaN"),
                 (_one_layer, "number of layers")],
        "15.2": [(_dots_square, "causal"), (_dots_swapped, "swapped"), (lambda n: None, "returned None"),
                 (_dots_off_by_one, "Off by one"),
                 (lambda n: (sum(range(n + 1)), sum(range(n + 1)) / (n - n)), "raised ZeroDivisionError")],
    }


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = _wrong()
