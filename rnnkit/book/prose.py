"""Words for the prose, chosen from the run's numbers (glued into the pages by the chapters).

A chapter's sentence must stay true whatever numbers the build produces, so where a claim
depends on the result the sentence itself is chosen here, from the result, and glued whole.
Each chooser returns one of a few fixed sentences; tests/book/test_prose.py runs every branch.
"""
import math

SCALE_WORDS = {
    "smoke": "the smoke scale: tiny models trained for a few seconds, so that tests can run every "
             "chapter. Their numbers say nothing about what a character model can learn",
    "cpu": "the cpu scale: models sized to train in minutes on a laptop's CPU. They learn for real, "
           "but they are much smaller and shorter-trained than the article's",
    "gpu": "the gpu scale: the article's model sizes, trained on one GPU",
}


def scale_sentence(scale):
    """'This page was built at the cpu scale: ...' (the scale a reader's numbers come from)."""
    return f"This page was built at {SCALE_WORDS[scale]}."


def share(part, whole):
    """'3 of 40 (8%)'."""
    if whole:
        return f"{part} of {whole} ({part / whole:.0%})"
    return f"{part} of {whole}"


def closed(n):
    """A Nesting as 'R% of N' (the share of closings that were right), or 'none closed'."""
    count = n.ok + n.wrong
    return f"{n.rate:.0%} of {count}" if count else "none closed"


def rate(x):
    """A rate as a percentage, or 'no environments' when there was nothing to count (NaN)."""
    return "no environments" if math.isnan(x) else f"{x:.0%}"


def reproduced(ok, yes, no):
    """`yes` when the result reproduces the published one, else `no` (both full sentences)."""
    return yes if ok else no


def ahead(ours, reference, yes, no, lower_is_better=True):
    """The sentence for 'ours beats the reference': `yes` if it does, else `no`."""
    better = ours < reference if lower_is_better else ours > reference
    return reproduced(better, yes, no)
