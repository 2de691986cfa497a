"""Which formulas of a LaTeX sample KaTeX can typeset: chapter 6 shows a few of the model's
inline formulas typeset, as the article showed its samples rendered, and must pick only those
that render without an error.

    inline_math(text)          the $...$ formulas of a text, in order
    typesets(tex)              True when KaTeX renders the formula without an error
    typesettable(texts, k)     up to k distinct formulas of the texts that typeset
    census(texts)              (how many of the texts' inline formulas typeset, how many there are)

The check is a small parser of the part of TeX that KaTeX accepts, kept strict: every command
must be one KaTeX knows (COMMANDS, with how many arguments it takes; the Stacks project's own
macros such as \\Spec are not among them), braces balance, every ^ and _ has something to
apply to and each base gets at most one of each, and no character that KaTeX rejects in math
($ # % & ~) appears. A formula it accepts renders; tests/book/test_typeset.py checks that with
KaTeX itself in a browser, on real formulas of the Stacks project.
"""
import re

# KaTeX commands and how many arguments each takes. Symbols take none.
_SYMBOLS = """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi
Pi Sigma Upsilon Phi Psi Omega to rightarrow leftarrow longrightarrow longleftarrow Rightarrow
Leftarrow Leftrightarrow leftrightarrow mapsto longmapsto hookrightarrow twoheadrightarrow times
otimes oplus circ cdot cdots ldots dots vdots ddots subset subseteq supset supseteq in ni notin cap
cup bigcup bigcap bigoplus bigotimes prod coprod sum lim colon emptyset infty partial leq geq le ge
neq ne cong simeq sim equiv prime ell wedge vee ker dim deg log exp max min sup inf det hom mod bmod
langle rangle lbrace rbrace quad qquad star ast bullet setminus mid nabla forall exists neg amalg
varinjlim varprojlim injlim projlim liminf limsup approx propto perp parallel Im Re aleph emptyset
triangle otimes""".split()
_ONE = """mathcal mathbf mathbb mathfrak mathrm mathit mathsf mathscr mathop operatorname overline
underline widetilde tilde hat widehat bar vec dot check sqrt xrightarrow xleftarrow""".split()
_TEXT = "text textit textbf textrm mbox".split()  # one argument, read as plain text
COMMANDS = {**{c: 0 for c in _SYMBOLS}, **{c: 1 for c in _ONE + _TEXT}, "frac": 2, "dfrac": 2, "binom": 2}
_ESCAPES = set(",;:! {}|_$%&#")  # \, \; \{ ... : spacing and escaped characters
_REJECT = set("$#%&~")  # characters KaTeX refuses in math (or, for %, that would end it)
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-=<>,.;:()[]|/*!?")
_NAME = re.compile(r"[A-Za-z]+")
INLINE = re.compile(r"(?<![\\$])\$([^$\n]{1,120})\$(?!\$)")


class _Bad(Exception):
    """The formula would not typeset."""


def inline_math(text):
    """The inline formulas of a text, without their dollar signs, in order ($$...$$ excluded)."""
    return [m.group(1) for m in INLINE.finditer(text)]


def typesets(tex):
    """True when KaTeX would typeset `tex` (an inline formula without its dollars) without error."""
    if not tex.strip() or not tex.isascii():
        return False
    try:
        return _sequence(tex, 0, inside=False) == len(tex)
    except _Bad:
        return False


def typesettable(texts, k=4, min_len=3):
    """Up to k distinct inline formulas of the texts (at least min_len characters, so that a
    lone $X$ does not fill the list) that KaTeX typesets: those with a command, a superscript or
    a subscript first (they show what typesetting does), each group in the order they occur."""
    found = []
    for text in texts:
        for tex in inline_math(text):
            if len(tex.strip()) >= min_len and tex not in found and typesets(tex):
                found.append(tex)
    rich = [tex for tex in found if re.search(r"[\\^_]", tex)]
    return (rich + [tex for tex in found if tex not in rich])[:k]


def census(texts):
    """(typesetting, all): how many of the texts' inline formulas KaTeX typesets, of how many."""
    found = [tex for text in texts for tex in inline_math(text)]
    return sum(map(typesets, found)), len(found)


def _sequence(s, i, inside):
    """Parse atoms from i up to the end (inside=False) or the closing brace (inside=True);
    returns the index after it. Tracks, per base, whether it already has a ^ and a _."""
    sup = sub = False
    while i < len(s):
        c = s[i]
        if c == "}":
            if not inside:
                raise _Bad("a } closes nothing")
            return i + 1
        if c.isspace():
            i += 1
            continue
        if c in "^_":
            if (sup if c == "^" else sub):
                raise _Bad("double superscript or subscript")
            sup, sub = (True, sub) if c == "^" else (sup, True)
            i = _argument(s, i + 1)
            continue
        if c == "'":
            if sup:
                raise _Bad("a prime after a superscript")
            i += 1
            continue
        sup = sub = False  # a new base
        if c not in _PLAIN and c not in "{\\":
            raise _Bad(f"{c} in math")
        i = _sequence(s, i + 1, inside=True) if c == "{" else _command(s, i) if c == "\\" else i + 1
    if inside:
        raise _Bad("an unclosed {")
    return i


def _argument(s, i, text=False):
    """One argument: a {group} or a single token (a character, or a command with no argument)."""
    while i < len(s) and s[i].isspace():
        i += 1
    if i >= len(s):
        raise _Bad("an argument is missing")
    c = s[i]
    if c == "{":
        if text:  # plain text inside: no math, no commands
            end = s.find("}", i)
            if end < 0 or any(ch in "{\\^_$" for ch in s[i + 1:end]):
                raise _Bad("text argument")
            return end + 1
        return _sequence(s, i + 1, inside=True)
    if c == "\\":
        name = _NAME.match(s, i + 1)
        if name and COMMANDS.get(name.group()):  # KaTeX: a command with arguments needs braces here
            raise _Bad("a command with arguments as a bare argument")
        return _command(s, i)
    if c not in _PLAIN:
        raise _Bad("an argument is missing")
    return i + 1


def _command(s, i):
    """A command at s[i] == '\\' with its arguments; returns the index after them."""
    m = _NAME.match(s, i + 1)
    if not m:
        if i + 1 < len(s) and s[i + 1] in _ESCAPES:
            return i + 2
        raise _Bad("an unknown escape")
    name = m.group()
    if name not in COMMANDS:
        raise _Bad(f"\\{name} is not a KaTeX command")
    end = m.end()
    for _ in range(COMMANDS[name]):
        end = _argument(s, end, text=name in _TEXT)
    return end
