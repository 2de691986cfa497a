"""The book's one stylesheet without the rules no page can use.

The theme's bundle is ~400 KB (63 KB compressed) and blocks a phone's first paint; Lighthouse
finds 89% of it unused on every page (Bootstrap's components, the theme's for sites unlike
ours). A rule stays when one of its selectors names only classes and ids that appear somewhere
in the site as a word: of a page (its class and id attributes, in either quotes) or of a script
(the theme and ours add classes such as "show" at run time). Selectors it cannot judge (escapes, :is(),
:where(), :has()) stay; so do @font-face, @keyframes and the rest of the at-rules, and @media /
@supports blocks are purged inside. Conservative by design: a kept unused rule costs bytes, a
dropped used one breaks a page.

    used = site_words(html)
    css = purge(css, used)
"""
import re
from pathlib import Path

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TOKEN = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
_NOT = re.compile(r":not\([^()]*\)")
_NESTED = ("@media", "@supports", "@layer", "@container", "@document")


def site_words(html):
    """Every class and id a page of the site carries, and every word of its scripts."""
    html, words = Path(html), set()
    # every word of every page, not only its class="..." values: the views write class='...' too
    for path in [*html.rglob("*.html"), *(html / "_static").rglob("*.js")]:
        words.update(_WORD.findall(path.read_text(errors="replace")))
    return words


def _used(selector, words):
    if "\\" in selector or re.search(r":(?:is|where|has|matches|-webkit-any)\(", selector):
        return True  # not judged here: kept
    return all(t in words for t in _TOKEN.findall(_NOT.sub("", selector)))


def _split_selectors(prelude):
    """'a, b:not(.x, .y)' -> ['a', 'b:not(.x, .y)']: commas outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return parts + [prelude[start:]]


def _block_end(css, start):
    """The index of the '}' closing the block whose '{' is at start - 1 (strings skipped)."""
    depth, i, quote = 1, start, None
    while i < len(css):
        ch = css[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces in the stylesheet")


def purge(css, words):
    """css without the style rules none of whose selectors the site can match (see above)."""
    css, out, i = _COMMENT.sub("", css), [], 0
    while i < len(css):
        brace, semi = css.find("{", i), css.find(";", i)
        if brace < 0:
            out.append(css[i:].strip())
            break
        if 0 <= semi < brace and css[i:semi].lstrip().startswith("@"):  # @import, @charset
            out.append(css[i:semi + 1].strip())
            i = semi + 1
            continue
        end = _block_end(css, brace + 1)
        prelude, body = css[i:brace].strip(), css[brace + 1:end]
        if prelude.startswith(_NESTED):
            inner = purge(body, words)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s.strip() for s in _split_selectors(prelude) if _used(s, words)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
        i = end + 1
    return "\n".join(part for part in out if part.strip())
