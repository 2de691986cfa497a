"""rnnkit: character-level recurrent networks, after Karpathy (2015).

The article's path, in reading order (each module one concept, read in one sitting):

  numpy_rnn.py    the RNN by hand in numpy: `y = rnn.step(x)`, min-char-rnn (chapter 2)
  data.py         the corpora: registry (corpora.json), cache, mirror, verified downloads
  text.py         text to ids: the vocabulary, the train/val/test split, char-rnn's batches
  model.py        CharRNN: the fused forward for training, the article's step() to read
  stepper.py      the same step with its weights laid out once, for fast sampling
  sample.py       sampling: temperature, top-k, top-p, a prime
  config.py       Config, one run's settings (checked), and the one list of each choice
  presets.py      the size of every experiment at the smoke, cpu and gpu scales, as plain data
  loop.py         the one update (zero, backward, clip, step) and stream scoring every loop shares
  train.py        the Trainer: setup, learning rate, step, evaluate, fit, resume
  runfolder.py    a run's checkpoints: names, keep best and latest, save and restore a Trainer
  checkpoint.py   the checkpoint file: atomic saves, verified safe loads, the best file of a folder
  files.py        writing files safely: own temp files (host, PID, lock), no overwrite, stale cleaning
  memory.py       what a run needs in memory, checked before anything is allocated
  distributed.py  torchrun: one slice of the batch rows per process
  cli.py          `python -m rnnkit train | sample | export | datasets`
  export.py       a model as a small script for the in-browser sampler
  errors.py       the error types: one line a user can act on

Beside it, two rooms that build on it and that it never imports: rnnkit.tasks (the course's
tasks beyond the article) and rnnkit.book (what only the chapters call). Imports run one way:
rnnkit <- rnnkit.tasks <- rnnkit.book.
"""
from .errors import RnnkitError  # every error rnnkit raises on purpose (one line, fixable)
