"""Part III's sentences chosen from a run's numbers: every branch of every chooser, built from
inputs that take it (several are the sentences a smoke build of chapters 11-17 shows, word for word)."""
from rnnkit.book import prose_course as pc

# -- chapter 11 -----------------------------------------------------------------------------------


def test_rnn_verdict_four_ways():
    s = pc.rnn_verdict("LSTM", 0.90, 0.85, 0.80, overlap=False)
    assert s.startswith("The best recurrent model (LSTM) beats both baselines: 10.0 points above the last letter "
                        "and 5.0 above the n-gram model, with intervals that do not overlap.")
    assert "its interval still overlaps the n-gram model's" in pc.rnn_verdict("LSTM", 0.90, 0.85, 0.80, True)
    s = pc.rnn_verdict("LSTM, bidirectional", 0.772, 0.826, 0.711, overlap=False)  # the smoke build's numbers
    assert s.startswith("The best recurrent model (LSTM, bidirectional) beats the last letter by 6.1 points but "
                        "not the n-gram model: it is 5.4 points below it. With a few thousand")
    s = pc.rnn_verdict("LSTM", 0.80, 0.81, 0.70, overlap=True)
    assert "1.0 points below it, within the intervals, so the two cannot be told apart" in s
    assert s.endswith("with many more parameters.")


def test_apart_sentence():
    assert pc.apart_sentence([]).startswith("every other recurrent model's interval overlaps the best one's")
    assert pc.apart_sentence(["LSTM, right to left", "LSTM, 2 layers"]) == (
        "2 of the other recurrent models (LSTM, right to left, LSTM, 2 layers) have intervals entirely below "
        "the best one's")


def test_padding_sentences():
    assert pc.pad_cost_sentence(0.01, 0.02) == "so packing bought accuracy in this run"
    assert pc.pad_cost_sentence(0.01, -0.01).startswith("so in this run the padding did not cost accuracy")
    assert pc.pad_time_sentence(0.75, 1.0) == "packing saved 25% of the time"
    s = pc.pad_time_sentence(0.417, 0.30)
    assert s.startswith("packing cost 39% more time, not less: on a CPU") and s.endswith("the other way)")


def test_marked_names_and_hesitation():
    assert pc.marked_names(["Jean", "Kim"], {"Jean"}) == "Jean, Kim (not trained on)"
    assert pc.hesitation_sentence(0.4, 0.1) == "The model does hesitate more on them"
    assert pc.hesitation_sentence(0.1, 0.1).startswith("The model does not hesitate more on them")


# -- chapter 12 -----------------------------------------------------------------------------------


def test_cold_sentence():
    assert pc.cold_sentence(0.5, 0.9).startswith("fewer than at temperature 1")
    assert pc.cold_sentence(0.9, 0.9) == "not fewer than at temperature 1 in this run"


def test_asked_sentence_three_ways():
    agree = lambda f1, m1, f7, m7: {("female", 1.0): f1, ("male", 1.0): m1, ("female", 0.7): f7, ("male", 0.7): m7}
    assert pc.asked_sentence(agree(0.9, 0.9, 0.95, 0.95), 0.8).startswith(
        "At both temperatures and for both labels the judge agrees")
    assert pc.asked_sentence(agree(0.9, 0.7, 0.95, 0.95), 0.8).startswith(
        "The judge agrees with the requested label less often")
    # at temperature 1 no label falls below the judge, but one at 0.7 does not beat it
    assert pc.asked_sentence(agree(0.9, 0.8, 0.95, 0.6), 0.8).startswith(
        "At temperature 1 the judge agrees with the requested label at least as often")


# -- chapter 13 -----------------------------------------------------------------------------------


def test_attention_sentence_four_ways():
    shown = "99.4% (98.9% to 99.7%)"
    s = pc.attention_sentence(True, 120_000, 95.4, 0.994, shown)
    assert s == ("With attention the model reached 99% on the validation sums after 120,000 examples (95 CPU "
                 "seconds) and scores 99.4% (98.9% to 99.7%) on the test sums, the Keras example's 99% with a "
                 "fraction of its examples.")
    assert pc.attention_sentence(True, 1, 1, 0.985, "x").endswith(", just short of 99% on the test sums.")
    assert pc.attention_sentence(True, 1, 1, 0.5, "x").endswith("scores x on the test sums.")
    s = pc.attention_sentence(False, 6016, 1.2, 0.015, "1.5% (0.5% to 4.3%)")
    assert "did not reach 99% on the validation sums within this scale's budget of 6,016 examples (1 CPU" in s
    assert s.endswith("The cpu-scale target of 99% is not reproduced at this scale.")


