"""rnnkit.book.typeset: the model's inline formulas that KaTeX can typeset, checked against
KaTeX itself (in Chromium) on real formulas of the Stacks project."""
import subprocess
from pathlib import Path

import pytest

from rnnkit.book import typeset as T

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "vendor" / "static" / "rnnkit-vendor" / "katex" / "katex.min.js"

GOOD = ["X \\subset \\mathbf{P}^n", "f : X \\to S", "\\mathcal{O}_X", "x^2_i", "f'^2", "\\frac{a}{b}", "\\text{if } x",
        "\\{x\\}", "U_i \\times_S V", "\\lim_{n} M_n", "x^\\prime", "x^{\\mathcal{F}}", "H^1(X, \\mathcal{F})"]
BAD = ["x^a^b", "\\Spec(R)", "{x", "x^", "\\frac{a}", "x^\\mathcal{F}", "a & b", "\\left( x", "x_{1", "x}", "f^2'",
       "\\text{$x$}", "\\\\", "\\mathcal", "x_\\frac{1}{2}", "50%", "caf\u00e9", "x ~ y", "a \"b\""]


def test_the_check_accepts_what_katex_typesets_and_refuses_the_rest():
    assert [f for f in GOOD if not T.typesets(f)] == []
    assert [f for f in BAD if T.typesets(f)] == []
    assert not T.typesets("") and not T.typesets("   ")


def test_inline_formulas_in_order_without_display_math():
    text = "Let $X$ be a scheme and $U \\subset X$ open. $$x$$ costs \\$5 and \\$6."
    assert T.inline_math(text) == ["X", "U \\subset X"]


def test_typesettable_prefers_formulas_with_commands_and_counts_them():
    texts = ["$abc$ and $x^2$, $\\alpha + b$, $\\Spec(R)$", "$yyyy$ again $x^2$ and $a$"]
    assert T.typesettable(texts, k=3) == ["x^2", "\\alpha + b", "abc"]
    assert T.typesettable(texts, k=10) == ["x^2", "\\alpha + b", "abc", "yyyy"]  # distinct; $a$ too short
    assert T.census(texts) == (6, 7)  # every formula but \Spec(R)
    assert T.typesettable(["no formula here"]) == [] and T.census([]) == (0, 0)


@pytest.fixture(scope="module")
def katex_page(browser):
    if not KATEX.is_file():
        subprocess.run(["bash", str(ROOT / "tools" / "vendor.sh")], check=True)
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(KATEX))
    yield page
    page.close()


def katex_errors(page, formulas):
    """KaTeX's own verdict: the error message for each formula, or None where it renders."""
    return page.evaluate("""fs => fs.map(f => {
        try { katex.renderToString(f, {throwOnError: true}); return null; } catch (e) { return e.message; } })""",
                         formulas)


def test_katex_renders_every_real_formula_the_check_accepts(katex_page, mirror):
    from rnnkit import data
    text = data.load("latex")[:400_000]  # the Stacks project, as chapter 6 trains on it
    found = T.inline_math(text)
    accepted = sorted({f for f in found if T.typesets(f)})
    assert len(found) > 1000 and len(accepted) > 300  # a real test: hundreds of distinct formulas
    errors = {f: e for f, e in zip(accepted, katex_errors(katex_page, accepted)) if e}
    assert not errors, errors
    assert katex_errors(katex_page, GOOD) == [None] * len(GOOD)
    # the harness does see KaTeX's errors: formulas the check refuses that KaTeX refuses too
    assert all(katex_errors(katex_page, ["x^a^b", "\\Spec(R)", "{x", "x^", "\\frac{a}"]))
