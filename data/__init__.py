"""The corpus registry (corpora.json), shipped inside rnnkit as rnnkit.corpora."""
