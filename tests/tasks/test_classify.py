"""rnnkit.tasks.classify: the split, the classifier (packed, padded, both directions), its
training and the baselines."""
import pytest
import torch

from rnnkit.errors import OptionError, TextError
from rnnkit.tasks import classify as C
from rnnkit.tasks.padding import NameVocab

LISTS = {"female": ["Anna", "Maria", "Julia", "Emma", "Sofia", "Ella", "Alex", "Kim", "Chris", "Lena",
                    "Mia", "Nora", "Ida", "Eva", "Lara", "Zoe", "Rosa", "Vera", "Olga", "Ines"],
         "male": ["John", "Peter", "Alex", "Kim", "Chris", "Mark", "Paul", "Tom", "Otto", "Hans",
                  "Karl", "Ivan", "Igor", "Omar", "Luis", "Raul", "Sven", "Nils", "Jan", "Bob"]}


def test_split_is_seeded_stratified_and_disjoint():
    a, b = C.stratified_split(LISTS, seed=3, val=0.2, test=0.2), C.stratified_split(LISTS, seed=3, val=0.2, test=0.2)
    assert (a.train, a.val, a.test) == (b.train, b.val, b.test)
    assert C.stratified_split(LISTS, seed=4, val=0.2, test=0.2).test != a.test
    assert a.both == ["Alex", "Chris", "Kim"]
    parts = [set(n for n, _ in p) for p in (a.train, a.val, a.test)]
    assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])
    assert not set(a.both) & set().union(*parts)
    # stratified: each label's share of the test set is its share of the names
    assert sorted(y for _, y in a.test) == [0] * 3 + [1] * 3  # 17 own female, 17 own male, 20% each
    assert sum(len(p) for p in parts) == 34


def test_real_lists_give_the_chapter_split():
    s = C.stratified_split(C.name_lists(), seed=0)
    assert len(s.both) == 365 and len(s.test) >= 1000 and len(s.val) > 500
    assert {y for _, y in s.test} == {0, 1}


@pytest.mark.parametrize("direction", ["forward", "backward", "both"])
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_packed_and_padded_agree_without_padding(direction, cell):
    torch.manual_seed(0)
    vocab = NameVocab.from_names(["abcde"])
    m = C.NameClassifier(len(vocab), embed=4, hidden=5, cell=cell, n_layers=2, direction=direction)
    ids, lengths = vocab.encode(["abcde", "edcba", "aabbc"])  # all the same length: no padding
    assert torch.allclose(m(ids, lengths, packed=True), m(ids, lengths, packed=False), atol=1e-6)
    # with padding they differ: the padded path reads on through the pad characters
    ids, lengths = vocab.encode(["abcde", "ab"])
    assert not torch.allclose(m.final_state(ids, lengths, True)[1], m.final_state(ids, lengths, False)[1])


def test_packed_final_state_ignores_padding():
    torch.manual_seed(0)
    vocab = NameVocab.from_names(["abcde"])
    m = C.NameClassifier(len(vocab), embed=4, hidden=5, direction="both")
    alone = m.final_state(*vocab.encode(["abc"]))
    padded = m.final_state(*vocab.encode(["abc", "abcde"]))[:1]
    assert torch.allclose(alone, padded, atol=1e-6)


def test_bidirectional_state_is_forward_last_then_backward_first():
    torch.manual_seed(0)
    vocab = NameVocab.from_names(["abcde"])
    m = C.NameClassifier(len(vocab), embed=4, hidden=5, n_layers=2, direction="both")
    ids, lengths = vocab.encode(["abcd"])
    out, _ = m.rnn(m.embed(ids))  # (1, 4, 2 * hidden): [forward | backward] at each position
    expected = torch.cat([out[0, -1, :5], out[0, 0, 5:]])
    assert torch.allclose(m.final_state(ids, lengths)[0], expected, atol=1e-6)


