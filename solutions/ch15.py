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


def _keys_only(layers, width, context, bytes_per_value=4):
    return layers * context * width * bytes_per_value


def _numbers(layers, width, context, bytes_per_value=4):
    return 2 * layers * context * width


def _raises(layers, width, context, bytes_per_value=4):
    return 2 * layers * context * width * bytes_per_value / (layers - layers)


def _one_layer(layers, width, context, bytes_per_value=4):
    return 2 * context * width * bytes_per_value


def _square(n):
    return n * (n + 1) // 2, sum((t + 1) ** 2 for t in range(n))


def _swapped(n):
    return attention_dot_products(n)[::-1]


# (wrong answer, a phrase the "Not quite" message must contain)
WRONG = {
    "15.1": [(_keys_only, "keys AND values"), (_numbers, "bytes per value"), (_raises, "raised ZeroDivisionError"),
             (lambda layers, width, context, bytes_per_value=4: float("nan"), "NaN"),
             (_one_layer, "number of layers")],
    "15.2": [(_square, "causal"), (_swapped, "swapped"), (lambda n: None, "returned None"),
             (lambda n: (n * (n - 1) // 2, sum(t * (t + 1) // 2 for t in range(n))), "Off by one"),
             (lambda n: (sum(range(n + 1)), sum(range(n + 1)) / (n - n)), "raised ZeroDivisionError")],
}
