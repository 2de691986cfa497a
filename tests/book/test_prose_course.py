"""Part III's sentences chosen from a run's numbers (chapters 11-14; 15-17 in
test_prose_compare.py): every branch of every chooser, built from inputs that take it (several
are the sentences a smoke build shows, word for word)."""
from rnnkit.book import prose_course as pc

# -- chapter 11 -----------------------------------------------------------------------------------


def test_rnn_verdict_every_way():
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
    s = pc.rnn_verdict("LSTM", 0.68, 0.81, 0.70, overlap=False)  # below the last letter: never "beats by -2"
    assert s.startswith("The best recurrent model (LSTM) does not even beat the last letter: it is 2.0 points below "
                        "the naive Bayes baseline and 13.0 below the n-gram model.") and "by -" not in s


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


def test_asked_sentence_compares_like_with_like():
    recall = {"female": (0.93, 0.91, 0.95), "male": (0.84, 0.80, 0.87)}
    # the build: 81% of generated male names against a recall of 84% on real male names
    agree = {"female": (0.95, 0.93, 0.96), "male": (0.81, 0.78, 0.84)}
    s = pc.asked_sentence(agree, recall)
    assert s.startswith('Compared like with like, for "female" it classifies 95% of the generated names as female, '
                        'about as often as real female test names (93%); for "male" it classifies 81% of the '
                        'generated names as male, about as often as real male test names (84%).')
    assert s.endswith("as typical of the list they were written for as real names of that list are")
    s = pc.asked_sentence({"female": (0.99, 0.98, 1.0), "male": (0.60, 0.55, 0.65)}, recall)
    assert "more often than real female test names" in s and "less often than real male test names" in s
    assert s.endswith('. So for "male" the label does not fully decide the name: the judge finds fewer of them '
                      "typical of the list than of its real names")
    assert pc.compared((0.5, 0.4, 0.6), (0.55, 0.5, 0.6)) == "about as often as"


# -- chapter 13 -----------------------------------------------------------------------------------


def test_attention_sentence_reads_the_test_figure():
    shown = "99.4% (98.9% to 99.7%)"
    s = pc.attention_sentence(True, 120_000, 95.4, 0.994, shown)
    assert s == ("With attention the model reached 99% on the validation sums, which stops training, after 120,000 "
                 "examples (95 CPU seconds). On the test sums, the figure this page's verdict reads, it scores "
                 "99.4% (98.9% to 99.7%): the 99% target is met, as in the Keras example, with a fraction of its "
                 "examples.")
    # the build: validation reached 98.9% (not 99%), the test figure shows 99.0%: the test decides
    s = pc.attention_sentence(False, 200_000, 160, 0.98956, "99.0% (98.5% to 99.4%)")
    assert "did not reach 99% on the validation sums, which would have stopped training" in s
    assert s.endswith("it scores 99.0% (98.5% to 99.4%): the 99% target is met, as in the Keras example, with a "
                      "fraction of its examples.")
    s = pc.attention_sentence(True, 1, 1, 0.985, "98.5% (x)")
    assert s.endswith(": 0.5 points short of the 99% target, which this build does not reproduce.")
    s = pc.attention_sentence(False, 6016, 1.2, 0.015, "1.5% (0.5% to 4.3%)")
    assert "within this scale's budget of 6,016 examples (1 CPU seconds)" in s
    assert s.endswith("97.5 points short of the 99% target, which this build does not reproduce.")


def test_plain_budget():
    assert pc.plain_budget(False).startswith("The models without attention would need far more")
    assert pc.plain_budget(True).startswith("A model without attention reached 99% on the validation sums too")


def test_forcing_sentence_measures_exposure_bias():
    s = pc.forcing_sentence(0.97, 0.93)
    assert s.startswith("Reading the true previous characters, the model gets 97.0% of the answer characters right; "
                        "reading its own, 93.0%. The 4.0 points between them")
    assert pc.forcing_sentence(0.97, 0.9695).startswith("Reading the true previous characters the model gets 97.0%")
    assert "a mistake rarely drags" in pc.forcing_sentence(0.5, 0.5)


