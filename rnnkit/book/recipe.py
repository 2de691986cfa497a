"""A run's training recipe set beside the article's (chapter 3, the first chapter that trains).

    views.table(recipe.rows(exp.cfg, recipe.ARTICLE["paulgraham"]), recipe.HEADER)

The article gives the model, dropout, batch and BPTT length of its Paul Graham model; for what
it leaves out (optimizer, learning rate and its schedule, clipping) char-rnn's defaults stand in,
since that is the code the article's models were trained with (karpathy/char-rnn, train.lua).
"""
CHAR_RNN = {  # char-rnn's train.lua defaults, for what the article does not say
    "optimizer": "RMSprop (decay rate 0.95)",
    "lr": "0.002",
    "schedule": "multiplied by 0.97 after every epoch from the 10th on",
    "clip": "each gradient entry clamped to [-5, 5]",
    "length": "50 epochs (passes over the text)",
}

ARTICLE = {
    "paulgraham": dict(CHAR_RNN, model="LSTM, 2 layers of 512 (about 3.5M parameters)", input="one-hot",
                       dropout="0.5 after each layer", batch="100 sequences", bptt="100 characters"),
}

HEADER = ["setting", "the article (char-rnn's defaults where it is silent)", "this build"]


def schedule_words(lr_decay, every, min_lr=0.0):
    """The learning-rate schedule in words: 'halved every 1,125 updates', or 'constant'."""
    if not every or lr_decay == 1:
        return "constant"
    how = "halved" if lr_decay == 0.5 else f"multiplied by {lr_decay:g}"
    return f"{how} every {every:,} updates" + (f", never below {min_lr:g}" if min_lr else "")


def rows(cfg, article):
    """[setting, the article's, this run's] for every part of the recipe, from a Config."""
    optimizer = {"adam": "Adam", "rmsprop": "RMSprop (decay rate 0.95)"}.get(cfg.optimizer, cfg.optimizer)
    ours = {
        "model": f"{cfg.cell.upper()}, {cfg.n_layers} layer{'s' * (cfg.n_layers > 1)} of {cfg.hidden}",
        "input": f"an embedding of {cfg.embed}" if cfg.embed else "one-hot",
        "dropout": f"{cfg.dropout:g} after each layer" if cfg.dropout else "none",
        "batch": f"{cfg.batch_size} sequences",
        "bptt": f"{cfg.seq_len} characters",
        "optimizer": optimizer,
        "lr": f"{cfg.lr:g}",
        "schedule": schedule_words(cfg.lr_decay, cfg.lr_decay_every, cfg.min_lr),
        "clip": f"the gradient's norm clipped to {cfg.grad_clip:g}" if cfg.grad_clip else "none",
        "length": f"{cfg.max_steps:,} updates",
    }
    names = {"model": "model", "input": "input", "dropout": "dropout", "batch": "batch",
             "bptt": "truncated BPTT length", "optimizer": "optimizer", "lr": "learning rate",
             "schedule": "learning-rate schedule", "clip": "gradient clipping", "length": "training length"}
    return [[names[k], article[k], ours[k]] for k in names]
