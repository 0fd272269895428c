// The binary facts of a kernel build that module code and the loader depend on, each measured by
// compiling one C expression against the build's own headers (probe.ts). Module code reads these
// fields directly (`current->pid` is a load at an offset), so they must be the build's, not
// typed in by hand for one kernel. One entry per fact; add a fact by adding an entry.
//
// Every expression must compile on every kernel modfs can emulate (5.4 to 6.12 here); where a
// field moved, PROBE_ALTERNATIVES gives the expression for the releases before the change.
export const PROBE_FIELDS = [
  ['versionCode', 'LINUX_VERSION_CODE'],
  // struct module: the loader reads name, init and exit from the module's copy and writes state.
  ['moduleSize', 'sizeof(struct module)'],
  ['moduleState', 'offsetof(struct module, state)'],
  ['moduleName', 'offsetof(struct module, name)'],
  ['moduleNameLen', 'MODULE_NAME_LEN'],
  ['moduleInit', 'offsetof(struct module, init)'],
  ['moduleExit', 'offsetof(struct module, exit)'],
  // struct task_struct: what modules read through `current`.
  ['taskSize', 'sizeof(struct task_struct)'],
  ['taskPid', 'offsetof(struct task_struct, pid)'],
  ['taskTgid', 'offsetof(struct task_struct, tgid)'],
  ['taskComm', 'offsetof(struct task_struct, comm)'],
  ['taskCommLen', 'TASK_COMM_LEN'],
  ['taskRealCred', 'offsetof(struct task_struct, real_cred)'],
  ['taskCred', 'offsetof(struct task_struct, cred)'],
  // struct cred: current_uid() and friends.
  ['credSize', 'sizeof(struct cred)'],
  ['credUid', 'offsetof(struct cred, uid)'],
  ['credGid', 'offsetof(struct cred, gid)'],
  ['credSuid', 'offsetof(struct cred, suid)'],
  ['credSgid', 'offsetof(struct cred, sgid)'],
  ['credEuid', 'offsetof(struct cred, euid)'],
  ['credEgid', 'offsetof(struct cred, egid)'],
  ['credFsuid', 'offsetof(struct cred, fsuid)'],
  ['credFsgid', 'offsetof(struct cred, fsgid)'],
  // kmalloc(constant) indexes kmalloc_caches inline: the table's shape is part of the ABI.
  ['kmallocCachesSize', 'sizeof(kmalloc_caches)'],
  ['kmallocTypes', 'NR_KMALLOC_TYPES'],
  ['kmallocShiftHigh', 'KMALLOC_SHIFT_HIGH'],
  ['threadSize', 'THREAD_SIZE'],
  ['hz', 'HZ'],
  // vsnprintf's %pGp: how page->flags packs the flags and the fields above them (mm/debug.c).
  ['NR_PAGEFLAGS', 'NR_PAGEFLAGS'],
  ['SECTIONS_WIDTH', 'SECTIONS_WIDTH'],
  ['SECTIONS_PGSHIFT', 'SECTIONS_PGSHIFT'],
  ['SECTIONS_MASK', 'SECTIONS_MASK'],
  ['NODES_WIDTH', 'NODES_WIDTH'],
  ['NODES_PGSHIFT', 'NODES_PGSHIFT'],
  ['NODES_MASK', 'NODES_MASK'],
  ['ZONES_WIDTH', 'ZONES_WIDTH'],
  ['ZONES_PGSHIFT', 'ZONES_PGSHIFT'],
  ['ZONES_MASK', 'ZONES_MASK'],
  ['LAST_CPUPID_WIDTH', 'LAST_CPUPID_WIDTH'],
  ['LAST_CPUPID_PGSHIFT', 'LAST_CPUPID_PGSHIFT'],
  ['LAST_CPUPID_MASK', 'LAST_CPUPID_MASK'],
  ['KASAN_TAG_WIDTH', 'KASAN_TAG_WIDTH'],
  ['KASAN_TAG_PGSHIFT', 'KASAN_TAG_PGSHIFT'],
  ['KASAN_TAG_MASK', 'KASAN_TAG_MASK'],
  ['GFP_BITS_MASK', '__GFP_BITS_MASK'],
  // %pd %pD %pg %pR %pfw read these objects of the caller's.
  ['dentry.d_parent', 'offsetof(struct dentry, d_parent)'],
  ['dentry.d_name.name', 'offsetof(struct dentry, d_name.name)'],
  ['file.f_path.dentry', 'offsetof(struct file, f_path.dentry)'],
  ['resource.start', 'offsetof(struct resource, start)'],
  ['resource.end', 'offsetof(struct resource, end)'],
  ['resource.flags', 'offsetof(struct resource, flags)'],
  ['software_node.name', 'offsetof(struct software_node, name)'],
  ['software_node.parent', 'offsetof(struct software_node, parent)'],
  ['software_node.properties', 'offsetof(struct software_node, properties)'],
  ['software_node.size', 'sizeof(struct software_node)'],
  ['fwnode_handle.size', 'sizeof(struct fwnode_handle)'],
  ['fwnode_handle.ops', 'offsetof(struct fwnode_handle, ops)'],
  ['fwnode_operations.put', 'offsetof(struct fwnode_operations, put)'],
  ['fwnode_operations.get_name', 'offsetof(struct fwnode_operations, get_name)'],
  ['fwnode_operations.get_name_prefix', 'offsetof(struct fwnode_operations, get_name_prefix)'],
  ['fwnode_operations.get_parent', 'offsetof(struct fwnode_operations, get_parent)'],
  ['fwnode_operations.size', 'sizeof(struct fwnode_operations)'],
  ['block_device.bd_disk', 'offsetof(struct block_device, bd_disk)'],
  // 6.10 folded bd_partno into the low byte of __bd_flags: a u8 read there is the number either way.
  ['block_device.bd_partno', 'offsetof(struct block_device, __bd_flags)'],
  ['gendisk.disk_name', 'offsetof(struct gendisk, disk_name)'],
] as const;

/** key -> [LINUX_VERSION_CODE where the field's expression starts to apply, the expression before it]. */
export const PROBE_ALTERNATIVES: Partial<Record<string, [since: [number, number, number], before: string]>> = {
  'block_device.bd_partno': [[6, 10, 0], 'offsetof(struct block_device, bd_partno)'],
};

/** Flag-name tables (mm/debug.c builds them from <trace/events/mmflags.h>): %pGp, %pGg, %pGv. */
export const PROBE_TABLES = [
  ['page', '__def_pageflag_names'],
  ['gfp', '__def_gfpflag_names'],
  ['vma', '__def_vmaflag_names'],
] as const;
export type FlagTable = (typeof PROBE_TABLES)[number][0];
/** Room for one name in a table entry (the longest, a GFP_ name, is about 20). */
export const PROBE_NAME_LEN = 48;

export type ProbeKey = (typeof PROBE_FIELDS)[number][0];
export type ProbeFacts = Record<ProbeKey, number>;

/** Headers the probe includes; each must exist in every supported release. */
export const PROBE_INCLUDES = [
  'linux/module.h', 'linux/vermagic.h', 'linux/version.h', 'linux/sched.h', 'linux/cred.h', 'linux/slab.h',
  'linux/mm.h', 'linux/dcache.h', 'linux/fs.h', 'linux/ioport.h', 'linux/property.h', 'linux/fwnode.h',
  'linux/blk_types.h', 'linux/blkdev.h', 'linux/tracepoint.h', 'trace/events/mmflags.h',
];