def test_reverse_longer_carry_place_and_beam():
    assert pc.reverse_sentence(0.123) == "Reversing the input helped the model without attention by 12.3 points"
    assert pc.reverse_sentence(0.0) == "Reversing the input did not help the model without attention here (+0.0 points)"
    assert pc.longer_sentence("no attention", 0.0, 3) == (
        "None of the three adds 3-digit numbers: not one of those sums comes out exactly right")
    assert pc.longer_sentence("no attention", 0.05, 3).startswith("None of the three adds 3-digit numbers: the best")
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


def test_trained_gradient_claim_every_way():
    assert pc.trained_gradient_claim({"gru": 8e11, "lstm": 1e12}, 29) == (
        "after training both gated cells keep far more gradient than the tanh RNN at distance 29 (the GRU 8.0e+11 "
        "times and the LSTM 1.0e+12 times the RNN's)")
    s = pc.trained_gradient_claim({"gru": 2.0, "lstm": 50.0}, 29)
    assert s.startswith("after training the LSTM keeps far more") and "while the GRU does not keep clearly more" in s
    s = pc.trained_gradient_claim({"gru": 50.0, "lstm": 2.0}, 29)
    assert s.startswith("after training the GRU keeps far more") and "while the LSTM does not keep clearly more" in s
    s = pc.trained_gradient_claim({"gru": 0.1, "lstm": 50.0}, 29)
    assert "while the GRU even keeps less than the RNN" in s
    # the build: the GRU below the RNN, and the LSTM not clearly above
    s = pc.trained_gradient_claim({"gru": 7.9e-2, "lstm": 3.0}, 99)
    assert s.startswith("after this short training the GRU keeps *less* gradient than the tanh RNN at distance 99")
    assert "the GRU 7.9e-02 times" in s
    assert "keep *less*" in pc.trained_gradient_claim({"gru": 0.5, "lstm": 0.2}, 99)
    assert pc.trained_gradient_claim({"gru": 2.0, "lstm": 3.0}, 29).startswith(
        "after this short training neither gated cell")


def test_init_gradient_claim_forget_bias_and_gates():
    assert pc.init_gradient_claim(0.9, 0.5).startswith("already at initialisation the LSTM's gradient")
    assert pc.init_gradient_claim(0.52, 0.5).startswith("at initialisation the LSTM is no better")
    assert "$\\sigma(0) = 0.5$" in pc.init_gradient_claim(0.52, 0.5)
    assert pc.forget_bias_claim(0.80, 0.60).endswith("the gradient travels further from the start")
    assert pc.forget_bias_claim(0.61, 0.60).endswith("on this text it makes little difference")
    init = {"rnn": 0.6, "gru": 0.7, "lstm": 0.6}
    assert pc.gates_moved(init, {"rnn": 0.5, "gru": 0.9, "lstm": 0.8}).startswith("Training moved both gated cells")
    assert pc.gates_moved(init, {"rnn": 0.5, "gru": 0.5, "lstm": 0.8}).startswith("Training moved only the LSTM")
    assert pc.gates_moved(init, {"rnn": 0.5, "gru": 0.42, "lstm": 0.6}).startswith("Training did not move")


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


def test_adding_shape_and_what_clipping_does():
    none = {(c, T): None for c in ("rnn", "gru", "lstm") for T in (50, 100)}
    assert pc.adding_shape(none, [50, 100]).startswith("Every curve stays on a plateau")
    some = {**none, ("gru", 50): 300, ("gru", 100): 450}
    assert pc.adding_shape(some, [50, 100]).endswith(". For the GRU the plateau is longer at greater lengths")
    s = pc.adding_shape({**some, ("gru", 100): 200}, [50, 100])
    assert s.endswith(". The plateau does not simply grow with the length here (the GRU)")
    s = pc.adding_shape({**none, ("lstm", 50): 300}, [50, 100])
    assert s.startswith("The curves show the typical shape") and "plateau is longer" not in s and "does not" not in s
    assert pc.clipped_solves(0.17).startswith("Clipping does not make the tanh RNN solve")
    assert pc.clipped_solves(0.004).startswith("Here the clipped tanh RNN even solved the task")
