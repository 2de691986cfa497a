"""rnnkit's error types. Each carries one line a user can act on; the command line prints
that line and exits 2, and a Python caller can catch RnnkitError for all of them.

The ValueError subclasses keep `except ValueError` working for code written before them.
"""


class RnnkitError(Exception):
    """Base of every error rnnkit raises on purpose."""


class OptionError(RnnkitError, ValueError):
    """A setting out of range (a size below 1, a temperature that is not a number, ...)."""


class TextError(RnnkitError, ValueError):
    """Text that does not fit: characters outside the vocabulary, a corpus too small to split."""


class TrainingDiverged(RnnkitError):
    """The loss became inf or nan; nothing of that step was saved."""

    def __init__(self, message, step=None, last_good=None):
        super().__init__(message)
        self.step, self.last_good = step, last_good


class RnnkitWarning(UserWarning):
    """Something a run did that deserves a look but is not an error (the command line prints
    it as one line, `rnnkit: warning: ...`)."""
