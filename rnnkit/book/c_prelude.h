/* Stand-ins for the kernel headers a sample would #include: the common types, attribute
 * macros and iterator macros, so that ordinary kernel code is not rejected for a missing
 * header. Everything here is the kernel's own spelling, with a dummy meaning.
 * rnnkit.book.syntax puts this before every piece of C it gives to gcc -fsyntax-only. */
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
