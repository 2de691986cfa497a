"""Chapter 18's sentences chosen from a run's numbers: every branch of every chooser."""
from rnnkit.book import prose_parallel as pp


def timings(chunked=14.0, loop=30.0, log_error=2e-4, chunked_error=3e-7):
    return {"loop": dict(ms=loop, error=4e-7), "doubling": dict(ms=158.0, error=3e-7),
            "log space": dict(ms=121.0, error=log_error), "chunked": dict(ms=chunked, error=chunked_error)}


def test_scan_claim_both_ways():
    assert pp.scan_claim(timings(), 1024) == (
        "At 1,024 steps the chunked scan is the fastest of the four (14.0 CPU ms for a forward and backward pass; "
        "loop 30.0, doubling 158.0, log space 121.0), so it is the one CharMinGRU runs")
    s = pp.scan_claim(timings(chunked=20.0, loop=10.0), 32)
    assert s.startswith("At 32 steps the loop scan was the fastest in this build (10.0 CPU ms against the chunked "
                        "scan's 20.0;") and s.endswith("whose precision does not fall with it")


def test_precision_claim_both_ways():
    assert pp.precision_claim(timings(), 4096).startswith(
        "over 4,096 steps the log-space scan's float32 states are off by up to 2.0e-04 (relative), the chunked "
        "scan's by 3.0e-07:")
    assert pp.precision_claim(timings(log_error=1e-6), 256).startswith(
        "over 256 steps both keep float32's precision here (log space 1.0e-06, chunked 3.0e-07 relative)")


def speeds(lstm, mingru):
    return {"lstm": [(32, lstm[0], 9e5), (1024, lstm[1], 9e5)], "mingru": [(32, mingru[0], 8e5), (1024, mingru[1], 8e5)],
            "gpt": [(32, 1.0, 8e5), (1024, 1.0, 8e5)]}


def test_length_speed_claim_three_ways():
    assert pp.length_speed_claim(speeds((10e3, 10e3), (20e3, 40e3))) == (
        "the minGRU trains faster than the LSTM at every length, from 2.0 times the LSTM's characters per CPU second "
        "at 32 to 4.0 times at 1,024")
    s = pp.length_speed_claim(speeds((16e3, 10e3), (12e3, 13e3)))
    assert s.startswith("the lines cross: at 32 characters per row the LSTM trains on 1.3 times as many characters "
                        "per CPU second as the minGRU, at 1,024 the minGRU on 1.3 times as many as the LSTM")
    assert pp.length_speed_claim(speeds((16e3, 14e3), (8e3, 7e3))) == (
        "the LSTM trains on more characters per CPU second than the minGRU at every length, 2.0 times as many at 32 "
        "and 2.0 at 1,024: on one core there are no parallel lanes for the scan to fill")


def test_race_lead_orders_the_three():
    assert pp.race_lead({"lstm": 1.78, "mingru": 1.92, "gpt": 2.39}) == (
        "the LSTM is ahead (1.780 nats per character), 0.140 ahead of the minGRU (1.920); the GPT is last (2.390)")
    assert pp.race_lead({"lstm": 2.0, "mingru": 1.9, "gpt": 1.95}).startswith(
        "the minGRU is ahead (1.900 nats per character), 0.050 ahead of the GPT (1.950); the LSTM is last")


def test_gpt_length_claim_both_ways():
    assert pp.gpt_length_claim(13177, 7657, 32, 1024) == (
        "The GPT at 1,024 characters of context trains at 58% of its speed at 32: attention's cost grows with the "
        "square of the context")
    assert pp.gpt_length_claim(86683, 90210, 32, 64).startswith(
        "The GPT's speed hardly changes between 32 and 64 characters of context (104% of it at the longer)")


def test_flat_claim_both_ways():
    assert pp.flat_claim("mingru", 0.30, 0.31, 64, 4096) == (
        "the minGRU's cost per character does not grow with the context (0.30 ms at 64 characters, 0.31 at 4,096)")
    assert pp.flat_claim("lstm", 0.10, 0.20, 64, 4096).startswith(
        "the LSTM's cost per character rose from 0.10 ms at 64 characters to 0.20 at 4,096 in this build")


def test_tracking_claim_four_ways():
    assert pp.tracking_claim("parity", 1.0, 0.97) == "both models track parity on the longer strings (100% and 97% right)"
    assert pp.tracking_claim("depth", 0.60, 0.61) == (
        "the two are level on the bracket depth at four times the training length (60% and 61% right)")
    assert pp.tracking_claim("parity", 1.0, 0.51) == (
        "on parity at four times the training length the LSTM is right more often than the minGRU (100% against 51%)")
    assert pp.tracking_claim("depth", 0.41, 0.80) == (
        "on the bracket depth at four times the training length the minGRU is right more often than the LSTM "
        "(80% against 41%)")


def test_parity_theory_claim_both_ways():
    assert pp.parity_theory_claim(0.51).startswith("The minGRU's 51% is a coin's score")
    assert pp.parity_theory_claim(0.75).startswith("The minGRU's 75% is above a coin's 50%")


def test_verdict_four_ways():
    assert pp.verdict(True, True).startswith("On this CPU the parallel recurrence earns its place")
    assert pp.verdict(True, False).startswith("On this CPU the parallel recurrence is faster on long rows but not better")
    assert pp.verdict(False, True).startswith("On this CPU the parallel recurrence wins the race without being faster")
    assert pp.verdict(False, False).startswith("On one CPU core the parallel recurrence buys nothing")
