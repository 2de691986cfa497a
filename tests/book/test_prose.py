"""The sentences chosen from a run's numbers for chapters 1-10 (prose and prose_inside): every
branch, and the smoke scale's numbers (tiny, untrained models) taking the "not reproduced" branch
everywhere."""
from rnnkit.book import prose
from rnnkit.book import prose_inside as pi
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
    assert pi.settles("the rate of spaces", 300) == "the rate of spaces settles from step 300"
    assert "does not come within 20%" in pi.settles("the rate of spaces", None)
    ok, said = pi.learning_order(100, 200, 700)  # the order the issue saw: 100, 200, then long words
    assert ok and said == ("spaces made half of their progress by step 100, short words by step 200 and long words "
                           "by step 700: the article's order")
    assert pi.learning_order(100, 100, 500)[0]  # spaces and short words in one snapshot: still in order
    ok, said = pi.learning_order(700, 300, 100)
    assert not ok and said.endswith("which is not the article's order")
    ok, said = pi.learning_order(200, 200, 200)
    assert not ok and "too far apart to show an order" in said
    ok, said = pi.learning_order(100, None, None)
    assert not ok and said.startswith("short words and long words did not move a fifth of the way")
    assert pi.learning_order(None, None, None) == (
        False, "none of the three measures moved a fifth of the way towards real text in this run")


def test_cells_and_gates_in_words():
    assert "above the threshold" in pi.cell_found("quote", -0.7, 0.5)
    assert pi.cell_found("quote", 0.14, 0.5).startswith("no quote cell reaches")
    assert pi.url_coloured(-0.62, 0.5) == "here the text is coloured by the best URL cell, which reaches |r| = 0.62"
    assert pi.url_coloured(0.03, 0.5).startswith("here the text is not coloured, because no URL cell reaches")
    assert pi.forget_open(0).startswith("No forget gate")
    assert pi.forget_open(1).startswith("1 forget gate of") and "3 forget gates" in pi.forget_open(3)


def test_cells_passing_the_threshold():
    best = {"in_comment": {"r": 0.42}, "paren_depth": {"r": 0.77}, "indent": {"r": -0.61}}
    assert pi.cells_passing(best, 0.5).startswith("2 of the 3 features have a cell above the threshold: "
                                                  "paren_depth (r = +0.77) and indent (r = -0.61).")
    assert pi.cells_passing({"a": {"r": 0.9}}, 0.5).startswith("One of the 1 features has a cell")
    assert pi.url_certainty(0.95).startswith("Ours is nearly as sure: inside the first `http://` it gives")
    assert pi.url_certainty(0.41).endswith("a mean probability of 41%, far from the article's near-certainty.")
    assert pi.url_certainty(float("nan")).startswith("The held-out slice holds no `http://`")
    assert pi.cells_passing({"a": {"r": 0.1}, "b": {"r": -0.2}}, 0.5).startswith("None of the 2 features")


def test_saturation_against_the_papers_first_layer():
    assert pi.saturation_sentence([0.1, 0.6]).startswith("As in the paper, the first layer is the less saturated")
    s = pi.saturation_sentence([0.8, 0.9])  # the build: both layers switches
    assert s.startswith("Unlike the paper's, this model's first-layer gates are mostly saturated too: 80% in "
                        "layer 1, 90% in layer 2")
    assert pi.saturation_sentence([0.3, 0.32]).startswith("Unlike the paper's, this model's layers do not differ")
    assert pi.saturation_sentence([0.4]).startswith("This model has one layer: 40% of its gates are saturated")


def test_grid_sentence_says_where_the_plain_rnn_lands():
    grid = {("rnn", 1): (100, 1.90), ("rnn", 2): (80, 1.95), ("gru", 1): (60, 2.00), ("lstm", 1): (50, 2.05)}
    s = pi.grid_sentence(grid)  # the build: the RNN ahead
    assert s.startswith("In this build the plain RNN is ahead of both gated cells (best of each: plain RNN 1.900, "
                        "GRU 2.000, LSTM 2.050), the reverse of the paper's ranking.")
    grid[("lstm", 2)] = (40, 1.80)
    assert pi.grid_sentence(grid).startswith("In this build the plain RNN lands between the two gated cells")
    grid[("gru", 2)] = (45, 1.85)
    assert pi.grid_sentence(grid).startswith("As in the paper, both gated cells end ahead of the plain RNN")


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
    assert pi.url_cell_title({"layer": 0, "unit": 7, "r": 0.61}, True) == "in_url: layer 1, cell 7, r = +0.61"
    assert "not coloured" in pi.url_cell_title({"layer": 0, "unit": 7, "r": 0.1}, False)
    assert pi.ce_verdict(["War and Peace", "Linux kernel"]) == "the LSTM is ahead on both corpora"
    assert pi.ce_verdict(["Linux kernel"]) == "the LSTM is ahead on Linux kernel only"
    assert pi.ce_verdict([]) == "the n-gram model is ahead on both"
    assert pi.ngram_vs_paper(1.25, None) == "lands close to the paper's 1.195"
    assert pi.ngram_vs_paper(1.599, 100_000).endswith("(at this scale it is fitted on 100,000 training characters)")
    assert pi.ngram_vs_paper(1.4, None) == ("is 1.400 against the paper's 1.195 (at this scale it is fitted on "
                                               "the whole training split)")
    assert pi.brace_verdict(0.5, 0.9) == "the LSTM predicts them better than the n-gram model"
    assert pi.brace_verdict(0.9, 0.5).startswith("the n-gram model is still ahead")
    assert pi.cell_and_layers("lstm", 1) == "LSTM with 1 layer"
    assert pi.cell_and_layers("gru", 3) == "GRU with 3 layers"


