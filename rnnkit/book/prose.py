"""Words for the prose, chosen from the run's numbers (glued into the pages by the chapters).

A chapter's sentence must stay true whatever numbers the build produces, so where a claim
depends on the result the sentence itself is chosen here, from the result, and glued whole.
Each chooser returns one of a few fixed sentences; tests/book/test_prose.py runs every branch.
This module holds the shared pieces and the article's chapters (1-10); prose_course.py holds
Part III's (11-17).
"""
import math

SCALE_WORDS = {
    "smoke": "the smoke scale: tiny models trained for a few seconds, so that the tests can run "
             "every chapter. Their numbers only show that each step runs; they say nothing about "
             "what a character model can learn",
    "cpu": "the cpu scale: models sized to train in minutes on a laptop's CPU. They learn for real, "
           "but they are much smaller and trained for much less time than the article's",
    "gpu": "the gpu scale: the article's model sizes, trained on one GPU",
}

# The one place per chapter where the page says whether it reproduced the published result.
NOT_REPRODUCED = ("At this scale the page does not reproduce it: {why} Run the notebook with "
                  "`scale=\"gpu\"` (the article's model sizes) to test the claim itself.")


def scale_sentence(scale):
    """'This page was built at the cpu scale: ...' (the scale a reader's numbers come from)."""
    return f"This page was built at {SCALE_WORDS[scale]}."


def reproduced(ok, claim, why):
    """The chapter's verdict on the article's `claim`: 'This build reproduces it: <claim>' when
    ok, else the NOT_REPRODUCED sentence with `why` (what this build's numbers show instead)."""
    if ok:
        return f"This build reproduces it: {claim}"
    return NOT_REPRODUCED.format(why=why)


def share(part, whole):
    """'12 of 40 (30%)'; under 10 cases no percentage ('1 of 1', not '1 of 1 (100%)')."""
    if whole >= 10:
        return f"{part} of {whole} ({part / whole:.0%})"
    return f"{part} of {whole}"


def closed(n):
    """A Nesting as 'R% of N' (the share of closings that were right), or 'none closed'."""
    count = n.ok + n.wrong
    return f"{n.rate:.0%} of {count}" if count else "none closed"


def rate(x):
    """A rate as a percentage, or 'no environments' when there was nothing to count (NaN)."""
    return "no environments" if math.isnan(x) else f"{x:.0%}"


# -- chapter 4: the dialogue format ---------------------------------------------------------------

def turns_sentence(model, real, untrained):
    """model, real, untrained: (well-formed turns, blocks) of each text."""
    (m, mn), (r, rn), (u, un) = model, real, untrained
    if mn == 0:
        first = (f"In this build the model wrote no complete block (speaker line, speech, blank "
                 f"line) at all, so it has no turn to score; held-out Shakespeare has {share(r, rn)}")
    else:
        first = (f"In this build {share(m, mn)} of the model's blocks are well-formed turns, against "
                 f"{share(r, rn)} in held-out Shakespeare")
    if r < rn:
        first += " (misses there are stage directions and speeches that run across the cut)"
    if u == 0:
        second = ("The untrained model writes none: blank lines, capitals and a colon in the right "
                  "places do not happen by chance.")
    else:
        second = f"The untrained model writes {share(u, un)}."
    return f"{first}. {second}"


def speakers_sentence(known, total):
    """How many of the names on the model's speaker lines are real speakers of the training text."""
    if total == 0:
        return "The model put no name on a speaker line."
    if known == total:
        return (f"All {total} names the model put on speaker lines are real speakers of the training "
                f"text: it reuses the cast list rather than inventing names.")
    if known == 0:
        return (f"None of the {total} names the model put on speaker lines is a real speaker: they are "
                f"inventions that look like names.")
    return (f"Of the names the model put on speaker lines, {share(known, total)} are real speakers of "
            f"the training text; the others are inventions that look like names.")


# -- chapter 5: brackets in real text --------------------------------------------------------------

def real_brackets_note(wrong):
    """What held-out Wikipedia's own bracket count says (wrong: its closings that were wrong)."""
    if wrong:
        return ("Real text is not perfect either: an excerpt cut at an arbitrary byte starts inside markup "
                "whose opener it never saw, and wiki authors do leave brackets unclosed.")
    return "The held-out excerpts close every bracket they open, the standard the model is held to."


# -- chapter 6: LaTeX environments ----------------------------------------------------------------

def environments_closed(closed, match, real_match):
    """How many environments the model's samples closed (or left open), their match rate and
    held-out text's, when the page does not reproduce the article's claim."""
    if closed:
        said = f"the model closed {closed} environments, with a match rate of {rate(match)}"
    else:
        said = "the model closed no environment at all"
    return f"{said} (real text: {rate(real_match)})."


