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



def test_real_brackets_note_says_whether_real_text_slips_too():
    assert prose.real_brackets_note(2).startswith("Real text is not perfect either")
    assert prose.real_brackets_note(0).startswith("The held-out excerpts close every bracket")


def test_environments_closed_or_none():
    assert prose.environments_closed(12, 0.25, 1.0) == ("the model closed 12 environments, with a match rate of "
                                                        "25% (real text: 100%).")
    none = prose.environments_closed(0, float("nan"), 1.0)
    assert none == "the model closed no environment at all (real text: 100%)."


def test_environment_mistakes_a_line_per_text_or_none():
    lines = prose.environment_mistakes([("model, T=1", [(("lemma", "proof"), 3), (("a", "b"), 1)]),
                                        ("model, T=0.5", [(("x", "y"), 2)])])
    assert lines.split("\n") == ["model, T=1 -> \\begin{lemma} closed by \\end{proof} (3x), "
                                 "\\begin{a} closed by \\end{b} (1x)",
                                 "model, T=0.5 -> \\begin{x} closed by \\end{y} (2x)"]
    assert prose.environment_mistakes([]) == "(no environment closed with another's name in this build)"


def test_braces_lead_and_longest_parsed():
    assert prose.braces_lead(0.4, 0.1) == "The first sign of learning is in the braces:"
    assert prose.braces_lead(0.1, 0.1).startswith("In this build the braces do not yet separate")
    assert prose.longest_parsed("int x;") == "int x;"
    assert prose.longest_parsed("").startswith("(no complete unit of a sample parses")


def test_chapter_10_verdicts_both_ways():
    assert prose.url_cell_title({"layer": 0, "unit": 7, "r": 0.61}, True) == "in_url: layer 1, cell 7, r = +0.61"
    assert "not coloured" in prose.url_cell_title({"layer": 0, "unit": 7, "r": 0.1}, False)
    assert prose.ce_verdict(["War and Peace", "Linux kernel"]) == "the LSTM is ahead on both corpora"
    assert prose.ce_verdict(["Linux kernel"]) == "the LSTM is ahead on Linux kernel only"
    assert prose.ce_verdict([]) == "the n-gram model is ahead on both"
    assert prose.ngram_vs_paper(1.25, None) == "lands close to the paper's 1.195"
    assert prose.ngram_vs_paper(1.599, 100_000).endswith("(at this scale it is fitted on 100,000 training characters)")
    assert prose.ngram_vs_paper(1.4, None) == ("is 1.400 against the paper's 1.195 (at this scale it is fitted on "
                                               "the whole training split)")
    assert prose.brace_verdict(0.5, 0.9) == "the LSTM predicts them better than the n-gram model"
    assert prose.brace_verdict(0.9, 0.5).startswith("the n-gram model is still ahead")
    assert prose.cell_and_layers("lstm", 1) == "LSTM with 1 layer"
    assert prose.cell_and_layers("gru", 3) == "GRU with 3 layers"

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
