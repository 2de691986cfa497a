"""Measured checks for generated code-like text: does it open and close things the way real
LaTeX and C do? The article eyeballs this ("the output almost compiles"); here it is counted,
and every chapter compares the count on its samples with the same count on held-out real text
and on an untrained model.

LaTeX (chapter 6)
    latex_environments(text)   walk \\begin{X} ... \\end{X} with a stack and count matched pairs,
                               mismatches (\\begin{proof} closed by \\end{lemma}), environments
                               that an outer \\end skipped (never closed) and stray \\end's.
C (chapter 7)
    brace_balance(text)        depth of { } outside comments, strings and character literals.
    complete_units(text)       the longest prefix that ends at the top level (after a `}` or `;`
                               at depth 0): a truncated sample, cut where C could end.
    gcc_check(code)            `gcc -fsyntax-only` on PRELUDE + code, with the diagnostics split
                               into syntax errors (the parser gave up) and semantic ones
                               (undeclared names, incomplete types: unknowable without headers).
    parsed_prefix(text)        the complete units from the start that gcc parses (characters
                               of valid C, rather than pass or fail).
    top_level_chunks(text,...) pieces of real code that start at the top level, to check the
                               same way as samples.
"""
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from importlib import resources
from dataclasses import dataclass, field

# ----------------------------------------------------------------------------- LaTeX

# \begin{name} / \end{name}; a name never spans lines or holds braces
_ENV = re.compile(r"\\(begin|end)\s*\{([^{}\n]*)\}")
# % starts a comment unless escaped as \%
_TEX_COMMENT = re.compile(r"(?<!\\)%.*")


@dataclass
class Environments:
    begins: int = 0
    ends: int = 0
    matched: int = 0
    mismatched: list = field(default_factory=list)  # (opened, closed by) pairs
    never_closed: list = field(default_factory=list)  # opened, then skipped by an outer \end
    stray_ends: list = field(default_factory=list)  # \end with nothing open
    open_at_end: list = field(default_factory=list)  # still open when the text stops

    @property
    def errors(self):
        """Mistakes that cutting the text short cannot explain."""
        return len(self.mismatched) + len(self.never_closed)

    @property
    def match_rate(self):
        """Matched pairs / (matched + mismatched + never closed). Stray ends and environments
        open at the end are left out: a cut-out piece of real LaTeX has them too."""
        n = self.matched + self.errors
        return self.matched / n if n else float("nan")


def latex_environments(text):
    env = Environments()
    stack = []
    for line in text.split("\n"):
        for kind, name in _ENV.findall(_TEX_COMMENT.sub("", line)):
            name = name.strip()
            if kind == "begin":
                env.begins += 1
                stack.append(name)
                continue
            env.ends += 1
            if not stack:
                env.stray_ends.append(name)
            elif stack[-1] == name:
                stack.pop()
                env.matched += 1
            elif name in stack:
                # an outer environment closes first: the inner ones were never closed
                while stack[-1] != name:
                    env.never_closed.append(stack.pop())
                stack.pop()
                env.matched += 1
            else:
                env.mismatched.append((stack.pop(), name))
    env.open_at_end = stack
    return env


def latex_summary(texts):
    """Totals of latex_environments over several texts, as one row of a results table."""
    envs = [latex_environments(t) for t in texts]
    matched = sum(e.matched for e in envs)
    errors = sum(e.errors for e in envs)
    mismatches = Counter(p for e in envs for p in e.mismatched)
    return {
        "texts": len(texts),
        "begins": sum(e.begins for e in envs),
        "matched": matched,
        "mismatched": sum(len(e.mismatched) for e in envs),
        "never closed": sum(len(e.never_closed) for e in envs),
        "stray ends": sum(len(e.stray_ends) for e in envs),
        "match rate": matched / (matched + errors) if matched + errors else float("nan"),
        "top mismatches": mismatches.most_common(3),
    }


# ----------------------------------------------------------------------------- C: braces

