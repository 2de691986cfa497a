"""The tasks' Python API refuses what it cannot use (empty data, wrong types, empty strings,
impossible sizes) with an RnnkitError of one line that says what is wrong, never an
IndexError, a ZeroDivisionError or a torch error from deep inside."""
import math

import pytest

from rnnkit.config import Config
from rnnkit.errors import RnnkitError
from rnnkit.tasks import classify, conditional, seq2seq, wordlm
from rnnkit.tasks.classify import NameClassifier, NameVocab, Split
from rnnkit.tasks.seq2seq import AdditionVocab, Seq2Seq

NAMES = {"female": ["Anna", "Maria", "Lena", "Ida"], "male": ["Bob", "Karl", "Otto", "Max"]}
SPLIT = Split(train=[("Anna", 0), ("Bob", 1), ("Ida", 0), ("Max", 1)], val=[("Lena", 0), ("Karl", 1)],
              test=[("Maria", 0), ("Otto", 1)])
VOCAB = NameVocab.from_names(SPLIT.all_names())
GEN_VOCAB = conditional.generator_vocab(SPLIT.all_names())
SUMS = [("1+2", "3"), ("10+5", "15")]
TEXT = "the cat sat on the mat, and the cat ate the rat.\n" * 20
WORDS = wordlm.WordVocab.from_text(TEXT, min_count=1)


def small(fn, **kw):
    return lambda: fn(**kw)


