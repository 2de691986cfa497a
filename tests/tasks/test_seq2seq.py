"""rnnkit.tasks.seq2seq: addition as text, the encoder-decoder and its attention, decoding."""
import pytest
import torch

from rnnkit.errors import OptionError, RnnkitError
from rnnkit.tasks import options
from rnnkit.tasks import seq2seq as S


def test_addition_data_is_seeded_right_and_held_out():
    a, b = S.addition_data(300, 50, 50, digits=2, seed=5), S.addition_data(300, 50, 50, digits=2, seed=5)
    assert a == b and S.addition_data(300, 50, 50, digits=2, seed=6) != a
    keys = {part: {tuple(sorted(map(int, q.split("+")))) for q, _ in a[part]} for part in a}
    assert len(keys["train"]) == 300  # no pair twice, a+b and b+a being the same pair
    assert not keys["train"] & keys["test"] and not keys["train"] & keys["val"] and not keys["val"] & keys["test"]
    assert all(int(ans) == sum(map(int, q.split("+"))) for part in a.values() for q, ans in part)
    four = S.addition_data(0, 0, 20, digits=4, seed=0, exact=True, exclude=[q for q, _ in a["train"]])["test"]
    assert all(len(x) == 4 for q, _ in four for x in q.split("+"))
    with pytest.raises(S.Seq2SeqError):
        S.addition_data(100, 0, 0, digits=1)  # only 55 distinct one-digit pairs


def test_vocab_round_trip_and_errors():
    v = S.AdditionVocab()
    ids, lengths = v.encode(["12+3", "7"], start=True, end=True)
    assert lengths.tolist() == [6, 3] and ids[1, 3:].tolist() == [0, 0, 0]
    assert [v.decode(r) for r in ids.tolist()] == ["12+3", "7"]
    with pytest.raises(S.Seq2SeqError, match="vocabulary"):
        v.encode(["1-2"])


@pytest.mark.parametrize("bidirectional", [False, True])
def test_attention_weights_sum_to_one_over_real_positions_and_zero_on_padding(bidirectional):
    torch.manual_seed(0)
    v = S.AdditionVocab()
    m = S.Seq2Seq(len(v), embed=4, hidden=8, attention=True, bidirectional=bidirectional)
    src, lengths = v.encode(["123+45", "9+1"])
    ids, w = m.greedy(src, lengths, max_len=4)
    assert w.shape == (2, 4, 6)
    assert torch.allclose(w.sum(-1), torch.ones(2, 4))
    assert (w[1, :, 3:] == 0).all() and (w[1, :, :3] > 0).all()
    # the padded question gets the same answers as when it is alone
    alone_ids, alone_w = m.greedy(*v.encode(["9+1"]), max_len=4)
    assert torch.equal(alone_ids[0], ids[1]) and torch.allclose(alone_w[0], w[1, :, :3], atol=1e-6)


def test_reverse_reads_the_question_backwards():
    torch.manual_seed(0)
    v = S.AdditionVocab()
    m = S.Seq2Seq(len(v), embed=4, hidden=8, reverse=True)
    fwd = S.Seq2Seq(len(v), embed=4, hidden=8)
    fwd.load_state_dict(m.state_dict())
    _, (h_rev, _) = m.encode(*v.encode(["12+3", "5"]))
    _, (h_fwd, _) = fwd.encode(*v.encode(["3+21", "5"]))
    assert torch.allclose(h_rev, h_fwd, atol=1e-6)


def test_bidirectional_encoder_starts_the_decoder_from_both_final_states():
    torch.manual_seed(0)
    v = S.AdditionVocab()
    m = S.Seq2Seq(len(v), embed=4, hidden=8, attention=True, bidirectional=True)
    src, lengths = v.encode(["12+34", "5+6"])
    states, (h, c) = m.encode(src, lengths)
    assert states.shape == (2, 5, 8) and h.shape == (1, 2, 8)
    # [forward after the last real character; backward after the first], row by row
    for row, n in enumerate(lengths.tolist()):
        assert torch.allclose(h[0, row], torch.cat([states[row, n - 1, :4], states[row, 0, 4:]]), atol=1e-6)
    assert (states[1, 3:] == 0).all()
    with pytest.raises(S.Seq2SeqError):
        S.Seq2Seq(len(v), hidden=7, bidirectional=True)


def test_attention_by_place_reads_place_values():
    assert S.digit_positions("123+45", 0) == [2, 5] and S.digit_positions("123+45", 2) == [0]
    w = torch.zeros(4, 6)
    w[0, 0] = 1.0          # writing "1" (hundreds): looks at the 1 of 123
    w[1, 1] = w[1, 4] = 0.5  # "6" (tens): the 2 and the 4
    w[2, 2] = 0.5; w[2, 1] = 0.5  # "8" (units): half on the 3, half on the tens digit 2 (carry side)
    where = S.attention_by_place(["123+45"], ["168"], [w])
    assert where["same place"] == pytest.approx(2.5 / 3) and where["one place lower"] == pytest.approx(0.0)
    w[0] = 0; w[0, 1] = 1.0  # hundreds digit now looks at a tens digit: one place lower
    assert S.attention_by_place(["123+45"], ["168"], [w])["one place lower"] == pytest.approx(1 / 3)


