"""glue(): records values for the prose with myst-nb, and works without it (Colab)."""
import builtins

from rnnkit.book import glue as g


def test_glue_returns_the_value_and_records_it_with_myst_nb(capsys):
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata))
    try:
        assert g.glue("k_text", "3 of 4") == "3 of 4"
        assert g.glue("k_num", 1.5) == 1.5
        assert g.glue("k_md", "**T = 0**", md=True) == "**T = 0**"
    finally:
        InteractiveShell.clear_instance()
    (text, meta), (num, _), (md, md_meta) = shown
    assert meta["scrapbook"]["name"] == "k_text"
    assert text[meta["scrapbook"]["mime_prefix"] + "text/plain"] == "3 of 4"  # no quotes around it
    assert any(v == "1.5" for v in num.values())
    # a Markdown sentence: {glue:md} typesets its markup; text/plain is the fallback
    assert md[md_meta["scrapbook"]["mime_prefix"] + "text/markdown"] == "**T = 0**"
    assert f'{md_meta["scrapbook"]["mime_prefix"]}text/plain' in md


def test_plain_strings_show_without_quotes():
    assert repr(g._Plain("a b")) == "a b" and str(g._Plain("x")) == "x"


def test_without_myst_nb_glue_only_returns_or_displays(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_myst(name, *args, **kw):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    assert g.glue("k", 7) == 7
    assert capsys.readouterr().out == ""
    assert g.glue("k", 8, display=True) == 8
    assert capsys.readouterr().out.strip() == "8"
