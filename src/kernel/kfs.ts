// The files kernel code creates: /proc entries (proc_create), sysfs kobjects and attributes under
// /sys/kernel, debugfs files, device nodes under /dev and their /sys/class entries. Each area of
// kernel/api/ owns a root KEntry and adds and removes entries as module code asks; vfs/ renders
// every such tree the same way (vfs/kfs-node.ts), so the rules that differ between areas (modes,
// st_size, what a read runs) are data on the entry, not code in the transport.
//
// An entry belongs to the module that created it (`owner`): unloading a module removes what it
// forgot, with the warning its area prints (each area decides, see removeOwnedBy).
import type { Module } from './module.js';

/** Who opened the file: the FUSE caller (fsuid, fsgid, thread id), as vfs's Caller. */
export interface Opener {
  uid: number;
  gid: number;
  pid: number;
}

/** An open file of a kernel area; its methods may throw KernelError (the call's errno). */
export interface KOpenFile {
  /** A promise: the read waits (a driver's interruptible sleep); abort() ends the wait. */
  read(pos: number, len: number, caller: Opener): Uint8Array | Promise<Uint8Array>;
  write?(pos: number, data: Uint8Array, caller: Opener): number | Promise<number>;
  release?(): void;
  /** The caller of a waiting read or write went away (a signal): end the wait with EINTR. */
  abort?(): void;
  /** poll(2): events ready now; `wake` is called once when that may have changed. */
  poll?(events: number, wake: () => void): number;
  /** ioctl(2): `input` holds the command's _IOC_SIZE bytes; up to outSize bytes go back. */
  ioctl?(cmd: number, arg: bigint, input: Uint8Array, outSize: number, caller: Opener): { result: number; out?: Uint8Array };
  /** lseek is refused (ESPIPE): nonseekable_open / stream_open. */
  nonseekable?: boolean;
}

export interface KFileOps {
  /** O_ACCMODE and the other open(2) flags; throws KernelError to refuse. */
  open(flags: number, opener: Opener): KOpenFile;
}

export type KEntryKind = 'dir' | 'file' | 'symlink';

export class KEntry {
  readonly children = new Map<string, KEntry>();
  parent: KEntry | undefined;
  uid = 0;
  gid = 0;
  /** st_size: 0 for procfs files unless proc_set_size, 4096 for sysfs attributes. */
  size = 0;
  ops: KFileOps | undefined;
  /** For symlinks: the target as readlink shows it. */
  target = '';
  /** The module whose code this entry runs, if any. */
  owner: Module | undefined;
  /** Set once removed: descriptors still open fail with ENODEV or EIO, as the area decides. */
  removed = false;
  /** Root opens it whatever its mode (procfs, debugfs, device nodes); kernfs files refuse. */
  rootOverride = false;
  /** What an area keeps with the entry (the proc_dir_entry's address, the kobject, ...). */
  data: unknown;
  private readonly listeners = new Set<() => void>();

  constructor(
    public name: string,
    public kind: KEntryKind,
    public mode: number,
  ) {}

  /** Add `child` under this directory; false if the name is taken (the caller's -EEXIST). */
  add(child: KEntry): boolean {
    if (this.children.has(child.name)) return false;
    child.parent = this;
    this.children.set(child.name, child);
    this.changed();
    return true;
  }

  /** Take this entry and everything under it out of the tree. */
  remove(): void {
    const mark = (e: KEntry) => {
      e.removed = true;
      for (const c of e.children.values()) mark(c);
    };
    mark(this);
    if (this.parent?.children.get(this.name) === this) {
      this.parent.children.delete(this.name);
      this.parent.changed();
    }
  }

  /** Path from the area's root, for messages ("driver/foo"). */
  path(): string {
    const parts: string[] = [];
    for (let e: KEntry | undefined = this; e?.parent; e = e.parent) parts.unshift(e.name);
    return parts.join('/');
  }

  /** Entries of this subtree, children before their parent (the order to remove them in). */
  *postorder(): Generator<KEntry> {
    for (const c of [...this.children.values()]) yield* c.postorder();
    yield this;
  }

  watch(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  changed(): void {
    for (const cb of this.listeners) cb();
  }
}

export function kdir(name: string, mode: number): KEntry {
  return new KEntry(name, 'dir', mode);
}

export function kfile(name: string, mode: number, ops: KFileOps, size = 0): KEntry {
  const e = new KEntry(name, 'file', mode);
  e.ops = ops;
  e.size = size;
  return e;
}

export function ksymlink(name: string, target: string): KEntry {
  const e = new KEntry(name, 'symlink', 0o777);
  e.target = target;
  return e;
}
