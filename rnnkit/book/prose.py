"""Words for the prose, chosen from the run's numbers (glued into the pages by the chapters).

A chapter's sentence must stay true whatever numbers the build produces, so where a claim
depends on the result the sentence itself is chosen here, from the result, and glued whole.
Each chooser returns one of a few fixed sentences; tests/book/test_prose.py runs every branch.
This module holds the shared pieces and chapters 1-8; prose_inside.py holds chapters 9 and 10
("What is going on inside"), prose_course.py and prose_compare.py Part III's (11-14, 15-17).
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
                  "scale=\"gpu\" (the article's model sizes) to test the claim itself.")


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


def duration(seconds):
    """'42.0 seconds' under a minute and a half, else '3.5 minutes'."""
    return f"{seconds:.1f} seconds" if seconds < 90 else f"{seconds / 60:.1f} minutes"


def training_summary(model, data, steps, seconds, val=None, unit="char"):
    """The one line a dataset chapter prints after training (Experiment.train in the book): what
    was trained, for how long, and where the validation loss ended (if it was measured)."""
    end = f", validation loss {val:.3f} nats/{unit}" if val is not None else ", no validation loss measured"
    return f"Trained a {model} on {data} for {steps:,} steps in {duration(seconds)}{end}."


def listing(items, last="and"):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def surface_sentence(found, what):
    """found: {name of a feature of the text: how often the samples show it} (measures.surface);
    what: the corpus in a few words. Says which features the samples show and which not."""
    shown = [name for name, n in found.items() if n]
    missing = [name for name, n in found.items() if not n]
    if not shown:
        return (f"In this build the samples show none of the surface of {what} yet ({listing(missing, 'or')}): "
                "the model has not learnt its look, let alone its meaning.")
    said = f"The samples already show the surface of {what}: {listing(shown)}"
    if missing:
        said += f" (but no {listing(missing, 'or')})"
    return said + ". The look of the text arrives long before its meaning does."


# -- chapter 3: the embedding, loops at T = 0, citation markers ------------------------------------

def embedding_sentence(embed, vocab):
    """How this build's model reads a character: a learned embedding of `embed` numbers, or
    one-hot (embed=0) as in the article."""
    if embed:
        return (f"This build's model reads each character through an **embedding**: a table of {vocab} rows "
                f"of {embed} learned numbers, one row per symbol, looked up by the character's index and "
                f"fed to the first LSTM layer. Multiplying a one-hot vector by a matrix picks one of its "
                f"columns, so a one-hot input is the same lookup with {vocab} numbers per symbol instead of "
                f"{embed}; the embedding is smaller, and symbols that behave alike can get similar rows.")
    return (f"This build's model reads each character **one-hot**, as the article's does: a vector of {vocab} "
            "zeros with a 1 at the character's index. Multiplying it by the first layer's input matrix picks "
            "one column, so one-hot input is a table lookup with one learned column per symbol; the larger "
            "scales of some chapters use a smaller learned table instead (an embedding, `embed` in the presets).")


def loop_sentence(greedy, sampled, real):
    """Shares of 20-character windows seen before: greedy decoding, sampling at T = 1, real text."""
    if greedy > max(sampled, real) + 0.1:
        return ("Greedy decoding loops: once the recent text matches a stretch it wrote before, the state, and "
                "so the top character, tend to follow the same path again. Any temperature above zero adds the "
                "randomness that breaks the cycle.")
    return ("In this build greedy decoding repeats itself little more than sampling does, so the article's loop "
            "does not show at this length; a longer text at T = 0 or a better-trained model shows it.")


def citations_sentence(model, real):
    """Citation markers per 10,000 characters: the model's samples at T = 1 and held-out essays."""
    if model == 0:
        return ("The model wrote no marker in these samples: they are rare in the essays, so a model has to "
                "see many before it writes its own.")
    if real == 0:
        return "The held-out essays have none in this stretch, so the model's markers cannot be compared with them."
    ratio = model / real
    if ratio > 1.5:
        return (f"The model writes them {ratio:.1f} times as often as the essays do: it has learnt the marker's "
                "shape and overuses it. A few thousand characters hold only a handful of markers, though, so "
                "the rates are rough.")
    if ratio < 1 / 1.5:
        return (f"The model writes them less often than the essays do ({ratio:.1f} times their rate). A few "
                "thousand characters hold only a handful of markers, so the rates are rough.")
    return ("The model writes them about as often as the essays do; with a handful of markers in a few "
            "thousand characters, the rates are rough.")


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


