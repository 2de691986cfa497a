"""What the book's chapters call, kept apart from the library a char-rnn user needs. One home
per concept: sentences in prose*, figures in plots*, HTML in views, numbers in the topic
modules (pure computation, no display code). The chapters that call each module:

    glue          every chapter   numbers and sentences recorded for the prose (myst-nb glue;
                                  md=True for a sentence with markup, cited with {glue:md})
    prose         1-8             sentences chosen from the run's numbers (shared pieces and the
                                  article's datasets), so that the prose stays true
    prose_inside  9, 10           the same for "What is going on inside"
    prose_course  11-14           the same for Part III's tasks
    prose_compare 15-17           the same for Part III's comparisons (LSTM and GPT, characters and
                                  words, sampling strategies)
    prose_parallel 18             the same for chapter 18
    recipe        3               a run's training recipe beside the article's (char-rnn's defaults)
    plots         1, 2, 9, 10     the article's figures (and 3-10 through experiment)
    plots_course  11, 13-15, 17, 18  Part III's figures
    views         2-17            every HTML view: tables, score tables, samples, top-5, neurons,
                                  formulas typeset
    slider        2               the temperature slider, live in Jupyter, static in the book
                                  (and 3-10 through experiment)
    live          3-10, 18        the in-browser sampler and neuron view of a page's own model
    experiment    3-10, 17        a dataset chapter's steps: load, describe, train, plot, glue the
                                  facts, sample, compare with held-out text and an untrained model
    measures      2-9, 17         checks on text: real words, dialogue turns, nesting, loops, the
                                  order of learning, the surface of a corpus
    syntax        6, 7            LaTeX environments and C syntax (gcc; c_prelude.h: its headers)
    typeset       6               which of a sample's formulas KaTeX can typeset
    names         8               name lists, where a generated name comes from, a bigram yardstick
    features      5, 10           what a cell tracks: input features and their correlation with cells
    ngram         10              the paper's Kneser-Ney n-gram baseline, losses by brace distance
    context_cost  15, 18          what one more generated character costs: LSTM against GPT (and minGRU)
    diversity     17              sampling strategies: diversity against quality
    exercises     every chapter   the workbook: check() answers Not yet / Correct / Not quite,
                                  quiz() the self-check quiz, predict() a predict-then-run guess
    grade         (instructors)   `python -m rnnkit.book.grade`: run students' notebooks, list
                                  what each check said

Imports run one way: the library (rnnkit/*.py) and the course's tasks never import this package.
Needs the `book` extra (matplotlib, ipywidgets): `pip install "rnnkit[book]"`.
"""
