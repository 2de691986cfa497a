import math
import shutil

import pytest

from rnnkit.book import syntax

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed: the C check runs gcc")


# ----------------------------------------------------------------------------- LaTeX

def test_matched_nested_environments():
    e = syntax.latex_environments(
        "\\begin{lemma}\nText.\n\\end{lemma}\n\\begin{proof}\n\\begin{enumerate}\n"
        "\\item a\n\\end{enumerate}\n\\end{proof}\n")
    assert (e.begins, e.ends, e.matched, e.errors) == (3, 3, 3, 0)
    assert e.match_rate == 1.0
    assert e.open_at_end == [] and e.stray_ends == []


def test_proof_closed_by_lemma_is_a_mismatch():
    # the article's example of a typical error
    e = syntax.latex_environments("\\begin{proof}\nHence $x = 0$.\n\\end{lemma}\n")
    assert e.mismatched == [("proof", "lemma")]
    assert e.matched == 0 and e.match_rate == 0.0


def test_enumerate_never_closed_inside_proof():
    e = syntax.latex_environments("\\begin{proof}\n\\begin{enumerate}\n\\item x\n\\end{proof}\n")
    assert e.never_closed == ["enumerate"]
    assert e.matched == 1 and e.match_rate == 0.5


def test_stray_end_and_open_at_end_are_not_errors():
    # what cutting a piece out of a real file produces
    e = syntax.latex_environments("ends here.\n\\end{proof}\n\\begin{lemma}\nstarts here")
    assert e.stray_ends == ["proof"] and e.open_at_end == ["lemma"]
    assert e.errors == 0 and math.isnan(e.match_rate)


def test_comments_and_escaped_percent():
    e = syntax.latex_environments("50\\% \\begin{a}\n% \\end{b} in a comment\n\\end{a}\n")
    assert e.matched == 1 and e.errors == 0


def test_latex_summary_totals():
    row = syntax.latex_summary(["\\begin{a}\\end{a}", "\\begin{proof}\\end{lemma}", "\\begin{b}\\end{b}"])
    assert row["matched"] == 2 and row["mismatched"] == 1
    assert row["match rate"] == pytest.approx(2 / 3)
    assert row["top mismatches"] == [(("proof", "lemma"), 1)]


# ----------------------------------------------------------------------------- C braces

def test_braces_ignore_comments_strings_and_chars():
    code = 'int f(void) {\n\t/* { */ char c = \'{\'; // }\n\tputs("}}}");\n\treturn 0;\n}\n'
    b = syntax.brace_balance(code)
    assert (b.opens, b.closes, b.final_depth, b.underflows) == (1, 1, 0, 0) and b.balanced


def test_braces_detect_underflow_and_unclosed():
    b = syntax.brace_balance("}\nint f() { if (x) { y(); }\n")
    assert b.underflows == 1 and b.final_depth == 1 and b.max_depth == 2 and not b.balanced


def test_escaped_quote_inside_string():
    b = syntax.brace_balance('char *s = "a\\"{";\n{\n')
    assert b.opens == 1 and b.final_depth == 1


def test_complete_units_cuts_at_top_level():
    code = "int a;\nstatic int f(void)\n{\n\treturn 1;\n}\nstatic int g(void)\n{\n\tint x"
    assert syntax.complete_units(code) == "int a;\nstatic int f(void)\n{\n\treturn 1;\n}"
    assert syntax.complete_units("static int g(void)\n{\n\tint x;") == ""
    # a `}` with nothing open: keep only what came before it
    assert syntax.complete_units("int a;\n}\nint b;") == "int a;"


def test_top_level_chunks_start_after_finished_units():
    code = ("int a;\n/* c */\nint f(void)\n{\n\treturn 0;\n}\n#define X 1\nint b;\n"
            "static void g(int x,\nint y);\n")
    chunks = syntax.top_level_chunks(code, 5, 100)
    starts = {c[:5] for c in chunks}
    assert {"int a", "/* c ", "int f", "#defi", "int b", "stati"} <= starts
    assert not any(c.startswith(("{", "\treturn", "}", "int y")) for c in chunks)


