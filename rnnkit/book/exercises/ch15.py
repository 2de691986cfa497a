"""Chapter 15 (RNN or Transformer?): the size of a GPT's KV cache, and the attention work of
generating with and without it."""
from types import SimpleNamespace

from ...tasks.gpt import cache_bytes
from .core import Case, Exercise, Mistake
from .quiz import Option, Question


def _cache(layers, width, context, bytes_per_value=4):
    # rnnkit's own formula counts float32 values: scale it for other widths of a value
    fake = SimpleNamespace(blocks=[None] * layers, args={"width": width})
    return cache_bytes(fake, context) * bytes_per_value // 4


def _keys_only(layers, width, context, bytes_per_value=4):
    return layers * width * context * bytes_per_value


def _values_not_bytes(layers, width, context, bytes_per_value=4):
    return 2 * layers * width * context


def _one_layer(layers, width, context, bytes_per_value=4):
    return 2 * width * context * bytes_per_value


def _dots(n, square=False):
    cached = n * (n + 1) // 2  # step t: one new query against t + 1 keys
    if square:                 # every step recomputes a full (t + 1) x (t + 1) score matrix
        return cached, sum((t + 1) ** 2 for t in range(n))
    return cached, sum((t + 1) * (t + 2) // 2 for t in range(n))


def _dots_swapped(n):
    return _dots(n)[::-1]


def _dots_square(n):
    return _dots(n, square=True)


def _dots_off_by_one(n):
    return n * (n - 1) // 2, sum(t * (t + 1) // 2 for t in range(n))


EXERCISES = (
    Exercise(
        "15.1", "The KV cache's size at a given context",
        cases=(Case((3, 64, 10, 8), _cache(3, 64, 10, 8), "3 layers, 64 wide, 10 positions, float64 (8 bytes)"),
               Case((4, 128, 64), _cache(4, 128, 64), "4 layers, 128 wide, 64 positions, float32"),
               Case((4, 128, 16384), _cache(4, 128, 16384), "the same GPT at 16,384 positions"),
               Case((6, 384, 256, 2), _cache(6, 384, 256, 2), "6 layers, 384 wide, 256 positions, 2-byte values")),
        mistakes=(
            Mistake(_keys_only,
                    "The cache holds keys AND values: two vectors per layer and position."),
            Mistake(_values_not_bytes,
                    "That counts values, not bytes: multiply by the bytes per value."),
            Mistake(_one_layer,
                    "Every layer keeps its own keys and values: multiply by the number of layers."),
        ),
    ),
    Exercise(
        "15.2", "Attention's work for n generated characters, with and without a cache",
        cases=(Case((1,), _dots(1), "n = 1"), Case((4,), _dots(4), "n = 4"), Case((100,), _dots(100), "n = 100")),
        mistakes=(
            Mistake(_dots_swapped, "The two counts are swapped: the cached one is the smaller."),
            Mistake(_dots_square,
                    "The mask is causal: query i scores keys 0..i only, (t+1)(t+2)/2 pairs per recomputed "
                    "window, not (t+1)²."),
            Mistake(_dots_off_by_one,
                    "Off by one: at step t (from 0) the new position also attends to itself, t + 1 keys."),
        ),
    ),
)

QUIZ = (
    Question("As the context grows, what happens to the LSTM's cost of generating one more character?",
             (Option("It stays the same: the LSTM updates a state of fixed size.", True,
                     "The chapter measures a flat line: the same work and memory at any context."),
              Option("It grows linearly, like the cached GPT's.", False,
                     "The LSTM never looks back at earlier characters; only its state carries them."),
              Option("It grows with the square of the context.", False,
                     "That is a GPT recomputing its window's attention without a cache."))),
    Question("What does a GPT's KV cache store?",
             (Option("Every layer's keys and values for every position seen so far.", True,
                     "So a new character computes only its own position, and attends over all of them."),
              Option("The logits of every earlier position.", False, "Logits are not needed to generate the next "
                                                                     "character."),
              Option("A fixed-size summary of the past, like an RNN's state.", False,
                     "It grows linearly with the context; that is the chapter's memory table."))),
    Question("Why does the race budget CPU seconds (time.process_time) rather than updates?",
             (Option("An update costs the two models different amounts; equal compute is the fair comparison.", True,
                     "The question is quality per unit of compute on this machine."),
              Option("Because the GPT cannot count its updates.", False, "Both count updates; the table lists them."),
              Option("Because wall time is always equal to CPU time.", False,
                     "It is not: a busy neighbour inflates wall time more than process time."))),
    Question("How does the GPT score held-out text longer than its context?",
             (Option("In windows of its context, each character scored once with at least half a context "
                     "before it.", True,
                     "Beyond its trained context it must drop the oldest characters."),
              Option("As one stream, like the LSTM.", False, "Only a recurrent model can carry everything in a state."),
              Option("It cannot be scored on text longer than its context.", False,
                     "It can, in windows; it just cannot see further back than the window."))),
)