def test_training_is_seeded_and_learns_the_last_letter():
    # female names end in "a", male ones do not: the classifier must find that
    lists = {"female": [c + v + "a" for c in "bdfgklmnprst" for v in "aeiou"],
             "male": [c + v + "n" for c in "bdfgklmnprst" for v in "aeiou"]}
    split = C.stratified_split(lists, seed=0)
    vocab = NameVocab.from_names(split.all_names())
    kw = dict(embed=8, hidden=16, epochs=6, patience=6, batch_size=16, lr=2e-2)
    a, b = C.train_classifier(split, vocab, seed=1, **kw), C.train_classifier(split, vocab, seed=1, **kw)
    assert a.curve == b.curve and a.losses == b.losses
    assert [p.epoch for p in a.curve] == list(range(1, 7)) and a.stopped == "done"
    assert a.best == max(a.curve, key=lambda p: p.val_accuracy)  # the first of the best epochs
    assert a.steps == len(a.losses) == 6 * -(-len(split.train) // 16) and a.examples == 6 * len(split.train)
    assert a.options["hidden"] == 16 and a.options["direction"] == "forward"
    # the model holds the best epoch's weights: its validation accuracy is the best point's
    assert C.accuracy(a.model, vocab, split.val).value == a.best.val_accuracy
    assert C.accuracy(a.model, vocab, split.test).value > 0.9
    p = C.prefix_probs(a.model, vocab, "kaa", label=0)
    assert len(p) == 3 and p[-1] > 0.5
    # recall: accuracy on one list's names only; the two recalls average to the accuracy here
    # (the test set is stratified, half and half)
    rf, rm = C.recall(a.model, vocab, split.test, 0), C.recall(a.model, vocab, split.test, 1)
    assert rf.n == sum(y == 0 for _, y in split.test) and rf.n + rm.n == len(split.test)
    assert rf.correct + rm.correct == C.accuracy(a.model, vocab, split.test).correct


def test_label_share_and_answer_flips():
    pairs = [("Anna", 0), ("Tom", 1), ("Ella", 0), ("Jan", 1), ("Mia", 0)]
    assert C.label_share(pairs, 0) == 0.6 and C.label_share(pairs, 1) == 0.4
    assert C.answer_flips([0.9, 0.8, 0.4, 0.45, 0.7]) == 2  # above, below, above again
    assert C.answer_flips([0.9]) == 0 and C.answer_flips([0.2, 0.3]) == 0


def test_accuracy_interval_and_baselines():
    acc = C.Accuracy(80, 100)
    lo, hi = acc.interval()
    assert lo < 0.8 < hi and hi - lo == pytest.approx(0.156, abs=0.005)  # Wilson, n=100
    assert C.Accuracy(10, 10).interval()[1] <= 1.0
    assert acc.overlaps(C.Accuracy(85, 100)) and C.Accuracy(85, 100).overlaps(acc)
    assert not acc.overlaps(C.Accuracy(97, 100)) and acc.below(C.Accuracy(97, 100))
    assert not C.Accuracy(97, 100).below(acc) and not acc.below(C.Accuracy(85, 100))
    train = [("Anna", 0), ("Ella", 0), ("Mia", 0), ("Tom", 1), ("Jan", 1), ("Sven", 1)]
    nb = C.LastLetterBayes().fit(train)
    assert nb.accuracy([("Lisa", 0), ("Ben", 1)]).value == 1.0
    _, score = C.ngram_logreg(train)
    assert score(train).n == 6


def test_early_stopping_keeps_the_best_epoch():
    # labels at random: validation accuracy stops improving, and patience 1 ends the run
    names = [c + v + e for c in "bdfgklmnprst" for v in "aeiou" for e in "ae"]
    lists = {"female": names[::2], "male": names[1::2]}
    split = C.stratified_split(lists, seed=0)
    vocab = NameVocab.from_names(split.all_names())
    run = C.train_classifier(split, vocab, seed=0, embed=4, hidden=8, epochs=30, patience=1, batch_size=16)
    assert run.stopped == "patience" and len(run.curve) < 30
    assert run.curve[-1].epoch - run.best.epoch == 1


def test_errors_are_one_line():
    with pytest.raises(TextError, match="vocabulary"):
        NameVocab.from_names(["abc"]).encode(["abz"])
    with pytest.raises(C.ClassifyError):
        C.NameClassifier(5, direction="sideways")
    with pytest.raises(C.ClassifyError):
        C.stratified_split(LISTS, val=0.6, test=0.6)
    with pytest.raises(OptionError, match="no option 'hiden'"):
        C.train_classifier(C.stratified_split(LISTS), NameVocab.from_names(["abc"]), hiden=8)
    with pytest.raises(OptionError, match="no option 'n_layer'"):
        C.NameClassifier(5, n_layer=2)


def test_padding_effect_is_zero_for_packed_models_only():
    torch.manual_seed(0)
    vocab = NameVocab.from_names(["abcde"])
    m = C.NameClassifier(len(vocab), embed=4, hidden=5)
    names = ["ab", "abc", "ba", "e"]
    alone, padded = C.padding_effect(m, vocab, names, pad_to=12, packed=True)
    assert torch.allclose(alone, padded, atol=1e-6)
    assert torch.allclose(alone, C.probabilities(m, vocab, names)[:, 0], atol=1e-6)
    alone, padded = C.padding_effect(m, vocab, names, pad_to=12, packed=False)
    assert torch.allclose(alone, C.probabilities(m, vocab, names)[:, 0], atol=1e-6)  # no padding: no pitfall
    assert (alone - padded).abs().max() > 1e-4
    mean, top, flipped, most = C.padding_change(m, vocab, names, pad_to=12, packed=False)
    change = (alone - padded).abs()
    assert (mean, top, most) == (pytest.approx(float(change.mean())), pytest.approx(float(change.max())),
                                 int(change.argmax()))
    assert flipped == int(((alone > 0.5) != (padded > 0.5)).sum())
    assert C.padding_change(m, vocab, names, pad_to=12, packed=True)[:3] == (pytest.approx(0, abs=1e-6),
                                                                            pytest.approx(0, abs=1e-6), 0)
    with pytest.raises(C.ClassifyError):
        C.padding_effect(m, vocab, names, pad_to=2)