def test_reverse_longer_carry_place_and_beam():
    assert pc.reverse_sentence(0.123) == "Reversing the input helped the model without attention by 12.3 points"
    assert pc.reverse_sentence(0.0) == "Reversing the input did not help the model without attention here (+0.0 points)"
    assert pc.longer_sentence("no attention", 0.0, 3).startswith("None of the three adds 3-digit numbers")
    assert pc.longer_sentence("attention", 0.5, 4).startswith("Only partly: the best, attention, gets 50.0%")
    assert pc.longer_sentence("attention", 0.95, 4) == (
        "The attention model generalises: 95.0% of the 4-digit sums are exactly right")
    assert pc.carry_sentence(0.2).startswith("The carry is visible")
    assert pc.carry_sentence(0.1).startswith("The carry is not visible in the weights")
    assert pc.place_sentence(0.6).startswith("so the decoder mostly reads the two digits")
    assert pc.place_sentence(0.4).startswith("so the decoder does not simply read the two digits")
    assert pc.beam_sentence([0.0, 1.5, 0.2]).startswith("Beam search improved accuracy by up to 1.5 points")
    assert "(changes from -0.3 to +0.5 points)" in pc.beam_sentence([-0.3, 0.5])


# -- chapter 14 -----------------------------------------------------------------------------------


def test_trained_gradient_claim_four_ways():
    assert pc.trained_gradient_claim({"gru": 8e11, "lstm": 1e12}, 29) == (
        "after training both gated cells keep far more gradient than the tanh RNN at distance 29 (the GRU 8e+11 "
        "times and the LSTM 1e+12 times the RNN's)")
    s = pc.trained_gradient_claim({"gru": 2.0, "lstm": 50.0}, 29)
    assert s.startswith("after training the LSTM keeps far more") and "while the GRU does not yet" in s
    s = pc.trained_gradient_claim({"gru": 50.0, "lstm": 2.0}, 29)
    assert s.startswith("after training the GRU keeps far more") and "while the LSTM does not yet" in s
    assert pc.trained_gradient_claim({"gru": 2.0, "lstm": 3.0}, 29).startswith(
        "after this short training neither gated cell")


def test_init_gradient_claim():
    assert pc.init_gradient_claim(0.9, 0.5).startswith("already at initialisation the LSTM's gradient")
    assert pc.init_gradient_claim(0.52, 0.5).startswith("at initialisation the LSTM is no better")


def test_adding_who_and_verdict_every_way():
    none = {(c, T): None for c in ("rnn", "gru", "lstm") for T in (10, 20)}
    assert pc.adding_who(none, [10, 20]) == "at T = 10 no cell got below 0.01; at T = 20 no cell got below 0.01"
    assert pc.adding_verdict(none, [10, 20]).startswith("No cell got below 0.01 within this scale's budget")
    some = {**none, ("gru", 10): 300, ("lstm", 10): 500}
    assert pc.adding_who(some, [10, 20]).startswith("at T = 10 the GRU and the LSTM got below 0.01;")
    s = pc.adding_verdict(some, [10, 20])
    assert s.startswith("The published picture holds here in small") and "T up to 10; at T = 20 no cell did" in s
    all_gated = {**some, ("lstm", 20): 900}
    assert pc.adding_verdict(all_gated, [10, 20]).endswith("while a gated cell did at T up to 20")
    assert pc.adding_verdict({**some, ("rnn", 10): 200}, [10, 20]).startswith("Unlike the published picture")


def test_exploding_and_clipped_claims():
    assert pc.exploding_claim(True, 3.4e18, 23) == (
        "Without clipping the gradient norm grew to 3.4e+18 and the loss overflowed after 23 updates; the run is over")
    assert pc.exploding_claim(False, 12.0, 30) == (
        "Without clipping the run survived all 30 updates in this build, with gradient norms up to 1.2e+01")
    assert pc.clipped_claim(True, 30, 0.179, 1 / 6) == (
        "with clipping the same run finished its 30 updates with a test MSE of 0.179 (the always-1 answer scores "
        "0.167)")
    assert pc.clipped_claim(False, 30, float("nan"), 1 / 6) == "with clipping the run also failed in this build"


# -- chapter 15 -----------------------------------------------------------------------------------


def test_race_sentences():
    assert pc.speed_claim(2.5).startswith("The LSTM trains on 2.5 times as many characters per CPU second")
    assert pc.speed_claim(1.0).startswith("Per CPU second the two train on about as many characters (the LSTM 1.0")
    assert pc.race_lead(1.5, 1.6) == "the LSTM is ahead by 0.100 nats per character"
    assert pc.race_lead(3.327, 2.465) == "the GPT is ahead by 0.862 nats per character"
    assert pc.curve_lead([True, True]) == pc.curve_lead([False, False]) == "at every point of the curves"
    assert pc.curve_lead([True, False]) == "although the curves cross along the way"
    assert pc.cache_claim(4096, 0.1, 0.25) == (
        "at 4,096 characters the LSTM's step is 2.5 times cheaper than even the cached GPT's")
    assert pc.cache_claim(256, 0.3, 0.2) == (
        "at 256 characters the LSTM's step is not cheaper than the cached GPT's on this machine (0.30 against 0.20 ms)")


# -- chapter 16 -----------------------------------------------------------------------------------


def test_chars_against_words():
    assert pc.chars_words_lead(1.5, 1.6) == "the character model is ahead by 0.100 nats per character"
    assert pc.chars_words_lead(2.6, 2.5) == "the word model is ahead by 0.100 nats per character"
    assert pc.spelling_free_claim(2.6, 2.5, 2.2) == "would be further ahead still"
    assert pc.spelling_free_claim(2.0, 2.5, 1.8).startswith("would look better than the character model")
    assert pc.spelling_free_claim(2.0, 2.5, 2.2) == "would still not beat the character model"


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
