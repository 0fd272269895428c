// Kernel exports that changed name between releases while keeping their contract. modfs
// implements each once (under the name in the first column, the 6.1 one) and offers it under
// every name of its row that the emulated build's Module.symvers exports, so a module built for
// any of those releases links. Exports whose arguments changed are not here: they are separate
// implementations in their kernel/api/ file, chosen by the build's version or config (e.g.
// __kmalloc_node_noprof and __kvmalloc_node_noprof, which take a bucket argument on 6.11+
// builds with CONFIG_SLAB_BUCKETS: api/slab.ts).
//
// Settled from the kernel sources (torvalds/linux, Debian's linux-source-6.1 and the 6.12
// headers' Module.symvers). Releases are mainline; stable series may backport.
export const EXPORT_RENAMES: ReadonlyArray<readonly [impl: string, ...others: string[]]> = [
  // 5.15 (printk indexing): printk() became a macro around _printk().
  ['_printk', 'printk'],
  // kmalloc(constant): kmem_cache_alloc_trace (<= 6.0), kmalloc_trace (6.1-6.9),
  // kmalloc_trace_noprof (6.10, memory allocation profiling), __kmalloc_cache_noprof (6.11+).
  ['kmalloc_trace', 'kmem_cache_alloc_trace', 'kmalloc_trace_noprof', '__kmalloc_cache_noprof'],
  ['kmalloc_node_trace', 'kmem_cache_alloc_node_trace', 'kmalloc_node_trace_noprof', '__kmalloc_cache_node_noprof'],
  // Allocation profiling (6.10) renamed the out-of-line allocators to *_noprof.
  ['__kmalloc', '__kmalloc_noprof'],
  // kmalloc_order_trace (<= 6.0) took the page order as a third argument, which modfs does not need.
  ['kmalloc_large', 'kmalloc_order_trace', 'kmalloc_large_noprof', '__kmalloc_large_noprof'],
  ['kmalloc_large_node', 'kmalloc_large_node_noprof', '__kmalloc_large_node_noprof'],
  ['kmem_cache_alloc', 'kmem_cache_alloc_noprof'],
  ['kmemdup', 'kmemdup_noprof'],
  ['krealloc', 'krealloc_noprof'],
  ['vmalloc', 'vmalloc_noprof'],
  ['vzalloc', 'vzalloc_noprof'],
  ['__vmalloc', '__vmalloc_noprof'],
  // 5.9: kzfree became kfree_sensitive.
  ['kfree_sensitive', 'kzfree'],
  // 6.6 (CONFIG_LIST_HARDENED): the out-of-line list checks only run when a check fails.
  ['__list_add_valid', '__list_add_valid_or_report'],
  ['__list_del_entry_valid', '__list_del_entry_valid_or_report'],
  // 6.9: strscpy() became a macro taking an optional size, calling sized_strscpy().
  ['strscpy', 'sized_strscpy'],
  // 6.2-6.14: `current` is pcpu_hot.current_task (offset 0 of the per-cpu pcpu_hot).
  ['current_task', 'pcpu_hot'],
];

const byName = new Map<string, string>();
for (const [impl, ...others] of EXPORT_RENAMES) for (const n of others) byName.set(n, impl);

/** The names an implementation may be linked under (itself first). */
export function namesOf(impl: string): string[] {
  const row = EXPORT_RENAMES.find((r) => r[0] === impl);
  return row ? [...row] : [impl];
}

/** The implementation behind an exported name, for names that are renames. */
export function implOf(name: string): string {
  return byName.get(name) ?? name;
}