def _code_mask(text):
    """For each character, True when it is code (not inside a comment, string or char literal).
    Preprocessor lines count as code. An unterminated string stops at the end of its line, as
    a C compiler would complain there and carry on."""
    mask = [True] * len(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            i += 1
            continue
        for k in range(i, j):
            mask[k] = False
        i = j
    return mask


@dataclass
class Braces:
    opens: int
    closes: int
    max_depth: int
    underflows: int  # a `}` with nothing open
    final_depth: int  # still open at the end

    @property
    def balanced(self):
        return self.underflows == 0 and self.final_depth == 0


def brace_balance(text):
    mask = _code_mask(text)
    depth = opens = closes = max_depth = underflows = 0
    for c, code in zip(text, mask):
        if not code:
            continue
        if c == "{":
            opens += 1
            depth += 1
            max_depth = max(max_depth, depth)
        elif c == "}":
            closes += 1
            if depth == 0:
                underflows += 1
            else:
                depth -= 1
    return Braces(opens, closes, max_depth, underflows, depth)


def _unit_ends(text):
    """Offsets just after each `}` or `;` at brace depth 0 (outside comments and strings), up
    to the first `}` that closes nothing."""
    mask = _code_mask(text)
    depth, ends = 0, []
    for i, (c, code) in enumerate(zip(text, mask)):
        if not code:
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                break
            depth -= 1
            if depth == 0:
                ends.append(i + 1)
        elif c == ";" and depth == 0:
            ends.append(i + 1)
    return ends


def complete_units(text):
    """The longest prefix of `text` that ends just after a `}` or `;` at brace depth 0 (outside
    comments and strings), or "" if there is none. Samples stop mid-function; this cuts them
    where a C file could end, so gcc judges what was written, not where the sampler stopped.
    A `}` with nothing open makes the rest unusable: cut before it."""
    ends = _unit_ends(text)
    return text[:ends[-1]] if ends else ""


def top_level_chunks(text, length, n):
    """Up to `n` pieces of `length` characters of real C, spread evenly over `text`, each
    starting where a sample could: at the start of a line at brace depth 0 right after a
    finished unit (a `}` or `;`, a #-line or a comment), so never inside a function body,
    a comment or a declaration that spans lines."""
    mask = _code_mask(text)
    starts, depth, last = [0], 0, ";"  # `last`: the previous significant code character
    line_is_directive = False
    for i, (c, code) in enumerate(zip(text, mask)):
        if c == "\n" and code:
            if depth == 0 and (last in ";}" or line_is_directive or last == "*/") \
                    and i + 1 < len(text) and not text[i + 1].isspace() \
                    and (mask[i + 1] or text.startswith(("/*", "//"), i + 1)):
                starts.append(i + 1)
            if line_is_directive and not text[max(0, i - 1)] == "\\":
                line_is_directive, last = False, ";"
            continue
        if not code:
            if text.startswith("*/", i - 1) and i > 0:
                last = "*/"
            continue
        if c == "#" and (i == 0 or text[i - 1] == "\n"):
            line_is_directive = True
        if c.isspace():
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        last = c
    starts = [s for s in starts if s + length <= len(text)]
    if not starts:
        return []
    step = max(1, len(starts) // n)
    return [text[s:s + length] for s in starts[::step][:n]]


# ----------------------------------------------------------------------------- C: gcc

# Stand-ins for the kernel headers a sample would #include (types, attribute and iterator
# macros), kept as C in c_prelude.h next to this module.
PRELUDE = resources.files(__package__).joinpath("c_prelude.h").read_text(encoding="utf-8")


# gcc's messages when the parser itself failed, as opposed to a name or type it could not
# resolve (which real code without its headers also hits)
SYNTAX_ERROR = re.compile(
    r"^(expected |stray |missing terminating|unterminated|invalid preprocessing directive|"
    r"#(else|elif|endif) without #if|macro \"?\S+\"? (requires|passed)|unbalanced|"
    r"empty character constant|invalid suffix|invalid digit|exponent has no digits|"
    r"storage class specified for parameter|expected declaration or statement at end of input)")
_DIAG = re.compile(r"^<stdin>:(\d+):(?:\d+:)? (error|fatal error): (.*)$", re.M)
# #include lines are dropped: the headers are not here, the prelude stands in for them
_INCLUDE = re.compile(r"^[ \t]*#[ \t]*include\b.*$", re.M)
# errors, not warnings: gcc 14 made some old warnings errors; keep the judgement the same
GCC_FLAGS = ["-fsyntax-only", "-std=gnu11", "-w", "-fmax-errors=50", "-x", "c",
             "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
             "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types"]


def gcc_path():
    return shutil.which(os.environ.get("CC", "gcc")) or shutil.which("gcc")


@dataclass
class GccResult:
    ok: bool  # gcc accepted the code (exit 0)
    syntax_errors: list  # messages that mean the parser failed
    other_errors: list  # unresolved names, incomplete types, ...
    timed_out: bool = False
    first_syntax_line: int = 0  # line of the code (1-based) of the first syntax error; 0: none

    @property
    def parses(self):
        return not self.timed_out and not self.syntax_errors


_CONDITIONAL = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b", re.M)
_TYPE_T = re.compile(r"\b[A-Za-z_]\w*_t\b")


def _prepare(code, prelude):
    """What gcc is shown: the prelude, typedefs for unknown `*_t` names, and the code with
    #include lines dropped and #if/#endif evened out. The last two repair what cutting a piece
    out of a file does (an #endif whose #if came before the cut) and what a missing header
    does (kernel style names a typedef `..._t`), so they are applied to real and generated
    text alike."""
    lines = _INCLUDE.sub("", code).split("\n")
    depth, out = 0, []
    for line in lines:
        m = _CONDITIONAL.match(line)
        if m and m.group(1).startswith("if"):
            depth += 1
        elif m and depth == 0:
            line = ""  # #else/#elif/#endif of an #if before the cut
        elif m and m.group(1) == "endif":
            depth -= 1
        out.append(line)
    body = "\n".join(out) + "\n#endif" * depth
    known = set(_TYPE_T.findall(prelude))
    extra = sorted(set(_TYPE_T.findall(body)) - known)
    typedefs = "".join(f"typedef int {t};\n" for t in extra)
    return prelude + typedefs + "#line 1\n" + body + "\n"


def gcc_check(code, timeout=10, prelude=PRELUDE):
    """Run `gcc -fsyntax-only` on the prelude and `code` (see _prepare) with a time limit."""
    gcc = gcc_path()
    if gcc is None:
        raise FileNotFoundError("gcc not found (set CC or install gcc) -- needed for the C syntax check")
    src = _prepare(code, prelude)
    try:
        # in a temp dir: nothing gcc might write lands in the caller's folder
        with tempfile.TemporaryDirectory() as tmp:
            # bytes, not text: gcc quotes a stray byte of a UTF-8 character back as it is;
            # the C locale keeps its messages in plain ASCII whatever the user's locale
            proc = subprocess.run([gcc, *GCC_FLAGS, "-"], input=src.encode("utf-8"), capture_output=True,
                                  timeout=timeout, cwd=tmp, env={**os.environ, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        return GccResult(False, [], [], timed_out=True)
    stderr = proc.stderr.decode("utf-8", errors="replace")
    syntax, other, lines = [], [], []
    for line, _, msg in _DIAG.findall(stderr):
        if SYNTAX_ERROR.match(msg):
            syntax.append(msg)
            lines.append(int(line))
        else:
            other.append(msg)
    if proc.returncode != 0 and not syntax and not other:
        other.append(stderr.strip().splitlines()[-1] if stderr.strip() else "gcc failed")
    return GccResult(proc.returncode == 0, syntax, other, first_syntax_line=min(lines, default=0))


def _parsed(units, result):
    """The part of `units` before the top-level unit in which gcc found its first syntax error
    (gcc notices an error at or after the place it is made, so this is the unit that holds it
    or, rarely, the one after)."""
    if result is None or result.timed_out:
        return ""
    if result.parses:
        return units
    line_start = sum(len(l) + 1 for l in units.split("\n")[:result.first_syntax_line - 1])
    ends = [e for e in _unit_ends(units) if e <= line_start]
    return units[:ends[-1]] if ends else ""


def parsed_prefix(text, timeout=10):
    """The longest run of complete top-level units from the start of `text` that gcc parses:
    how far a sample stays valid C, in characters, rather than pass or fail."""
    units = complete_units(text)
    return _parsed(units, gcc_check(units, timeout=timeout) if units.strip() else None)


def c_summary(texts, timeout=10):
    """One table row for a list of C texts (samples or real chunks): each text is first cut by
    complete_units; empty cuts count as failures. One gcc run per text."""
    braces = [brace_balance(t) for t in texts]
    units = [complete_units(t) for t in texts]
    results = [gcc_check(u, timeout=timeout) if u.strip() else None for u in units]
    parsed = [_parsed(u, r) for u, r in zip(units, results)]
    n = len(texts)
    syntax = Counter(m for r in results if r for m in r.syntax_errors)
    return {
        "texts": n,
        "no stray }": sum(b.underflows == 0 for b in braces) / n if n else float("nan"),
        "kept chars": sum(map(len, units)) / max(1, sum(map(len, texts))),
        "parsed chars": sum(map(len, parsed)) / max(1, sum(map(len, texts))),
        "longest parsed": max(parsed, key=len, default=""),
        "parses": sum(bool(r and r.parses) for r in results) / n if n else float("nan"),
        "compiles": sum(bool(r and r.ok) for r in results) / n if n else float("nan"),
        "top syntax errors": [_shorten(m) for m, _ in syntax.most_common(3)],
    }


def _shorten(msg):
    # drop quoted identifiers so that "expected ';' before 'foo'" and '... before bar' group
    return re.sub(r"before .*$", "before ...", msg)
