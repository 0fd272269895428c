// The binary facts of a kernel build that module code and the loader depend on, each measured by
// compiling one C expression against the build's own headers (probe.ts). Module code reads these
// fields directly (`current->pid` is a load at an offset), so they must be the build's, not
// typed in by hand for one kernel. One entry per fact; add a fact by adding an entry.
//
// Every expression must compile on every kernel modfs can emulate (5.4 to 6.12 here).
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
] as const;

export type ProbeKey = (typeof PROBE_FIELDS)[number][0];
export type ProbeFacts = Record<ProbeKey, number>;

/** Headers the probe includes; each must exist in every supported release. */
export const PROBE_INCLUDES = ['linux/module.h', 'linux/vermagic.h', 'linux/version.h', 'linux/sched.h', 'linux/cred.h', 'linux/slab.h'];