def wiki_summary(brackets, tags):
    """The summary's sentence on the model's Wikipedia samples (brackets, tags: their Nestings)."""
    b, t = brackets.ok + brackets.wrong, tags.ok + tags.wrong
    if b >= 10 and brackets.rate >= 0.8 and t >= 10 and tags.rate >= 0.8:
        return "Its samples nest like the dump: brackets and XML tags mostly close in the right order."
    return (f"Its samples have the dump's look (XML, wiki markup) but not yet its structure: brackets close "
            f"right in {closed(brackets)} and XML tags in {closed(tags)} of their closings.")


def tags_note(tags):
    """The note after the model's XML-tag score: how much there was to count."""
    count = tags.ok + tags.wrong
    if count < 10:
        return (f"with {count} closing tag{'s' if count != 1 else ''} in all, that says little: a sample of "
                "1500 bytes holds at most a page or two")
    return f"over {count} closing tags"


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


def typeset_note(shown, candidates):
    """shown: inline formulas of the samples that KaTeX can typeset (typeset.typesettable);
    candidates: all the inline formulas found."""
    if not candidates:
        return "The samples contain no inline formula (`$...$`) to typeset."
    if not shown:
        return (f"None of the {candidates} inline formulas of the samples would typeset without an error (an "
                "unknown command, an unbalanced brace or a stray `^`), so none is shown typeset.")
    return (f"{shown} of the {candidates} inline formulas of the samples would typeset without an error; "
            "a few of them, source beside the typeset result:")


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


def braces_summary(model, untrained):
    """The summary's line on braces: model and untrained are their 'no stray }' shares."""
    if round(100 * model) > round(100 * untrained):
        return (f"Braces come first: {model:.0%} of the model's samples close no brace that is not open, against "
                f"{untrained:.0%} of an untrained model's; correct declarations and types, a long-range property, "
                "come last.")
    return (f"At this scale the model does not yet balance its braces better than an untrained one ({model:.0%} "
            f"against {untrained:.0%} of samples with no stray `}}`), let alone declare its names.")


def syntax_vs_meaning(parses, compiles):
    """The model's samples at T = 1: the share that parses and the share that compiles."""
    if parses == 0:
        return ("In this build no sample parses as a whole, so the article's split between syntax and meaning "
                "cannot show yet. The article's larger model wrote code that looks right to a parser far more "
                "often than code that means something: a parser's rules are local (match this bracket, end this "
                "statement), while meaning needs every name to have been declared somewhere, possibly thousands "
                "of characters earlier.")
    if compiles < parses:
        return (f"The article found the split that shows here: {parses:.0%} of the samples parse but "
                f"{compiles:.0%} compile. A parser's rules are local (match this bracket, end this statement), "
                "while meaning needs every name to have been declared somewhere, possibly thousands of "
                "characters earlier.")
    return (f"Here every sample that parses also compiles ({parses:.0%} of them): at this length the samples "
            "use few names, so the article's split between syntax and meaning does not show.")


# -- chapter 8: names -----------------------------------------------------------------------------

def bigram_vs_lecture(ours, lecture=2.48):
    """Our bigram's test loss on makemore's list against the lecture's counted bigrams."""
    if abs(ours - lecture) <= 0.05:
        return (f"close to the lecture's {lecture} for counted bigrams: the split is not what separates the "
                "numbers")
    return (f"{abs(ours - lecture):.2f} {'above' if ours > lecture else 'below'} the lecture's {lecture} for "
            "counted bigrams: part of any gap to the lecture's numbers comes from the split, not the model")
