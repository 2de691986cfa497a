"""What the book's chapters call, kept apart from the library a char-rnn user needs.

    experiment  the dataset chapters' skeleton: load, describe, train, plot, glue the facts,
                sample, compare with held-out text and an untrained model, slider
    glue        numbers and sentences recorded for the prose (myst-nb glue)
    prose       sentences chosen from the run's numbers, so that the prose stays true
    slider      the temperature slider (live in Jupyter, static in the book)
    plots       every matplotlib figure
    views       every HTML view: tables, chapter 2's score tables, samples, top-5, neuron view
    measures, syntax, names, features, ngram
                the measured checks, as pure computation (no display code)

Needs the `book` extra (matplotlib, ipywidgets): `pip install "rnnkit[book]"`.
"""
