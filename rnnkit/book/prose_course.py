"""Words for Part III's prose (chapters 11-14), chosen from the run's numbers, as prose.py does
for the article's chapters: each chooser takes plain numbers and returns one of a few fixed
sentences, so the page stays true whatever the build measured. prose_compare.py holds chapters
15-17's. tests/book/test_prose_course.py runs every branch.
"""


# -- chapter 11: classifying a name ---------------------------------------------------------------

def rnn_verdict(best, rnn, ngram, last_letter, overlap):
    """The best recurrent model's test accuracy (rnn) against the two baselines', as shares;
    overlap: whether its 95% interval overlaps the n-gram model's."""
    if rnn <= last_letter:
        return (f"The best recurrent model ({best}) does not even beat the last letter: it is "
                f"{100 * (last_letter - rnn):.1f} points below the naive Bayes baseline and "
                f"{100 * (ngram - rnn):.1f} below the n-gram model. At this scale it has not learnt what one "
                "letter already tells.")
    if rnn > ngram:
        return (f"The best recurrent model ({best}) beats both baselines: {100 * (rnn - last_letter):.1f} points "
                f"above the last letter and {100 * (rnn - ngram):.1f} above the n-gram model"
                + (", though its interval still overlaps the n-gram model's: on this test set the two are not "
                   "clearly apart." if overlap else ", with intervals that do not overlap."))
    return (f"The best recurrent model ({best}) beats the last letter by {100 * (rnn - last_letter):.1f} points "
            f"but not the n-gram model: it is {100 * (ngram - rnn):.1f} points below it"
            + (", within the intervals, so the two cannot be told apart on this test set. " if overlap else ". ")
            + "With a few thousand short training names, counted letter pieces are already an excellent "
              "description of a name, and the LSTM has to learn the same cues from the same names with many "
              "more parameters.")


def apart_sentence(apart):
    """apart: the other recurrent models whose interval lies entirely below the best one's."""
    if not apart:
        return ("every other recurrent model's interval overlaps the best one's, so on this test set reading "
                "order and depth made no difference that can be told apart from chance")
    return (f"{len(apart)} of the other recurrent models ({', '.join(apart)}) have intervals entirely below the "
            "best one's")


def pad_cost_sentence(cost, cost_bidirectional):
    """cost: accuracy lost by padding without packing (packed minus padded), for the
    left-to-right and the bidirectional model."""
    if min(cost, cost_bidirectional) > 0:
        return "so packing bought accuracy in this run"
    return ("so in this run the padding did not cost accuracy in both models: the LSTM learnt to carry its "
            "answer through the pad steps, which its gates can do (an input of zeros changes the state little)")


def pad_time_sentence(t_packed, t_padded):
    """CPU seconds per epoch, packed and padded."""
    if t_packed < t_padded:
        return f"packing saved {100 * (1 - t_packed / t_padded):.0f}% of the time"
    return (f"packing cost {100 * (t_packed / t_padded - 1):.0f}% more time, not less: on a CPU, with names of "
            "at most a dozen or so letters, PyTorch's packed LSTM loses more to its per-step bookkeeping than it "
            "saves by skipping pads (on a GPU, and with long, unequal sequences, the balance tips the other way)")


def marked_names(names, trained):
    """'Jean, Kim (not trained on)': the names, each one missing from `trained` marked."""
    return ", ".join(n + ("" if n in trained else " (not trained on)") for n in names)


def hesitation_sentence(between_both, between_test):
    """Shares of names answered with 0.2 <= P <= 0.8: names in both lists, other test names."""
    if between_both > between_test:
        return "The model does hesitate more on them"
    return ("The model does not hesitate more on them than on other names: it answers as confidently as if "
            "each had one list")


# -- chapter 12: names from a label ---------------------------------------------------------------

def cold_sentence(new_cold, new_warm):
    """The shares of new names at temperature 0.7 and at 1 (summed over the labels)."""
    if new_cold < new_warm:
        return "fewer than at temperature 1, as the likelier letters lead back to names that exist"
    return "not fewer than at temperature 1 in this run"


def compared(a, b):
    """'more often than', 'about as often as' or 'less often than': a and b are (share, low, high)
    with their 95% intervals; overlapping intervals cannot be told apart."""
    if a[1] <= b[2] and b[1] <= a[2]:
        return "about as often as"
    return "more often than" if a[0] > b[0] else "less often than"


