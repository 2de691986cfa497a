"""rnnkit: character-level recurrent networks, after Karpathy (2015)."""