# ----------------------------------------------------------------------------- C gcc

@needs_gcc
def test_gcc_accepts_kernel_idioms():
    code = """#include <linux/list.h>
static DEFINE_SPINLOCK(lock);
static LIST_HEAD(items);
struct item { struct list_head node; u32 value; };
static int __init count_items(void)
{
	struct item *it;
	int n = 0;
	list_for_each_entry(it, &items, node) {
		if (unlikely(it->value > 10))
			return -EINVAL;
		n++;
	}
	pr_info("%d items\\n", n);
	return n;
}
module_init(count_items);
SYSCALL_DEFINE2(fold, unsigned int, a, my_fancy_t, b)
{
	return a + b;
}
"""
    r = syntax.gcc_check(code)
    assert r.ok and r.parses, (r.syntax_errors, r.other_errors)


@needs_gcc
def test_gcc_syntax_error_versus_unknown_name():
    bad = syntax.gcc_check("int f(void)\n{\n\treturn 1\n}\n")  # missing ;
    assert not bad.ok and not bad.parses and bad.syntax_errors
    unknown = syntax.gcc_check("int f(void)\n{\n\treturn undeclared_thing + 1;\n}\n")
    assert not unknown.ok and unknown.parses and unknown.other_errors


@needs_gcc
def test_gcc_forgives_conditionals_cut_by_the_chunk():
    # an #endif whose #if came before the cut, and an #ifdef that the cut leaves open
    r = syntax.gcc_check("int a;\n#endif\n#ifdef CONFIG_X\nint b;\n")
    assert r.ok, (r.syntax_errors, r.other_errors)


@needs_gcc
def test_gcc_non_ascii_in_code():
    r = syntax.gcc_check("int a = \u201cb\u201d;\n")
    assert not r.parses and any("stray" in m for m in r.syntax_errors)


def test_gcc_output_that_is_not_utf8_is_read(tmp_path, monkeypatch):
    # gcc can echo a lone byte of a UTF-8 character back (seen on a kernel sample)
    fake = tmp_path / "gcc"
    fake.write_bytes(b"#!/bin/sh\ncat > /dev/null\nprintf '<stdin>:1:9: error: stray \\342\\200 in program\\n' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(syntax, "gcc_path", lambda: str(fake))
    r = syntax.gcc_check("int a = 1;")
    assert not r.ok and len(r.syntax_errors) == 1 and r.syntax_errors[0].startswith("stray")


@needs_gcc
def test_gcc_time_limit():
    r = syntax.gcc_check("int a;", timeout=1e-4)
    assert r.timed_out and not r.parses


@needs_gcc
def test_parsed_prefix_stops_before_the_broken_unit():
    good = "int a;\nstatic int f(void)\n{\n\treturn 1;\n}\n"
    broken = "static int g(void)\n{\n\tint x = ;\n\treturn x;\n}\nint b;\n"
    assert syntax.parsed_prefix(good + broken + "int c") == good.rstrip("\n")
    assert syntax.parsed_prefix(good + "int c") == good.rstrip("\n")
    assert syntax.parsed_prefix(broken) == ""
    assert syntax.parsed_prefix("}}") == ""


@needs_gcc
def test_c_summary_row():
    texts = ["int f(void)\n{\n\treturn 0;\n}\nint g(", "int f(void)\n{\n\treturn 0\n}\n", "}}} garbage {{"]
    row = syntax.c_summary(texts)
    assert row["texts"] == 3
    assert row["parses"] == pytest.approx(1 / 3) and row["compiles"] == pytest.approx(1 / 3)
    assert row["no stray }"] == pytest.approx(2 / 3)
    good = "int f(void)\n{\n\treturn 0;\n}"
    assert row["longest parsed"] == good
    assert row["parsed chars"] == pytest.approx(len(good) / sum(map(len, texts)))


def test_missing_gcc_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(syntax, "gcc_path", lambda: None)
    with pytest.raises(FileNotFoundError, match="gcc"):
        syntax.gcc_check("int a;")
