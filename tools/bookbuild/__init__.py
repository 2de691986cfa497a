"""The book build, in the order it runs (tools/build_book.py is the command):

    mirror    the corpus mirror a checkout uses by default (also read by the Makefile and the tests)
    sources   the chapters in _toc.yml's order, copied into _build/src with the static files
    instructor  the instructor's book: solutions/ put into the copied chapters (--instructor only)
    deps      which library files a chapter depends on, read from the imports (ast)
    cache     the execution cache: keys, entries, merging stored outputs into a chapter
    execute   running the chapters with papermill, through the cache, several at a time
    progress  the build log: one line per chapter and the time left
    finish    the pages: jupyter-book build and the patches to the theme's HTML
"""
