"""What the book's chapters call, kept apart from the library a char-rnn user needs. One home
per concept: sentences in prose*, figures in plots*, HTML in views, numbers in the topic
modules (pure computation, no display code). The chapters that call each module:

    glue          every chapter   numbers and sentences recorded for the prose (myst-nb glue)
    prose         1-10            sentences chosen from the run's numbers (shared pieces and the
                                  article's chapters), so that the prose stays true
    prose_course  11-17           the same for Part III
    prose_parallel 18             the same for chapter 18 (a module of its own: prose_course is full)
    plots         1, 2, 9, 10     the article's figures (and 3-10 through experiment)
    plots_course  11, 13-15, 17, 18  Part III's figures
    views         2-17            every HTML view: tables, score tables, samples, top-5, neurons
    slider        2               the temperature slider, live in Jupyter, static in the book
                                  (and 3-10 through experiment)
    live          3-10, 18        the in-browser sampler and neuron view of a page's own model
    experiment    3-10, 17        a dataset chapter's steps: load, describe, train, plot, glue the
                                  facts, sample, compare with held-out text and an untrained model
    measures      3-9, 17         checks on text: real words, dialogue turns, nesting, loops, the
                                  order of learning
    syntax        6, 7            LaTeX environments and C syntax (gcc; c_prelude.h: its headers)
    names         8               name lists, where a generated name comes from, a bigram yardstick
    features      5, 10           what a cell tracks: input features and their correlation with cells
    ngram         10              the paper's Kneser-Ney n-gram baseline, losses by brace distance
    context_cost  15, 18          what one more generated character costs: LSTM against GPT (and minGRU)
    diversity     17              sampling strategies: diversity against quality

Imports run one way: the library (rnnkit/*.py) and the course's tasks never import this package.
Needs the `book` extra (matplotlib, ipywidgets): `pip install "rnnkit[book]"`.
"""