def environment_mistakes(mistakes):
    """mistakes: [(text label, [((opened, closed by), count)])], a line per text; or that there
    were none."""
    if not mistakes:
        return "(no environment closed with another's name in this build)"
    return "\n".join(name + " -> " + ", ".join(f"\\begin{{{a}}} closed by \\end{{{b}}} ({k}x)" for (a, b), k in top)
                     for name, top in mistakes)


# -- chapter 7: braces, and when the untrained model scores higher --------------------------------

def braces_lead(model, untrained):
    """The lead-in to the braces' numbers: model and untrained are their 'no stray }' shares."""
    if model > untrained:
        return "The first sign of learning is in the braces:"
    return "In this build the braces do not yet separate the model from the untrained one:"


def longest_parsed(text):
    """The longest piece of a sample that parses, or a line saying that none does."""
    return text or "(no complete unit of a sample parses in this build: try scale='gpu')"


def untrained_ahead(trained, untrained, what):
    """A sentence when an untrained model's share beats the trained one's, else ''."""
    if round(100 * untrained) <= round(100 * trained):  # compare what the page shows
        return ""
    return (f"Here the untrained model even scores higher on {what} ({untrained:.0%} against "
            f"{trained:.0%}): its texts contain so few complete statements that the piece gcc sees "
            f"is a few characters long, and a few characters can be valid C by luck. It has learnt "
            f"nothing; the trained model at this scale has not learnt enough to write valid C either.")


# -- chapter 9: the order of learning -------------------------------------------------------------

def settles(measure, step):
    """'the rate of spaces settles from step 300', or that it does not within the run."""
    if step is None:
        return f"{measure} does not come within 20% of real text in this run"
    return f"{measure} settles from step {step}"


def learning_order(spaces, short, long):
    """Does the run show the article's order (spaces, then short words, then long words)?"""
    steps = [spaces, short, long]
    if all(s is None for s in steps):
        return False, "none of the three measures comes close to real text within this run"
    if any(s is None for s in steps):
        return False, "only some of the three measures come close to real text within this run"
    if spaces <= short <= long:
        return True, "spaces settle first, then short words, then long words"
    return False, "the three measures settle in a different order in this run"


# -- chapter 10: the LSTM against the n-gram model ------------------------------------------------

def cell_found(name, r, threshold):
    """Whether a feature's best cell passes the chapter's threshold, said in words."""
    if abs(r) >= threshold:
        return f"the best {name} cell reaches |r| = {abs(r):.2f}, above the threshold of {threshold}"
    return (f"no {name} cell reaches the threshold of |r| = {threshold} at this scale "
            f"(the best: {abs(r):.2f})")


def forget_open(n):
    """The Linux model's forget gates that are right-saturated more than 90% of the time."""
    if n == 0:
        return ("No forget gate of the Linux model at this scale is right-saturated more than 90% of "
                "the time: none of its cells has become a long-memory integrator like the paper's.")
    gates = "forget gate" if n == 1 else "forget gates"
    return (f"{n} {gates} of the Linux model are right-saturated more than 90% of the time: cells "
            f"that keep what they hold across long stretches of text, like the paper's integrators.")


def url_cell_title(best, found):
    """The title of the URL view: the best in_url cell when it passes the threshold (found), else
    why the text is not coloured."""
    if found:
        return f"in_url: layer {best['layer'] + 1}, cell {best['unit']}, r = {best['r']:+.2f}"
    return "the model's five guesses (no URL cell passes the threshold, so the text is not coloured)"


def ce_verdict(ahead):
    """ahead: the corpora on which the LSTM beats the n-gram model (of two)."""
    if len(ahead) == 2:
        return "the LSTM is ahead on both corpora"
    if ahead:
        return f"the LSTM is ahead on {ahead[0]} only"
    return "the n-gram model is ahead on both"


def ngram_vs_paper(loss, train_chars, paper=1.195):
    """Our n-gram model's War and Peace loss against the paper's; train_chars: the characters
    it was fitted on (None: the whole training split)."""
    if abs(loss - paper) <= 0.1:
        return f"lands close to the paper's {paper}"
    fitted = "the whole training split" if train_chars is None else f"{train_chars:,} training characters"
    return f"is {loss:.3f} against the paper's {paper} (at this scale it is fitted on {fitted})"


def brace_verdict(lstm, ngram):
    """Which model predicts the far closing braces better (mean loss of each)."""
    if lstm < ngram:
        return "the LSTM predicts them better than the n-gram model"
    return ("the n-gram model is still ahead: at this scale the LSTM has not learnt to close braces reliably, "
            "and the n-gram can still guess from how the line looks")


def cell_and_layers(cell, n_layers):
    """'LSTM with 2 layers', 'GRU with 1 layer'."""
    return f"{cell.upper()} with {n_layers} layer{'s' if n_layers > 1 else ''}"