def asked_sentence(agree, recall):
    """Like with like: for each label, the share of names generated for it (temperature 1) that
    the judge puts in that label, against the judge's recall on real test names of that label;
    agree and recall: {label: (share, low, high)}, with 95% intervals."""
    parts, less = [], []
    for label, g in agree.items():
        r, how = recall[label], compared(g, recall[label])
        parts.append(f'for "{label}" it classifies {g[0]:.0%} of the generated names as {label}, {how} '
                     f"real {label} test names ({r[0]:.0%})")
        if how == "less often than":
            less.append(label)
    said = "Compared like with like, " + "; ".join(parts)
    if less:
        return said + (f'. So for "{less[0]}"' + "".join(f' and "{x}"' for x in less[1:]) + " the label does not "
                       "fully decide the name: the judge finds fewer of them typical of the list than of its real "
                       "names")
    return said + (". To the judge, the generated names are as typical of the list they were written for as "
                   "real names of that list are")


# -- chapter 13: sequence to sequence -------------------------------------------------------------

def attention_sentence(reached, examples, cpu_seconds, test, shown, target=0.99):
    """The attention model's run. Training stops when the validation sums reach `target`
    (reached: whether they did, after `examples`); the verdict reads one figure, the test exact
    match (test, as a share; shown: as the page prints it, with its interval), rounded as shown."""
    if reached:
        stop = (f"reached {target:.0%} on the validation sums, which stops training, after {examples:,} examples "
                f"({cpu_seconds:.0f} CPU seconds)")
    else:
        stop = (f"did not reach {target:.0%} on the validation sums, which would have stopped training, within "
                f"this scale's budget of {examples:,} examples ({cpu_seconds:.0f} CPU seconds)")
    said = f"With attention the model {stop}. On the test sums, the figure this page's verdict reads, it scores {shown}"
    short = round(100 * target, 1) - round(100 * test, 1)
    if short <= 0:
        return said + f": the {target:.0%} target is met, as in the Keras example, with a fraction of its examples."
    return said + f": {short:.1f} points short of the {target:.0%} target, which this build does not reproduce."


def forcing_sentence(forced, free):
    """Per-digit accuracy of the attention model on the test answers: with teacher forcing (every
    step reads the true previous characters) and free running (it reads its own)."""
    gap = 100 * (forced - free)
    if gap > 0.1:
        return (f"Reading the true previous characters, the model gets {forced:.1%} of the answer characters right; "
                f"reading its own, {free:.1%}. The {gap:.1f} points between them are characters lost after an "
                "earlier mistake: exposure bias, measured")
    return (f"Reading the true previous characters the model gets {forced:.1%} of the answer characters right, and "
            f"reading its own {free:.1%}: here a mistake rarely drags the next characters with it, because the "
            "answers are short and attention lets every step look at the question again")


def plain_budget(reached):
    """Whether a model without attention reached 99% on the validation sums within the budget."""
    if reached:
        return ("A model without attention reached 99% on the validation sums too, within this scale's budget, "
                "far below the five million or so examples the Keras example describes (100 passes over 50,000)")
    return ("The models without attention would need far more: the Keras example describes about five million "
            "examples (100 passes over 50,000)")


def reverse_sentence(gain):
    """gain: test exact match with the input reversed minus without (no attention)."""
    if gain > 0:
        return f"Reversing the input helped the model without attention by {100 * gain:.1f} points"
    return f"Reversing the input did not help the model without attention here ({100 * gain:+.1f} points)"


def longer_sentence(best, accuracy, digits):
    """The best model's exact match on sums of `digits`-digit operands, one more than trained."""
    if accuracy == 0:
        return f"None of the three adds {digits}-digit numbers: not one of those sums comes out exactly right"
    if accuracy < 0.2:
        return (f"None of the three adds {digits}-digit numbers: the best, {best}, gets {accuracy:.1%} of them "
                "exactly right")
    if accuracy < 0.9:
        return f"Only partly: the best, {best}, gets {accuracy:.1%} of the {digits}-digit sums exactly right"
    return f"The {best} model generalises: {accuracy:.1%} of the {digits}-digit sums are exactly right"


