"""Words for chapter 18 (a recurrence trained by a parallel scan), chosen from the run's numbers as
prose_course does for chapters 11-17: each chooser takes plain numbers and returns one of a few
fixed sentences. tests/book/test_prose_parallel.py runs every branch. (A module of its own so
that prose_course stays a file a reader finishes in one sitting.)
"""

NAMES = {"lstm": "the LSTM", "mingru": "the minGRU", "gpt": "the GPT"}


def scan_claim(timings, length):
    """timings: minrnn.time_scans's {scan: {"ms", "error"}} at `length` steps."""
    chunked = timings["chunked"]["ms"]
    fastest = min(timings, key=lambda name: timings[name]["ms"])
    others = ", ".join(f"{name} {t['ms']:.1f}" for name, t in timings.items() if name != "chunked")
    if fastest == "chunked":
        return (f"At {length:,} steps the chunked scan is the fastest of the four ({chunked:.1f} CPU ms for a "
                f"forward and backward pass; {others}), so it is the one CharMinGRU runs")
    return (f"At {length:,} steps the {fastest} scan was the fastest in this build ({timings[fastest]['ms']:.1f} "
            f"CPU ms against the chunked scan's {chunked:.1f}; {others}); CharMinGRU keeps the chunked scan, "
            "whose cost grows only as the square root of the length and whose precision does not fall with it")


def precision_claim(timings, long):
    """The largest relative error of each scan's float32 states over `long` steps."""
    log, chunked = timings["log space"]["error"], timings["chunked"]["error"]
    if log > 10 * chunked:
        return (f"over {long:,} steps the log-space scan's float32 states are off by up to {log:.1e} (relative), "
                f"the chunked scan's by {chunked:.1e}: the running sums in log space grow with the length, and a "
                "float32 keeps fewer of their digits the larger they are")
    return (f"over {long:,} steps both keep float32's precision here (log space {log:.1e}, chunked "
            f"{chunked:.1e} relative): the log-space scan's loss of digits needs longer sequences")


def length_speed_claim(speeds):
    """speeds: lengths.speed_sweep's {name: [(length, chars per CPU s, params)]}; the minGRU
    against the LSTM at the shortest and the longest length."""
    (short, lstm_s, _), (long, lstm_l, _) = speeds["lstm"][0], speeds["lstm"][-1]
    mg_s, mg_l = speeds["mingru"][0][1], speeds["mingru"][-1][1]
    if mg_s >= lstm_s and mg_l >= lstm_l:
        return (f"the minGRU trains faster than the LSTM at every length, from {mg_s / lstm_s:.1f} times the "
                f"LSTM's characters per CPU second at {short} to {mg_l / lstm_l:.1f} times at {long:,}")
    if mg_l > lstm_l:
        return (f"the lines cross: at {short} characters per row the LSTM trains on {lstm_s / mg_s:.1f} times as "
                f"many characters per CPU second as the minGRU, at {long:,} the minGRU on {mg_l / lstm_l:.1f} "
                "times as many as the LSTM, whose steps must follow one another through fewer, longer rows")
    return (f"the LSTM trains on more characters per CPU second than the minGRU at every length, "
            f"{lstm_s / mg_s:.1f} times as many at {short} and {lstm_l / mg_l:.1f} at {long:,}: on one core "
            "there are no parallel lanes for the scan to fill")


def gpt_length_claim(first_speed, last_speed, first, last):
    """The GPT's training characters per CPU second at the shortest and the longest context."""
    share = last_speed / first_speed
    if share < 0.9:
        return (f"The GPT at {last:,} characters of context trains at {share:.0%} of its speed at {first:,}: "
                "attention's cost grows with the square of the context")
    return (f"The GPT's speed hardly changes between {first:,} and {last:,} characters of context ({share:.0%} of "
            "it at the longer): at these lengths attention's square is still small beside its other layers")


def race_lead(vals):
    """vals: {name: held-out loss} of the three racers. Who leads, by how much, and who is last."""
    order = sorted(vals, key=vals.get)
    first, second, last = order
    return (f"{NAMES[first]} is ahead ({vals[first]:.3f} nats per character), {vals[second] - vals[first]:.3f} "
            f"ahead of {NAMES[second]} ({vals[second]:.3f}); {NAMES[last]} is last ({vals[last]:.3f})")


def flat_claim(name, first_ms, last_ms, first, last):
    """One recurrent model's CPU ms per generated character at the shortest and longest context."""
    if last_ms < 1.5 * first_ms:
        return (f"{NAMES[name]}'s cost per character does not grow with the context ({first_ms:.2f} ms at "
                f"{first:,} characters, {last_ms:.2f} at {last:,})")
    return (f"{NAMES[name]}'s cost per character rose from {first_ms:.2f} ms at {first:,} characters to "
            f"{last_ms:.2f} at {last:,} in this build, though its state did not grow: a busy machine, not the "
            "model, since each step does the same work")


def tracking_claim(task, lstm, mingru):
    """Both models' accuracy on strings four times the training length, for `task`."""
    what = {"parity": "parity", "depth": "the bracket depth"}[task]
    if min(lstm, mingru) >= 0.95:
        return f"both models track {what} on the longer strings ({lstm:.0%} and {mingru:.0%} right)"
    if abs(lstm - mingru) <= 0.02:
        return f"the two are level on {what} at four times the training length ({lstm:.0%} and {mingru:.0%} right)"
    ahead, behind = ("the LSTM", "the minGRU") if lstm > mingru else ("the minGRU", "the LSTM")
    return (f"on {what} at four times the training length {ahead} is right more often than {behind} "
            f"({max(lstm, mingru):.0%} against {min(lstm, mingru):.0%})")


def parity_theory_claim(mingru):
    """The minGRU's parity accuracy at four times the training length (chance: 50%)."""
    if mingru < 0.6:
        return (f"The minGRU's {mingru:.0%} is a coin's score: what the theorem says a recurrence whose decay lies "
                "between 0 and 1 must come to at long enough lengths")
    return (f"The minGRU's {mingru:.0%} is above a coin's 50%: the theorem speaks of every length, and strings of "
            "this length are still short enough to be learnt case by case")


def verdict(faster_long, ahead):
    """faster_long: the minGRU trained faster than the LSTM at the longest length; ahead: it
    scored better than the LSTM in the race."""
    if faster_long and ahead:
        return ("On this CPU the parallel recurrence earns its place: faster than the LSTM on long rows and ahead "
                "of it in the race, while generating at the same flat cost")
    if faster_long:
        return ("On this CPU the parallel recurrence is faster on long rows but not better after the same CPU "
                "seconds: what each update learns counts for more than how fast it reads")
    if ahead:
        return ("On this CPU the parallel recurrence wins the race without being faster: its blocks learn more "
                "per character than the LSTM's gates, not more characters per second")
    return ("On one CPU core the parallel recurrence buys nothing the LSTM does not already have: it is neither "
            "faster nor better here, and its case rests on parallel hardware and long sequences")
