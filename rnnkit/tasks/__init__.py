"""The course beyond the article (Part III): tasks that are not char-rnn language models, each
one module with its data, its model, its training loop and its sizes (PRESETS).

    classify      many to one: a name -> its list (female or male)               chapters 11, 12
    conditional   one to many: a label -> a name, the label an input every step  chapter 12
    seq2seq       delayed many to many: "535+61" -> "596", with attention        chapter 13
    gradients     vanishing and exploding gradients, the adding problem          chapter 14
    gpt           a small character GPT (the Transformer the LSTM races)         chapter 15
    race          models trained in turns on the same CPU budget                 chapter 15
    wordlm        a word-level LSTM scored per character                         chapter 16
    minrnn        minGRU: a recurrence trained by a parallel scan, and its step  chapter 18
    lengths       training speed against the BPTT length; racers at a length     chapter 18
    linearity     parity and bracket depth: an LSTM against a minGRU             chapter 18

and what they share:

    common        Run (every training loop's result), options() (every task's sizes),
                  strict_options (an unknown option is an OptionError)
    padding       padded batches: PAD, NameVocab, pad(), reverse_within(), batches()

    from rnnkit.tasks import options, seq2seq
    sizes = options("addition", "cpu")             # a task's sizes at a scale (a new dict)

The tasks build on rnnkit's core (the model, the trainer, rnnkit.loop's update and stream
scorer) and never on rnnkit.book; chapter 17 (sampling) needs no task module: its sizes are
in rnnkit.book.diversity.
"""
from .common import options

__all__ = ["options"]
