"""Words for chapters 15-17, where two ways of doing one thing are set side by side (an LSTM and
a Transformer, characters and words, sampling strategies), chosen from the run's numbers as
prose_course.py does for chapters 11-14. tests/book/test_prose_course.py runs every branch.
"""

# -- chapter 15: an LSTM against a small Transformer ----------------------------------------------

def race_budget(budget, used):
    """How long each racer actually trained: used is {name: (CPU seconds, why it stopped)}, the
    reason "budget" (it used its budget) or another (its own schedule ended it first)."""
    early = {n: s for n, (s, why) in used.items() if why != "budget"}
    if not early:
        return f"After {budget:.0f} CPU seconds each"
    detail = "; ".join(f"the {n} stopped at {s:.1f} CPU seconds, when its preset's last update was done"
                       if s < 10 else f"the {n} stopped at {s:.0f} CPU seconds, when its preset's last update was done"
                       for n, s in early.items())
    return f"With a budget of {budget:.0f} CPU seconds each ({detail})"


def speed_claim(speed):
    """speed: the LSTM's training characters per CPU second over the GPT's."""
    if speed > 1.2:
        return (f"The LSTM trains on {speed:.1f} times as many characters per CPU second as the GPT: on a CPU, "
                "with small matrices, the Transformer's advantage of processing all positions in parallel buys "
                "little, while its attention and its 4x-wide feed-forward layers cost arithmetic per character.")
    if speed < 1 / 1.2:
        return (f"The GPT trains on {1 / speed:.1f} times as many characters per CPU second as the LSTM (the "
                f"LSTM's rate is {speed:.1f} times the GPT's): it reads all positions of a window at once, while "
                "the LSTM's steps must run one after another. Whatever the LSTM achieves here, it achieves with "
                "fewer characters, from what it learns from each one.")
    return (f"Per CPU second the two train on about as many characters (the LSTM {speed:.1f} times the GPT's), "
            "so the difference is in what each learns from a character, not in speed.")


def race_lead(lstm, gpt):
    """The racers' held-out losses (nats per character) at the end."""
    lead = "the LSTM" if lstm < gpt else "the GPT"
    return f"{lead} is ahead by {abs(lstm - gpt):.3f} nats per character"


def curve_lead(ahead):
    """ahead: at each scored point of the curves, whether the LSTM was ahead."""
    if all(ahead) or not any(ahead):
        return "at every point of the curves"
    return "although the curves cross along the way"


def flat_cost(first, last, contexts):
    """The LSTM's ms per generated character at the shortest and the longest context."""
    if last <= 1.5 * first:
        return f"The LSTM's cost per character is flat ({first:.2f} and {last:.2f} ms at contexts of {contexts})"
    return (f"The LSTM's cost per character is not flat on this machine ({first:.2f} and {last:.2f} ms at contexts "
            f"of {contexts}), though nothing in its step grows with the context: a busy neighbour moves the timings")


def growth(first, last):
    """How a cost per character changes from the shortest to the longest context (ms)."""
    if last > 1.5 * first:
        return f"grows from {first:.2f} to {last:.1f} ms ({last / first:.0f} times)"
    return f"stays between {min(first, last):.2f} and {max(first, last):.2f} ms at these contexts"


def cache_claim(context, lstm_ms, cache_ms):
    """One generated character's CPU ms at the longest context: the LSTM's and the cached GPT's."""
    if lstm_ms < cache_ms:
        return (f"at {context:,} characters the LSTM's step is {cache_ms / lstm_ms:.1f} times cheaper than even the "
                "cached GPT's")
    return (f"at {context:,} characters the LSTM's step is not cheaper than the cached GPT's on this machine "
            f"({lstm_ms:.2f} against {cache_ms:.2f} ms)")


# -- chapter 16: characters against words ---------------------------------------------------------

def chars_words_lead(char, word):
    """Nats per character of held-out text, the character model's and the word model's."""
    better = "the character model" if char < word else "the word model"
    return f"{better} is ahead by {abs(char - word):.3f} nats per character"


def spelling_free_claim(char, word, word_spelling_free):
    """What the word model would look like with its unknown words' spelling free of charge."""
    if word < char:
        return "would be further ahead still"
    if word_spelling_free < char:
        return ("would look better than the character model, which is exactly the unfair comparison the "
                "spelling term prevents")
    return "would still not beat the character model"


def unk_sentence(n_unk):
    """How many `<unk>` the word model's sample holds."""
    if n_unk == 0:
        return ("This sample happens to hold no `<unk>`: at temperature 1 the model writes one wherever it "
                "predicts a rare word, and here it predicted none")
    return (f"The word model writes `<unk>` where it predicts a rare word ({n_unk} time{'s' if n_unk > 1 else ''} "
            "in this sample)")


def versus_ptb(per_word, ptb=80):
    """Our word model's perplexity per word against the Penn Treebank figure the chapter quotes."""
    if per_word > 2 * ptb:
        return f"our per-word figures are far higher ({per_word:,.0f} for the word model)"
    return f"our word model's per-word figure ({per_word:,.0f}) happens to come near it"


def token_perplexity(per_token, per_word):
    """The word model's perplexity per token against its perplexity per word of the same text."""
    if per_token < per_word:
        return ("it looks far smaller only because most of its tokens are spaces and punctuation that are easy "
                "to predict, and because `<unk>` is one cheap token")
    return "it is not smaller here, which is unusual: the text's words must be few against its other tokens"


# -- chapter 17: sampling strategies --------------------------------------------------------------

def comparison_place(at_real):
    """Where the strategies are compared (diversity.comparison_point's choice)."""
    if at_real:
        return "held-out Shakespeare's own diversity"
    return "the middle of the diversities the knobs reach"


def best_strategy(best, reached, se, n):
    """best: the strategy with the most real words at the comparison point (None: no strategy
    reaches it); reached: {strategy: its real-word share there}; se: the largest standard error
    of a point, from n samples each."""
    if best is None:
        return "no strategy's range reaches that diversity, so none can be called best there"
    others = sorted(v for k, v in reached.items() if k != best)
    margin = reached[best] - (others[-1] if others else reached[best])
    if margin < 2 * se:
        return (f"**{best}** gives the most real words there, by {margin:.1%}; that is within twice the largest "
                f"standard error of a point ({se:.1%}, from {n} samples), so this build cannot call it a clear win")
    return (f"**{best}** gives the most real words there, by {margin:.1%}, more than twice the largest standard "
            f"error of a point ({se:.1%})")


def tradeoff_sentence(ends):
    """ends: {strategy: ((distinct, real words) at its safest knob, (the same) at its boldest)}.
    Does turning each knob towards safe buy real words with repetition?"""
    trade = [k for k, (safe, bold) in ends.items() if safe[1] > bold[1] and safe[0] < bold[0]]
    if len(trade) == len(ends):
        return ("Every strategy traces the same kind of curve: turning its knob towards \"safe\" (low temperature, "
                "small $k$, small $p$) buys real words with repetition")
    others = [k for k in ends if k not in trade]
    return (f"Not every knob trades the same way in this build: {', '.join(others)} does not buy real words with "
            "repetition from its boldest to its safest setting, so compare the rows of the table rather than "
            "the shape of the curves")
