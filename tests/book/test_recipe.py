"""rnnkit.book.recipe: a run's training recipe beside the article's."""
from rnnkit import presets
from rnnkit.book import recipe
from rnnkit.config import Config


def test_schedule_in_words():
    assert recipe.schedule_words(0.5, 1125) == "halved every 1,125 updates"
    assert recipe.schedule_words(0.97, 100, 1e-4) == "multiplied by 0.97 every 100 updates, never below 0.0001"
    assert recipe.schedule_words(0.5, 0) == "constant" and recipe.schedule_words(1.0, 500) == "constant"


def test_rows_follow_the_config_and_name_the_articles_settings():
    article = recipe.ARTICLE["paulgraham"]
    # a run like the cpu preset's (written out, so that re-sized presets do not change the test)
    cfg = Config(n_layers=2, hidden=256, embed=64, batch_size=16, seq_len=32, lr=8e-3, lr_decay=0.5,
                 lr_decay_every=1125, max_steps=4500)
    cpu = {r[0]: r[1:] for r in recipe.rows(cfg, article)}
    assert cpu["truncated BPTT length"] == ["100 characters", "32 characters"]
    assert cpu["input"][1] == "an embedding of 64" and cpu["dropout"][1] == "none"
    assert cpu["optimizer"] == ["RMSprop (decay rate 0.95)", "Adam"]
    assert cpu["learning-rate schedule"][1] == "halved every 1,125 updates"
    assert cpu["training length"][1] == "4,500 updates"
    gpu = {r[0]: r[2] for r in recipe.rows(presets.get("paulgraham", "gpu"), article)}
    assert gpu["model"] == "LSTM, 2 layers of 512" and gpu["input"] == "one-hot"
    assert gpu["dropout"] == "0.5 after each layer" and gpu["batch"] == "100 sequences"
    assert len(recipe.rows(presets.get("paulgraham", "smoke"), article)) == len(article) == 10