def carry_sentence(lower):
    """lower: the share of attention on the digits one place lower, where a carry comes from."""
    if lower >= 0.15:
        return ("The carry is visible: a clear share of the attention goes one place lower, to the digits whose "
                "sum decides whether this digit carries")
    return ("The carry is not visible in the weights: little attention goes one place lower, where a carry "
            "comes from. With a bidirectional encoder it need not: the state of each digit has already read the "
            "digits to its right, so the carry can travel inside the encoder's states instead of through the "
            "attention")


def place_sentence(same):
    """same: the share of attention on the two digits of the place being written."""
    if same >= 0.5:
        return ("so the decoder mostly reads the two digits of the place it is writing, as a person adding on "
                "paper would")
    return ("so the decoder does not simply read the two digits of the place it is writing: its attention "
            "spreads over other characters, whose encoder states carry what it needs")


def beam_sentence(gains):
    """gains: beam search's exact match minus greedy decoding's, in points, one per model."""
    if max(gains) > 0.5:
        return (f"Beam search improved accuracy by up to {max(gains):.1f} points on these sums, so greedy "
                "decoding does leave some answers on the table here")
    return (f"Beam search improved no model by more than half a point on these sums (changes from "
            f"{min(gains):+.1f} to {max(gains):+.1f} points): a beam keeps the answer with the highest total "
            "probability, which is not always the right one, and for answers of a few digits greedy decoding "
            "loses next to nothing")


# -- chapter 14: gradients over distance ----------------------------------------------------------

GATED = {"gru": "GRU", "lstm": "LSTM"}
CELL_NAMES = {"rnn": "the tanh RNN", "gru": "the GRU", "lstm": "the LSTM"}


def trained_gradient_claim(ratio, distance):
    """ratio: {"gru": r, "lstm": r}, each trained cell's gradient norm at `distance` over the
    tanh RNN's; a cell 'keeps far more' above 10 times, 'less' below 1."""
    keeps = [c for c in GATED if ratio[c] > 10]
    less = [c for c in GATED if ratio[c] < 1]
    detail = " and ".join(f"the {GATED[c]} {ratio[c]:.1e} times" for c in GATED)
    if len(keeps) == 2:
        return (f"after training both gated cells keep far more gradient than the tanh RNN at distance {distance} "
                f"({detail} the RNN's)")
    if keeps:
        other = ({"gru", "lstm"} - set(keeps)).pop()
        how = "even keeps less than the RNN" if other in less else "does not keep clearly more"
        return (f"after training the {GATED[keeps[0]]} keeps far more gradient than the tanh RNN at distance "
                f"{distance}, while the {GATED[other]} {how} after this short run ({detail} the RNN's)")
    if less:
        names = " and the ".join(GATED[c] for c in less)
        return (f"after this short training the {names} {'keeps' if len(less) == 1 else 'keep'} *less* gradient "
                f"than the tanh RNN at distance {distance} ({detail} the RNN's): a gate that can hold the state "
                "has not learnt to here")
    return (f"after this short training neither gated cell keeps clearly more gradient than the tanh RNN at "
            f"distance {distance} ({detail} the RNN's)")


def init_gradient_claim(lstm, rnn):
    """The factor per step by which the gradient shrinks at initialisation, LSTM and tanh RNN."""
    if lstm > rnn + 0.05:
        return "already at initialisation the LSTM's gradient shrinks more slowly than the RNN's"
    return ("at initialisation the LSTM is no better than the tanh RNN: with torch's default initialisation "
            "its forget gate starts near $\\sigma(0) = 0.5$, so the cell state halves at every step")


def forget_bias_claim(with_bias, default):
    """The LSTM's factor per step at initialisation with a forget bias of 1 and with torch's default."""
    if with_bias > default + 0.02:
        return f"{with_bias:.2f} per step, against {default:.2f} without it: the gradient travels further from the start"
    return f"{with_bias:.2f} per step, against {default:.2f} without it: on this text it makes little difference"


