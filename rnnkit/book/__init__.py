"""What the book's chapters call, kept apart from the library a char-rnn user needs.

    experiment  the dataset chapters' skeleton: load, describe, train, plot, sample, slider
    glue        numbers and sentences recorded for the prose (myst-nb glue)
    slider      the temperature slider (live in Jupyter, static in the book)
    plots       matplotlib figures
    views       HTML views: tables, the top-5 view, the neuron view
    helo        chapter 2's tables for the "helo" example
    measures, syntax, names, features, ngram
                the measured checks, as pure computation (no display code)

Needs the `book` extra (matplotlib, ipywidgets): `pip install "rnnkit[book]"`.
"""
