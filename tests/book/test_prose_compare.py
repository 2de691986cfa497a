"""Chapters 15-17's sentences chosen from a run's numbers: every branch of every chooser."""
from rnnkit.book import prose_compare as pc

# -- chapter 15 -----------------------------------------------------------------------------------


def test_race_budget_says_what_each_side_used():
    assert pc.race_budget(45, {"LSTM": (45.1, "budget"), "GPT": (45.3, "budget")}) == "After 45 CPU seconds each"
    # the build: the LSTM's max_steps ended its run at 32 CPU seconds
    assert pc.race_budget(45, {"rnnkit LSTM 2x256": (32.4, "done"), "GPT": (45.2, "budget")}) == (
        "With a budget of 45 CPU seconds each (the rnnkit LSTM 2x256 stopped at 32 CPU seconds, when its preset's "
        "last update was done)")


def test_race_sentences():
    assert pc.speed_claim(2.5).startswith("The LSTM trains on 2.5 times as many characters per CPU second")
    assert pc.speed_claim(1.0).startswith("Per CPU second the two train on about as many characters (the LSTM 1.0")
    s = pc.speed_claim(0.3)  # the build: never "about as many"
    assert s.startswith("The GPT trains on 3.3 times as many characters per CPU second as the LSTM (the LSTM's rate "
                        "is 0.3 times the GPT's)") and "about as many" not in s
    assert pc.race_lead(1.5, 1.6) == "the LSTM is ahead by 0.100 nats per character"
    assert pc.race_lead(3.327, 2.465) == "the GPT is ahead by 0.862 nats per character"
    assert pc.curve_lead([True, True]) == pc.curve_lead([False, False]) == "at every point of the curves"
    assert pc.curve_lead([True, False]) == "although the curves cross along the way"
    assert pc.cache_claim(4096, 0.1, 0.25) == (
        "at 4,096 characters the LSTM's step is 2.5 times cheaper than even the cached GPT's")
    assert pc.cache_claim(256, 0.3, 0.2) == (
        "at 256 characters the LSTM's step is not cheaper than the cached GPT's on this machine (0.30 against 0.20 ms)")


def test_race_budget_rounds_short_runs_to_a_tenth():
    assert "stopped at 0.3 CPU seconds" in pc.race_budget(3, {"LSTM": (0.31, "done"), "GPT": (3.1, "budget")})


def test_growth_with_the_context():
    assert pc.growth(0.92, 10.1) == "grows from 0.92 to 10.1 ms (11 times)"
    assert pc.growth(0.92, 1.0) == "stays between 0.92 and 1.00 ms at these contexts"


def test_flat_cost():
    assert pc.flat_cost(0.30, 0.33, "64 and 4,096") == (
        "The LSTM's cost per character is flat (0.30 and 0.33 ms at contexts of 64 and 4,096)")
    assert pc.flat_cost(0.30, 0.60, "64 and 4,096").startswith("The LSTM's cost per character is not flat on this")


# -- chapter 16 -----------------------------------------------------------------------------------


def test_chars_against_words():
    assert pc.chars_words_lead(1.5, 1.6) == "the character model is ahead by 0.100 nats per character"
    assert pc.chars_words_lead(2.6, 2.5) == "the word model is ahead by 0.100 nats per character"
    assert pc.spelling_free_claim(2.6, 2.5, 2.2) == "would be further ahead still"
    assert pc.spelling_free_claim(2.0, 2.5, 1.8).startswith("would look better than the character model")
    assert pc.spelling_free_claim(2.0, 2.5, 2.2) == "would still not beat the character model"


def test_unknown_words_in_the_sample_and_token_perplexity():
    assert pc.unk_sentence(0).startswith("This sample happens to hold no `<unk>`")
    assert pc.unk_sentence(1).endswith("(1 time in this sample)")
    assert pc.unk_sentence(3).endswith("(3 times in this sample)")
    assert pc.token_perplexity(6.1, 20257).startswith("it looks far smaller only because")
    assert pc.token_perplexity(300, 200).startswith("it is not smaller here")
    assert pc.versus_ptb(20257) == "our per-word figures are far higher (20,257 for the word model)"
    assert pc.versus_ptb(95) == "our word model's per-word figure (95) happens to come near it"


# -- chapter 17 -----------------------------------------------------------------------------------


def test_comparison_place_and_best_strategy():
    assert pc.comparison_place(True) == "held-out Shakespeare's own diversity"
    assert pc.comparison_place(False) == "the middle of the diversities the knobs reach"
    assert pc.best_strategy(None, {}, 0.01, 4).startswith("no strategy's range reaches that diversity")
    reached = {"temperature": 0.80, "top-k": 0.70, "top-p": 0.78}
    assert pc.best_strategy("temperature", reached, 0.005, 4) == (
        "**temperature** gives the most real words there, by 2.0%, more than twice the largest standard error of "
        "a point (0.5%)")
    s = pc.best_strategy("temperature", reached, 0.02, 4)
    assert "by 2.0%; that is within twice the largest standard error of a point (2.0%, from 4 samples)" in s
    # alone at that point: a margin of nothing, never a clear win
    assert "by 0.0%; that is within twice" in pc.best_strategy("top-k", {"top-k": 0.7}, 0.0001, 2)


def test_tradeoff_sentence():
    ends = {"temperature": ((0.3, 0.95), (0.9, 0.6)), "top-k": ((0.4, 0.9), (0.9, 0.7))}
    assert pc.tradeoff_sentence(ends).startswith("Every strategy traces the same kind of curve")
    ends["top-p"] = ((0.9, 0.6), (0.9, 0.6))  # a knob that changes nothing
    assert pc.tradeoff_sentence(ends).startswith("Not every knob trades the same way in this build: top-p does not")