def gates_moved(init, trained):
    """init, trained: {cell: factor per step}. Did training move the gated cells towards keeping
    the gradient (a larger factor), and the tanh RNN?"""
    up = [GATED[c] for c in GATED if trained[c] > init[c] + 0.02]
    if len(up) == 2:
        return ("Training moved both gated cells towards keeping the gradient, which is what their gates were "
                "designed to be able to do; a tanh RNN has no such knob")
    if up:
        return (f"Training moved only the {up[0]} towards keeping the gradient; a gate can learn to hold the state, "
                "but nothing forces it to when the next character depends mostly on the last few")
    return ("Training did not move the gated cells towards keeping the gradient: a gate can learn to hold the "
            "state, but nothing forces it to when the next character depends mostly on the last few")


def adding_who(solved, lengths):
    """solved: {(cell, T): the step it got below 0.01, or None}; which cells did, per length."""
    def who(T):
        cells = [c for c in CELL_NAMES if solved[(c, T)]]
        if not cells:
            return f"at T = {T} no cell got below 0.01"
        return f"at T = {T} " + " and ".join(CELL_NAMES[c] for c in cells) + " got below 0.01"
    return "; ".join(who(T) for T in lengths)


def adding_verdict(solved, lengths):
    """The published picture (only gated cells solve long adding problems) against this run."""
    rnn_any = any(solved[("rnn", T)] for T in lengths)
    gated = [T for T in lengths if solved[("lstm", T)] or solved[("gru", T)]]
    if rnn_any:
        return ("Unlike the published picture, the tanh RNN did get below 0.01 at some length here; the "
                "lengths and budgets are far from the papers'")
    if not gated:
        return ("No cell got below 0.01 within this scale's budget, so this build cannot confirm the published "
                "picture; the papers train for many more updates")
    verdict = ("The published picture holds here in small: the tanh RNN never got below 0.01 at any length, "
               f"while a gated cell did at T up to {max(gated)}")
    if max(gated) < max(lengths):
        verdict += (f"; at T = {max(lengths)} no cell did within the budget, which says more about the budget "
                    "than about the cells (the papers train for many more updates)")
    return verdict


def exploding_claim(blew, top_norm, steps):
    """The run without clipping: whether its loss overflowed, its largest finite gradient norm,
    and its updates."""
    if blew:
        return (f"Without clipping the gradient norm grew to {top_norm:.1e} and the loss overflowed after "
                f"{steps} updates; the run is over")
    return (f"Without clipping the run survived all {steps} updates in this build, with gradient norms up to "
            f"{top_norm:.1e}")


def clipped_claim(finished, steps, final, baseline):
    """The same run with clipping: finished (every loss finite), its final test MSE against the
    always-1 answer's."""
    if finished:
        return (f"with clipping the same run finished its {steps} updates with a test MSE of {final:.3f} "
                f"(the always-1 answer scores {baseline:.3f})")
    return "with clipping the run also failed in this build"


def adding_shape(solved, lengths):
    """solved: {(cell, T): the step it got below 0.01, or None}. What the curves show: a plateau,
    a drop for the runs that solve it, and whether the plateau grows with the length."""
    if not any(solved.values()):
        return ("Every curve stays on a plateau near the always-1 error (the network has learnt the mean, not "
                "the task) for the whole budget")
    said = ("The curves show the typical shape: a plateau at the always-1 error (the network has learnt the mean, "
            "not the task) and then, for the runs that get there, a drop once the gradient from the final loss "
            "reaches the marked steps strongly enough to tie the output to them")
    grows, shrinks = [], []
    for cell in CELL_NAMES:
        steps = [solved[(cell, T)] for T in lengths if solved[(cell, T)]]
        if len(steps) >= 2:
            (grows if steps == sorted(steps) else shrinks).append(CELL_NAMES[cell])
    if grows and not shrinks:
        return said + f". For {' and '.join(grows)} the plateau is longer at greater lengths"
    if shrinks:
        return said + f". The plateau does not simply grow with the length here ({' and '.join(shrinks)})"
    return said


def clipped_solves(final, solved=0.01):
    """The clipped run's final test MSE: did clipping alone let the tanh RNN solve the task?"""
    if final < solved:
        return ("Here the clipped tanh RNN even solved the task at this length: clipping kept training alive long "
                "enough, and the length is short enough for a plain RNN")
    return ("Clipping does not make the tanh RNN solve the adding problem (the vanishing half of the story still "
            "holds), it only keeps training alive")
