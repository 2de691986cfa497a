"""rnnkit: character-level recurrent networks, after Karpathy (2015)."""
from .errors import RnnkitError  # every error rnnkit raises on purpose (one line, fixable)
