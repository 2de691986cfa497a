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

# Stand-ins for the kernel headers a sample would #include: the common types, attribute
# macros and iterator macros, so that ordinary kernel code is not rejected for a missing
# header. Everything here is the kernel's own spelling, with a dummy meaning.
PRELUDE = r"""
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32;
typedef unsigned long long u64; typedef signed char s8; typedef short s16; typedef int s32;
typedef long long s64; typedef u8 __u8; typedef u16 __u16; typedef u32 __u32; typedef u64 __u64;
typedef s8 __s8; typedef s16 __s16; typedef s32 __s32; typedef s64 __s64;
typedef u16 __le16; typedef u32 __le32; typedef u64 __le64; typedef u16 __be16; typedef u32 __be32;
typedef u64 __be64; typedef _Bool bool; enum { false = 0, true = 1 };
typedef unsigned long size_t; typedef long ssize_t; typedef long long loff_t; typedef int pid_t;
typedef unsigned int uid_t, gid_t, gfp_t, fmode_t, dev_t, slab_flags_t, __poll_t, blk_opf_t;
typedef unsigned short umode_t; typedef long time64_t, ktime_t; typedef u64 phys_addr_t, dma_addr_t;
typedef u64 sector_t, cycle_t; typedef unsigned long uintptr_t, pgoff_t, irq_hw_number_t;
typedef long intptr_t, ptrdiff_t, clock_t, time_t; typedef int irqreturn_t; typedef u32 compat_uptr_t;
typedef struct { int counter; } atomic_t; typedef struct { long counter; } atomic64_t, atomic_long_t;
typedef struct { atomic_t refs; } refcount_t; typedef struct { int v; } spinlock_t, raw_spinlock_t,
    rwlock_t, arch_spinlock_t, seqcount_t, seqlock_t, wait_queue_head_t, wait_queue_entry_t;
typedef struct { unsigned long bits[1]; } cpumask_t, nodemask_t; typedef cpumask_t *cpumask_var_t;
typedef struct { uid_t val; } kuid_t; typedef struct { gid_t val; } kgid_t;
typedef struct { unsigned long v; } local_t, pte_t, pgd_t, pmd_t, pgprot_t;
typedef __builtin_va_list va_list;
struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; }; struct hlist_head { struct hlist_node *first; };
struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *); };
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *); };
struct llist_node { struct llist_node *next; }; struct llist_head { struct llist_node *first; };
struct rb_node { unsigned long __rb_parent_color; struct rb_node *rb_right, *rb_left; };
struct rb_root { struct rb_node *rb_node; }; struct rb_root_cached { struct rb_root rb_root; };
struct kref { refcount_t refcount; }; struct mutex { long owner; }; struct rw_semaphore { long count; };
struct semaphore { int count; }; struct completion { unsigned int done; };
struct work_struct { long data; }; struct delayed_work { struct work_struct work; };
struct irq_work { long flags; }; struct timer_list { unsigned long expires; };
struct hrtimer { long expires; }; struct timespec64 { time64_t tv_sec; long tv_nsec; };
struct static_key { int enabled; }; struct static_key_false { struct static_key key; };
struct static_key_true { struct static_key key; }; struct percpu_ref { long count; };
struct lock_class_key { int v; }; struct ratelimit_state { int v; };
#define NULL ((void *)0)
#define __init
#define __exit
#define __initdata
#define __initconst
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned
#define __cacheline_aligned_in_smp
#define ____cacheline_aligned
#define __user
#define __kernel
#define __iomem
#define __percpu
#define __rcu
#define __force
#define __bitwise
#define __must_check
#define __always_inline inline
#define noinline
#define notrace
#define __visible
#define asmlinkage
#define __weak
#define __used
#define __maybe_unused
#define __always_unused
#define __noreturn
#define __cold
#define __sched
#define __packed
#define __aligned(x)
#define __section(x)
#define __printf(a, b)
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __cond_lock(x, c) (c)
#define __noinstr_section(x)
#define noinstr
#define fallthrough do {} while (0)
#define likely(x) (x)
#define unlikely(x) (x)
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, v) ((x) = (v))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))
#define BUG_ON(c) ((void)(c))
#define WARN_ON(c) (c)
#define WARN_ON_ONCE(c) (c)
#define WARN(c, ...) (c)
#define WARN_ONCE(c, ...) (c)
#define container_of(p, type, member) ((type *)(p))
#define offsetof(t, m) __builtin_offsetof(t, m)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define EXPORT_SYMBOL(s) extern int __export_##s
#define EXPORT_SYMBOL_GPL(s) extern int __export_##s
#define EXPORT_SYMBOL_NS_GPL(s, ns) extern int __export_##s
#define EXPORT_PER_CPU_SYMBOL(s) extern int __export_##s
#define EXPORT_PER_CPU_SYMBOL_GPL(s) extern int __export_##s
#define EXPORT_TRACEPOINT_SYMBOL_GPL(s) extern int __export_##s
#define module_init(f) extern int __init_##f
#define module_exit(f) extern int __exit_##f
#define core_initcall(f) extern int __initcall_##f
#define postcore_initcall(f) extern int __initcall_##f
#define arch_initcall(f) extern int __initcall_##f
#define subsys_initcall(f) extern int __initcall_##f
#define fs_initcall(f) extern int __initcall_##f
#define device_initcall(f) extern int __initcall_##f
#define late_initcall(f) extern int __initcall_##f
#define early_initcall(f) extern int __initcall_##f
#define __setup(s, f) extern int __setup_##f
#define early_param(s, f) extern int __setup_##f
#define core_param(n, v, t, p) extern int __param_##n
#define module_param(n, t, p) extern int __param_##n
#define module_param_named(n, v, t, p) extern int __param_##n
#define MODULE_LICENSE(s) extern int __mod_licence
#define MODULE_AUTHOR(s) extern int __mod_author
#define MODULE_DESCRIPTION(s) extern int __mod_description
#define MODULE_PARM_DESC(n, s) extern int __mod_parm_##n
#define DEFINE_MUTEX(n) struct mutex n
#define DEFINE_SPINLOCK(n) spinlock_t n
#define DEFINE_RAW_SPINLOCK(n) raw_spinlock_t n
#define DEFINE_RWLOCK(n) rwlock_t n
#define DECLARE_RWSEM(n) struct rw_semaphore n
#define DEFINE_PER_CPU(t, n) t n
#define DECLARE_PER_CPU(t, n) extern t n
#define DEFINE_PER_CPU_READ_MOSTLY(t, n) t n
#define DEFINE_STATIC_KEY_FALSE(n) struct static_key_false n
#define DEFINE_STATIC_KEY_TRUE(n) struct static_key_true n
#define DECLARE_WAIT_QUEUE_HEAD(n) wait_queue_head_t n
#define DECLARE_COMPLETION(n) struct completion n
#define DECLARE_WORK(n, f) struct work_struct n
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n
#define DECLARE_BITMAP(n, bits) unsigned long n[((bits) + 63) / 64]
#define LIST_HEAD(n) struct list_head n
#define HLIST_HEAD(n) struct hlist_head n
#define DEFINE_IDR(n) int n
#define DEFINE_IDA(n) int n
#define DEFINE_RATELIMIT_STATE(n, i, b) struct ratelimit_state n
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) for (pos = (head)->next, n = pos; pos != (head); pos = n)
#define list_for_each_entry(pos, head, member) for (pos = 0; pos; )
#define list_for_each_entry_rcu(pos, head, member, ...) for (pos = 0; pos; )
#define list_for_each_entry_safe(pos, n, head, member) for (pos = 0, n = 0; pos; )
#define list_for_each_entry_reverse(pos, head, member) for (pos = 0; pos; )
#define list_for_each_entry_continue(pos, head, member) for (; pos; )
#define hlist_for_each_entry(pos, head, member) for (pos = 0; pos; )
#define hlist_for_each_entry_rcu(pos, head, member, ...) for (pos = 0; pos; )
#define hlist_for_each_entry_safe(pos, n, head, member) for (pos = 0; pos; )
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_online_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_present_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_cpu(cpu, mask) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_process(p) for (p = 0; p; )
#define for_each_thread(p, t) for (t = 0; t; )
#define for_each_process_thread(p, t) for (p = 0, t = 0; t; )
#define rcu_dereference(p) (p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_dereference_raw(p) (p)
#define rcu_assign_pointer(p, v) ((p) = (v))
#define per_cpu(v, cpu) (v)
#define per_cpu_ptr(p, cpu) (p)
#define this_cpu_ptr(p) (p)
#define this_cpu_read(v) (v)
#define this_cpu_write(v, x) ((v) = (x))
#define this_cpu_inc(v) ((v)++)
#define this_cpu_dec(v) ((v)--)
#define __this_cpu_read(v) (v)
#define __this_cpu_write(v, x) ((v) = (x))
#define smp_processor_id() 0
#define current ((struct task_struct *)0)
#define jiffies 0UL
#define HZ 100
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define BITS_PER_LONG 64
#define NR_CPUS 64
#define GFP_KERNEL 0u
#define GFP_ATOMIC 0u
#define GFP_NOWAIT 0u
#define __GFP_ZERO 0u
#define __GFP_NOWARN 0u
#define KERN_EMERG ""
#define KERN_ALERT ""
#define KERN_CRIT ""
#define KERN_ERR ""
#define KERN_WARNING ""
#define KERN_NOTICE ""
#define KERN_INFO ""
#define KERN_DEBUG ""
#define KERN_CONT ""
#define pr_fmt(fmt) fmt
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EINVAL 22
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define ENOSYS 38
#define ENODATA 61
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define EALREADY 114
#define ERESTARTSYS 512
#define ENOTSUPP 524
#define SYSCALL_DEFINE0(n) long sys_##n(void)
#define SYSCALL_DEFINE1(n, t1, a1) long sys##n(t1 a1)
#define SYSCALL_DEFINE2(n, t1, a1, t2, a2) long sys##n(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(n, t1, a1, t2, a2, t3, a3) long sys##n(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(n, t1, a1, t2, a2, t3, a3, t4, a4) long sys##n(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(n, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    long sys##n(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(n, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    long sys##n(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)
#define COMPAT_SYSCALL_DEFINE1(n, t1, a1) long compat_sys##n(t1 a1)
#define COMPAT_SYSCALL_DEFINE2(n, t1, a1, t2, a2) long compat_sys##n(t1 a1, t2 a2)
#define COMPAT_SYSCALL_DEFINE3(n, t1, a1, t2, a2, t3, a3) long compat_sys##n(t1 a1, t2 a2, t3 a3)
#define COMPAT_SYSCALL_DEFINE4(n, t1, a1, t2, a2, t3, a3, t4, a4) \
    long compat_sys##n(t1 a1, t2 a2, t3 a3, t4 a4)
"""

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
