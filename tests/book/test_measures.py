import math

from rnnkit.book import measures as m


def test_words_are_runs_of_letters():
    assert m.words("It's 2015: RNNs, LSTMs_and x2y!") == ["It", "s", "RNNs", "LSTMs", "and", "x", "y"]
    assert m.dictionary("The cat saw the Cat") == {"the", "cat", "saw"}


def test_word_fraction_ignores_case_and_filters_by_length():
    vocab = {"the", "startup", "is"}
    assert m.word_fraction("The startup isz", vocab) == 2 / 3
    assert m.word_fraction("The startup isz", vocab, min_len=4) == 1.0
    assert m.word_fraction("The startup isz", vocab, max_len=3) == 1 / 2
    assert math.isnan(m.word_fraction("123 ...", vocab))


def test_citations_count_footnote_markers_only():
    assert m.citations("as I said [2], and [12] too; see [a] or [123] or [ 3]") == 2


def test_speaker_turns():
    good = "cut off speech\n\nROMEO:\nBut soft, what light.\n\nFirst Citizen:\nSpeak, speak.\nMore.\n\nend"
    assert m.speaker_turns(good) == (2, 2)
    bad = ("x\n\nROMEO:\n\nJULIET:\nHi.\nNURSE:\nNo.\n\nromeo: lower case\nhi\n\n"
           "Just speech, no name.\n\nKING HENRY VI:\nAy.\n\ny")
    # "ROMEO:" alone, a block with two speakers, a lower-case name, speech without a name: bad
    assert m.speaker_turns(bad) == (1, 5)
    assert m.speaker_turns("no blocks at all") == (0, 0)
    assert m.speakers(bad) == ["ROMEO", "JULIET", "NURSE", "KING HENRY VI"]


def test_nesting_counts_right_and_wrong_closings():
    n = m.nesting("a [[link]] and {{tpl|(x)}} [http://x y]")
    assert (n.ok, n.wrong, n.left_open) == (4, 0, 0) and n.rate == 1.0
    n = m.nesting("[[a (b]] c) [x] ]] {{ open")
    # "]]" closes across "(": wrong twice (itself and the skipped "("); the stray ")" and "]]"
    # are wrong too; only "[x]" is right; "{{" is still open at the end
    assert (n.ok, n.wrong, n.left_open) == (1, 4, 1) and n.rate == 0.2
    assert math.isnan(m.nesting("plain").rate)
    assert m.nesting("(])", {"(": ")"}) == (1, 0, 0)  # only the pairs asked for


def test_tag_nesting():
    ok = '<page><title>A</title><revision><id>5</id><minor /><text xml:space="preserve">x</text></revision></page>'
    assert m.tag_nesting(ok) == (5, 0, 0)
    bad = "<page><title>A</id></page></text><id>1</id><open>"
    n = m.tag_nesting(bad)
    # </id> stray; </page> closes across <title> (two wrong); </text> stray; <id>1</id> right
    assert (n.ok, n.wrong, n.left_open) == (1, 4, 1)


def test_longest_repeat_and_repeated_fraction():
    assert m.longest_repeat("abcdef") == 0
    assert m.longest_repeat("abcXabcd") == 3
    assert m.longest_repeat("aaaa") == 3  # overlapping occurrences count
    loop = "the same thing that was " * 10
    assert m.longest_repeat(loop) == len(loop) - 24
    assert m.repeated_fraction(loop, k=10) == (231 - 24) / 231  # all but the first period
    assert m.repeated_fraction("abcdefghijklmnopqrstuvwxyz", k=3) == 0
    assert math.isnan(m.repeated_fraction("ab", k=5))


def test_text_stats():
    vocab = m.dictionary("he said that the princess was there")
    s = m.text_stats('He  said, "Natasha!" xqzv a', vocab)
    assert s["spaces"] == 5 / 27 and s["double spaces"] == 1 / 5
    assert s["mean word length"] == (2 + 4 + 7 + 4 + 1) / 5
    assert s["real words (2+ letters)"] == 0.5  # "a" is left out
    assert s["real short words (2-3)"] == 1.0 and s["real long words (6+)"] == 0.0
    assert s["punctuation"] == 2 / 27 and s["quotes"] == 2 / 27


def test_pool_scores_each_text_on_its_own():
    n = m.pool(m.nesting, ["a [[b", "]] c (d)"])  # the "[[" never closes: it is in another text
    assert n == (1, 1, 1) and isinstance(n, m.Nesting) and n.rate == 0.5
    assert m.pool(m.speaker_turns, ["x\n\nA:\nhi\n\ny", "x\n\nno name\n\ny"]) == (1, 2)


def test_sampling_steps():
    assert m.sampling_steps(2500) == (100, [100, 300, 500, 700, 1200, 2000])
    assert m.sampling_steps(1200) == (100, [100, 300, 500, 700, 1200])
    assert m.sampling_steps(30) == (10, [10, 20, 30])  # smoke: no article step is reached


def test_settled_step():
    steps = [0, 100, 200, 300, 400]
    assert m.settled_step(steps, [0.0, 0.9, 0.5, 0.95, 1.1], 1.0) == 300  # the dip at 200 does not count
    assert m.settled_step(steps, [2.0, 1.5, 1.1, 1.0, 0.9], 1.0) == 200  # from above works too
    assert m.settled_step(steps, [0.0, float("nan"), 1.0, 1.0, 1.0], 1.0) == 200
    assert m.settled_step(steps, [1.0, 1.0, 1.0, 1.0, 0.5], 1.0) is None


def test_bits_converts_nats():
    assert m.bits(math.log(2)) == 1.0 and abs(m.bits(1.0) - 1.4427) < 1e-4

