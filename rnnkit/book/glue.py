"""Small helpers the chapters share with the book build (kept out of the notebooks)."""


class _Plain(str):
    """A string whose repr is itself, so glued text shows without quotes in the book."""

    def __repr__(self):
        return str(self)


def glue(name, value, display=False, md=False):
    """Record `value` under `name` so the book's prose can cite it ({glue:}`name`).

    md=True records a sentence as Markdown, for the prose's {glue:md}`name:myst`: its `code`,
    *emphasis* and $math$ are then typeset instead of shown as typed (text/plain keeps them raw).
    Uses myst-nb when it is installed (the book build); in Colab or a bare Jupyter, where it
    is not, it shows the value if asked to and otherwise does nothing.
    """
    try:
        from myst_nb import glue as _glue
    except ImportError:
        if display:
            from IPython.display import display as _show
            _show(value)
        return value
    if md:
        from IPython.display import Markdown
        _glue(name, Markdown(value), display=display)
    else:
        _glue(name, _Plain(value) if isinstance(value, str) else value, display=display)
    return value