def test_tiny_addition_reaches_90_percent_on_held_out_sums_in_seconds_and_is_seeded():
    # two-digit sums, 3,000 seen in training; scored on 200 pairs never seen (~6 CPU s; 98.5% when
    # written). Attention over a bidirectional encoder, as chapter 13's best model.
    data = S.addition_data(3000, 100, 200, digits=2, seed=0)
    assert not {q for q, _ in data["test"]} & {q for q, _ in data["train"]}
    v = S.AdditionVocab()
    kw = dict(attention=True, bidirectional=True, embed=16, hidden=48, batch_size=64, lr=2e-2,
              max_examples=40000, eval_every=10000)
    run = S.train(data["train"], data["val"], v, seed=0, **kw)
    assert S.exact_match(run.model, v, data["test"]) > 0.9
    again = S.train(data["train"], data["val"], v, seed=0, **{**kw, "max_examples": 10000})
    first = S.train(data["train"], data["val"], v, seed=0, **{**kw, "max_examples": 10000})
    assert [c.val_exact_match for c in first.curve] == [c.val_exact_match for c in again.curve]
    assert first.losses == again.losses and len(first.losses) == first.steps == -(-10000 // 64)
    assert all(torch.equal(a, b) for a, b in zip(first.model.state_dict().values(), again.model.state_dict().values()))
    answers, maps = S.decode(run.model, v, ["3+4"])
    assert len(maps) == 1 and maps[0].shape[1] == 3
    assert S.beam_answer(run.model, v, "3+4", width=1) == answers[0]


def test_training_stops_at_the_target():
    data = S.addition_data(40, 5, 0, digits=1, seed=0)
    run = S.train(data["train"], data["val"], S.AdditionVocab(), embed=4, hidden=8, batch_size=8,
                  max_examples=800, eval_every=80, target=0.0)
    assert run.reached and run.reached_at == run.examples == 80 and len(run.curve) == 1
    assert run.stopped == "target" and run.curve[0].examples == 80
    run = S.train(data["train"], data["val"], S.AdditionVocab(), embed=4, hidden=8, batch_size=8,
                  max_examples=160, eval_every=80, target=1.01)  # out of reach: the budget ends it
    assert not run.reached and run.stopped == "done" and [c.examples for c in run.curve] == [80, 160]
    assert run.best == max(run.curve, key=lambda c: c.val_exact_match)


def test_beam_search_of_width_one_is_greedy():
    torch.manual_seed(3)
    v = S.AdditionVocab()
    for kw in (dict(), dict(attention=True, bidirectional=True)):
        m = S.Seq2Seq(len(v), embed=4, hidden=8, **kw)
        qs = ["12+34", "5+6", "99+1"]
        greedy, _ = S.decode(m, v, qs, max_len=5)  # untrained: writes until max_len
        assert [S.beam_answer(m, v, q, width=1, max_len=5) for q in qs] == greedy
        assert all(isinstance(S.beam_answer(m, v, q, width=4), str) for q in qs)


def test_errors_are_rnnkit_errors():
    assert issubclass(S.Seq2SeqError, RnnkitError)


def test_the_preset_feeds_the_calls_and_typos_are_refused():
    sizes = options("addition", "smoke")
    data = S.addition_data(**sizes["data"], seed=0)
    assert len(data["train"]) == sizes["data"]["n_train"]
    with pytest.raises(OptionError, match="no option 'digits'"):  # data sizes are not training options
        S.train(data["train"], data["val"], S.AdditionVocab(), **sizes["data"])
    with pytest.raises(OptionError, match="no option 'max_example'"):
        S.train(data["train"], data["val"], S.AdditionVocab(), max_example=10)
    with pytest.raises(OptionError, match="no option 'n_trian'"):
        S.addition_data(n_trian=5, n_val=1, n_test=1)


class NextDigit(torch.nn.Module):
    """A stand-in decoder with a fixed rule: after the start mark it writes 1, after a digit d the
    digit d + 1 (0 after 9), and after a 3 the end mark. It ignores the question."""
    attention = False

    def rule(self, prev):
        v = S.AdditionVocab()
        nxt = torch.where(prev == v.stoi["9"], torch.full_like(prev, v.stoi["0"]), prev + 1)  # digits: consecutive ids
        nxt = torch.where(prev == S.START, torch.full_like(prev, v.stoi["1"]), nxt)
        return torch.where(prev == v.stoi["3"], torch.full_like(prev, S.END), nxt)

    def forward(self, src, lengths, tgt_in):
        return torch.nn.functional.one_hot(self.rule(tgt_in), len(S.AdditionVocab())).float()

    def greedy(self, src, lengths, max_len):
        prev, out = torch.full((len(src), 1), S.START), []
        for _ in range(max_len):
            prev = self.rule(prev)
            out.append(prev)
        return torch.cat(out, 1), None


def test_character_accuracy_with_and_without_teacher_forcing():
    model = NextDigit()
    # the model's own answer, "123": right both ways, end mark included
    assert S.character_accuracy(model, S.AdditionVocab(), [("1+1", "123")]) == (1.0, 1.0)
    # "193": forced, it reads the true 1, 9, 3 and predicts 2 (wrong), 0 (wrong), the end (right): 2/4
    # right (the 1, the end); free, it writes 1 2 3 $ against 1 9 3 $: 3/4 right
    forced, free = S.character_accuracy(model, S.AdditionVocab(), [("1+1", "193")])
    assert (forced, free) == (2 / 4, 3 / 4)
    # "12": forced 1, 2 right and then 3 where the end is due; free the same: 2/3 both ways
    assert S.character_accuracy(model, S.AdditionVocab(), [("1+1", "12"), ("2+2", "123")], batch_size=1) == \
        ((2 + 4) / 7, (2 + 4) / 7)


def test_exact_accuracy_counts_and_carries():
    model = NextDigit()
    acc = S.exact_accuracy(model, S.AdditionVocab(), [("1+1", "123"), ("5+5", "10"), ("0+0", "0")])
    assert (acc.correct, acc.n) == (1, 3) and str(acc).startswith("33.3% (")
    assert S.has_carry("5+5") and S.has_carry("19+1") and not S.has_carry("12+34") and not S.has_carry("9+0")
