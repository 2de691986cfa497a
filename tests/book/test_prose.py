"""The sentences chosen from a run's numbers: every branch, and the smoke scale's numbers (tiny,
untrained models) taking the "not reproduced" branch everywhere."""
from rnnkit.book import prose
from rnnkit.book.measures import Nesting


def test_scale_sentence_and_the_verdict_both_ways():
    assert prose.scale_sentence("cpu").startswith("This page was built at the cpu scale: ")
    assert prose.reproduced(True, "x.", "y.") == "This build reproduces it: x."
    no = prose.reproduced(False, "x.", "y.")
    assert no.startswith("At this scale the page does not reproduce it: y.") and 'scale="gpu"' in no


def test_shares_and_rates_in_words():
    assert prose.share(0, 1) == "0 of 1" and prose.share(3, 12) == "3 of 12 (25%)"
    assert prose.closed(Nesting(3, 1, 0)) == "75% of 4" and prose.closed(Nesting(0, 0, 2)) == "none closed"
    assert prose.rate(float("nan")) == "no environments" and prose.rate(0.5) == "50%"


def test_dialogue_sentences_follow_the_counts():
    s = prose.turns_sentence((0, 0), (47, 47), (0, 0))
    assert "no complete block" in s and "stage directions" not in s and "writes none" in s
    s = prose.turns_sentence((6, 12), (40, 47), (1, 3))
    assert "6 of 12 (50%)" in s and "stage directions" in s and "writes 1 of 3." in s
    assert "All 4 names" in prose.speakers_sentence(4, 4)
    assert "None of the 4" in prose.speakers_sentence(0, 4)
    assert "the others are inventions" in prose.speakers_sentence(2, 4)
    assert prose.speakers_sentence(0, 0) == "The model put no name on a speaker line."


def test_untrained_ahead_only_when_the_page_shows_it_ahead():
    assert prose.untrained_ahead(0.0, 0.003, "x") == ""  # both show as 0%
    assert prose.untrained_ahead(0.5, 0.2, "x") == ""
    assert "(8% against 0%)" in prose.untrained_ahead(0.0, 0.08, "texts that parse")


def test_order_of_learning_and_settling():
    assert prose.settles("the rate of spaces", 300) == "the rate of spaces settles from step 300"
    assert "does not come within 20%" in prose.settles("the rate of spaces", None)
    assert prose.learning_order(100, 300, 700)[0]
    assert not prose.learning_order(700, 300, 100)[0]
    assert not prose.learning_order(100, None, None)[0] and not prose.learning_order(None, None, None)[0]


def test_cells_and_gates_in_words():
    assert "above the threshold" in prose.cell_found("quote", -0.7, 0.5)
    assert prose.cell_found("quote", 0.14, 0.5).startswith("no quote cell reaches")
    assert prose.forget_open(0).startswith("No forget gate")
    assert prose.forget_open(1).startswith("1 forget gate of") and "3 forget gates" in prose.forget_open(3)


def test_smoke_numbers_take_the_not_reproduced_branch():
    # numbers of a smoke build (papermill, chapters 03-10 at scale="smoke"): untrained-like models
    smoke = [
        (0.09 >= 0.5, "pg"),                                # real words at T = 1
        (0 >= 10, "sh"),                                    # well-formed turns
        (165 >= 10 and 0.33 >= 0.8, "wiki"),                # brackets closed right
        (0.0 >= 0.5, "linux"),                              # characters that parse
        (abs(4.52 - 2.41) <= 0.25, "cmu"),                  # bigram yardstick
        (prose.learning_order(None, None, None)[0], "wp"),  # order of learning
        (3.965 < 2.102, "ngram"),                           # LSTM against the 20-gram
    ]
    for ok, name in smoke:
        assert prose.reproduced(ok, "yes.", "no.").startswith("At this scale the page does not"), name