def test_smoke_numbers_take_the_not_reproduced_branch():
    # numbers of a smoke build (papermill, chapters 03-10 at scale="smoke"): untrained-like models
    smoke = [
        (0.09 >= 0.5, "pg"),                                # real words at T = 1
        (0 >= 10, "sh"),                                    # well-formed turns
        (165 >= 10 and 0.33 >= 0.8, "wiki"),                # brackets closed right
        (0.0 >= 0.5, "linux"),                              # characters that parse
        (abs(4.52 - 2.41) <= 0.25, "cmu"),                  # bigram yardstick
        (pi.learning_order(None, None, None)[0], "wp"),  # order of learning
        (3.965 < 2.102, "ngram"),                           # LSTM against the 20-gram
    ]
    for ok, name in smoke:
        assert prose.reproduced(ok, "yes.", "no.").startswith("At this scale the page does not"), name


def test_training_summary_with_and_without_a_validation_loss():
    assert prose.training_summary("2-layer, 256-cell LSTM", "paulgraham", 4500, 200.0, 1.4213) == (
        "Trained a 2-layer, 256-cell LSTM on paulgraham for 4,500 steps in 3.3 minutes, validation loss 1.421 "
        "nats/char.")
    assert prose.training_summary("m", "wikipedia", 30, 4.04, 5.1, unit="byte").endswith(
        "in 4.0 seconds, validation loss 5.100 nats/byte.")
    assert prose.training_summary("m", "x", 3, 1.0).endswith("in 1.0 seconds, no validation loss measured.")


def test_surface_sentence_lists_what_the_samples_show():
    s = prose.surface_sentence({"tabs": 12, "`->`": 3, "comments": 0}, "kernel code")
    assert s == ("The samples already show the surface of kernel code: tabs and `->` (but no comments). The look "
                 "of the text arrives long before its meaning does.")
    assert "(but no" not in prose.surface_sentence({"tabs": 1}, "x")
    assert prose.surface_sentence({"tabs": 0, "`->`": 0}, "kernel code").startswith(
        "In this build the samples show none of the surface of kernel code yet (tabs or `->`)")
    assert prose.listing(["a"]) == "a" and prose.listing(["a", "b", "c"], "or") == "a, b or c"


def test_chapter_3_embedding_loops_and_citations():
    assert "an **embedding**: a table of 120 rows of 64 learned numbers" in prose.embedding_sentence(64, 120)
    assert prose.embedding_sentence(0, 120).startswith("This build's model reads each character **one-hot**")
    assert prose.loop_sentence(0.8, 0.05, 0.02).startswith("Greedy decoding loops")
    assert prose.loop_sentence(0.1, 0.05, 0.02).startswith("In this build greedy decoding repeats itself little")
    assert prose.citations_sentence(3.3, 1.7).startswith("The model writes them 1.9 times as often as the essays do")
    assert prose.citations_sentence(0.5, 1.7).startswith("The model writes them less often than the essays do (0.3")
    assert prose.citations_sentence(1.5, 1.7).startswith("The model writes them about as often as the essays do")
    assert prose.citations_sentence(0, 1.7).startswith("The model wrote no marker in these samples")
    assert prose.citations_sentence(2.0, 0).startswith("The held-out essays have none in this stretch")


def test_chapter_5_structure_and_tags():
    good, bad = Nesting(95, 5, 0), Nesting(2, 2, 1)
    assert prose.wiki_summary(good, Nesting(18, 2, 0)).startswith("Its samples nest like the dump")
    assert prose.wiki_summary(good, bad) == ("Its samples have the dump's look (XML, wiki markup) but not yet its "
                                             "structure: brackets close right in 95% of 100 and XML tags in 50% of "
                                             "4 of their closings.")
    assert prose.tags_note(bad).startswith("with 4 closing tags in all, that says little")
    assert prose.tags_note(Nesting(1, 0, 0)).startswith("with 1 closing tag in all")
    assert prose.tags_note(Nesting(30, 10, 0)) == "over 40 closing tags"


def test_chapter_6_typeset_note():
    assert prose.typeset_note(0, 0).startswith("The samples contain no inline formula")
    assert prose.typeset_note(0, 12).startswith("None of the 12 inline formulas of the samples would typeset")
    assert prose.typeset_note(5, 12).startswith("5 of the 12 inline formulas of the samples would typeset")


def test_chapter_7_braces_and_syntax_against_meaning():
    assert prose.braces_summary(0.58, 0.25).startswith("Braces come first: 58% of the model's samples")
    s = prose.braces_summary(0.25, 0.25)  # the build: no better than untrained
    assert s.startswith("At this scale the model does not yet balance its braces better than an untrained one "
                        "(25% against 25% of samples with no stray `}`)")
    assert prose.syntax_vs_meaning(0.0, 0.0).startswith("In this build no sample parses as a whole")
    assert prose.syntax_vs_meaning(0.5, 0.1).startswith("The article found the split that shows here: 50% of the "
                                                        "samples parse but 10% compile.")
    assert prose.syntax_vs_meaning(0.2, 0.2).startswith("Here every sample that parses also compiles")


def test_chapter_8_bigram_against_the_lecture():
    assert prose.bigram_vs_lecture(2.47).startswith("close to the lecture's 2.48 for counted bigrams")
    assert prose.bigram_vs_lecture(2.60) == ("0.12 above the lecture's 2.48 for counted bigrams: part of any gap to "
                                             "the lecture's numbers comes from the split, not the model")
    assert prose.bigram_vs_lecture(2.30).startswith("0.18 below the lecture's 2.48")