CASES = {
    # classify: the data, the model, the loop, the measures
    "split of a string": lambda: classify.stratified_split("names"),
    "split of one label": lambda: classify.stratified_split({"female": ["Anna"]}),
    "split of an empty list": lambda: classify.stratified_split({"female": [], "male": ["Bob"]}),
    "split with an empty name": lambda: classify.stratified_split({"female": ["Anna", ""], "male": ["Bob"]}),
    "split fractions as text": lambda: classify.stratified_split(NAMES, val="0.1"),
    "vocabulary of nothing": lambda: NameVocab.from_names([]),
    "vocabulary of a string": lambda: NameVocab.from_names("Anna"),
    "vocabulary of numbers": lambda: NameVocab.from_names([1, 2]),
    "classifier of no symbols": lambda: NameClassifier(0),
    "classifier of hidden 0": lambda: NameClassifier(10, hidden=0),
    "classifier of hidden True": lambda: NameClassifier(10, hidden=True),
    "classifier of embed '32'": lambda: NameClassifier(10, embed="32"),
    "classifier of dropout 1.5": lambda: NameClassifier(10, dropout=1.5),
    "classifier reading upwards": lambda: NameClassifier(10, direction="up"),
    "training on empty lists": lambda: classify.train_classifier(Split([], [], []), VOCAB),
    "training on a string": lambda: classify.train_classifier("names", VOCAB),
    "training on a label out of range": lambda: classify.train_classifier(
        Split([("Anna", 5)], [("Bob", 1)], []), VOCAB),
    "training on an empty name": lambda: classify.train_classifier(Split([("", 0)], [("Bob", 1)], []), VOCAB),
    "training with a vocabulary of a list": lambda: classify.train_classifier(SPLIT, ["a", "b"]),
    "training 0 epochs": lambda: classify.train_classifier(SPLIT, VOCAB, epochs=0),
    "training at lr -1": lambda: classify.train_classifier(SPLIT, VOCAB, lr=-1.0),
    "training at lr nan": lambda: classify.train_classifier(SPLIT, VOCAB, lr=math.nan),
    "training batches of 2.5": lambda: classify.train_classifier(SPLIT, VOCAB, batch_size=2.5),
    "training with seed 2**70": lambda: classify.train_classifier(SPLIT, VOCAB, seed=2 ** 70),
    "accuracy of nothing": lambda: classify.accuracy(NameClassifier(len(VOCAB), hidden=4, embed=4), VOCAB, []),
    "prefixes of an empty name": lambda: classify.prefix_probs(NameClassifier(len(VOCAB), hidden=4, embed=4), VOCAB,
                                                              ""),
    "probabilities of no names": lambda: classify.probabilities(NameClassifier(len(VOCAB), hidden=4, embed=4), VOCAB,
                                                               []),
    # conditional
    "generator on empty lists": lambda: conditional.train_generator(Split([], [], []), GEN_VOCAB),
    "generator without a newline": lambda: conditional.train_generator(SPLIT, VOCAB),
    "generator of hidden -3": lambda: conditional.ConditionalNameModel(len(GEN_VOCAB), hidden=-3),
    "names for label 5": lambda: conditional.sample_names(conditional.ConditionalNameModel(len(GEN_VOCAB), hidden=4),
                                                          GEN_VOCAB, label=5),
    "names, none of them": lambda: conditional.sample_names(conditional.ConditionalNameModel(len(GEN_VOCAB), hidden=4),
                                                            GEN_VOCAB, label=0, n=0),
    "names at a temperature of 'hot'": lambda: conditional.sample_names(
        conditional.ConditionalNameModel(len(GEN_VOCAB), hidden=4), GEN_VOCAB, label=0, temperature="hot"),
    # seq2seq
    "sums, -1 of them": lambda: seq2seq.addition_data(-1, 10, 10),
    "sums of 0 digits": lambda: seq2seq.addition_data(10, 10, 10, digits=0),
    "sums excluding nonsense": lambda: seq2seq.addition_data(10, 10, 10, exclude=["x"]),
    "encoding no questions": lambda: AdditionVocab().encode([]),
    "encoding an empty question": lambda: AdditionVocab().encode([""]),
    "encoding a string": lambda: AdditionVocab().encode("1+2"),
    "encoding letters": lambda: AdditionVocab().encode(["1+a"]),
    "training on no sums": lambda: seq2seq.train([], SUMS, AdditionVocab()),
    "training on questions without answers": lambda: seq2seq.train([("1+2", "")], SUMS, AdditionVocab()),
    "training with a string vocabulary": lambda: seq2seq.train(SUMS, SUMS, "0123456789+"),
    "training with hidden 0": lambda: seq2seq.train(SUMS, SUMS, AdditionVocab(), hidden=0),
    "training with attention='yes'": lambda: seq2seq.train(SUMS, SUMS, AdditionVocab(), attention="yes"),
    "a model of hidden 0": lambda: Seq2Seq(len(AdditionVocab()), hidden=0),
    "decoding no questions": lambda: seq2seq.decode(Seq2Seq(len(AdditionVocab()), hidden=4), AdditionVocab(), []),
    "exact match of nothing": lambda: seq2seq.exact_match(Seq2Seq(len(AdditionVocab()), hidden=4), AdditionVocab(), []),
    "a beam for an empty question": lambda: seq2seq.beam_answer(Seq2Seq(len(AdditionVocab()), hidden=4),
                                                                AdditionVocab(), ""),
    "a beam of width 0": lambda: seq2seq.beam_answer(Seq2Seq(len(AdditionVocab()), hidden=4), AdditionVocab(), "1+2",
                                                     width=0),
    # wordlm
    "words of no text": lambda: wordlm.WordVocab.from_text(""),
    "words of None": lambda: wordlm.WordVocab.from_text(None),
    "words seen 0 times": lambda: wordlm.WordVocab.from_text(TEXT, min_count=0),
    "a word model trained on nothing": lambda: wordlm.train_word_lm(WORDS, ""),
    "a word model of hidden 0": lambda: wordlm.train_word_lm(WORDS, TEXT, hidden=0),
    "a word model of -1 steps": lambda: wordlm.train_word_lm(WORDS, TEXT, steps=-1),
    "a word model with a list vocabulary": lambda: wordlm.train_word_lm(["the"], TEXT),
    "a word model on a text too short": lambda: wordlm.train_word_lm(WORDS, "the cat", seq_len=32),
    "scoring nothing": lambda: wordlm.score(wordlm.WordLM(len(WORDS), hidden=4), WORDS, ""),
    "scoring one token": lambda: wordlm.score(wordlm.WordLM(len(WORDS), hidden=4), WORDS, "cat"),
    "words after no prime": lambda: wordlm.sample_words(wordlm.WordLM(len(WORDS), hidden=4), WORDS, prime=""),
    "-1 words": lambda: wordlm.sample_words(wordlm.WordLM(len(WORDS), hidden=4), WORDS, length=-1),
    "words at temperature nan": lambda: wordlm.sample_words(wordlm.WordLM(len(WORDS), hidden=4), WORDS,
                                                            temperature=math.nan),
    # Config
    "a config with seq_len True": lambda: Config(seq_len=True),
    "a config with no data": lambda: Config(data=""),
    "a config set to seq_len True": lambda: setattr(Config(), "seq_len", True),
    "a config with seed 2**64": lambda: Config(seed=2 ** 64),
}


@pytest.mark.parametrize("case", CASES)
def test_the_tasks_refuse_what_they_cannot_use_with_one_line(case):
    with pytest.raises(RnnkitError) as e:
        CASES[case]()
    assert "\n" not in str(e.value) and str(e.value)


def test_a_tiny_temperature_is_greedy_not_nan():
    import torch
    torch.manual_seed(0)
    model = conditional.ConditionalNameModel(len(GEN_VOCAB), hidden=8)
    names = conditional.sample_names(model, GEN_VOCAB, label=0, n=5, temperature=1e-300, seed=1)
    assert len(set(names)) <= 1  # every row takes the most likely letter: one name, or none finished
