// The virtual tree as plain objects. vfs/ builds these from kernel state; fuse/ serves them.
// Errors are thrown as FsError with a positive errno so every layer speaks the kernel's numbers.
// Names are byte strings: one character per byte (latin1), as the kernel's names are bytes, so a
// module name that is not UTF-8 survives the round trip through a directory listing.

export class FsError extends Error {
  constructor(public readonly errno: number, message?: string) {
    super(message ?? `errno ${errno}`);
  }
}

/**
 * Who is asking: the fsuid, fsgid and thread id the kernel puts in each FUSE request header
 * (mapped into the daemon's user namespace). uid -1 means unknown (treated as unprivileged).
 */
export interface Caller {
  uid: number;
  gid: number;
  pid: number;
}

/** poll(2) bits (asm-generic/poll.h). */
export const POLL = { IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, RDNORM: 0x40, WRNORM: 0x100 } as const;
/** What a file that knows nothing of poll answers (DEFAULT_POLLMASK). */
export const DEFAULT_POLLMASK = POLL.IN | POLL.OUT | POLL.RDNORM | POLL.WRNORM;

/** The answer to an ioctl: the return value, and the bytes copied back to the caller's buffer. */
export interface IoctlResult {
  result: number;
  out?: Uint8Array;
}

export const ROOT_CALLER: Caller = { uid: 0, gid: 0, pid: 0 };

export interface NodeBase {
  /** Permission bits only (e.g. 0o644); the file type comes from `kind`. */
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * An open file. Reads and writes are positional, as FUSE delivers them; `caller` is the task
 * making this very call (the opener is passed to FileNode.open).
 */
export interface Handle {
  read(pos: number, len: number, caller?: Caller): Uint8Array | Promise<Uint8Array>;
  write?(pos: number, data: Uint8Array, caller?: Caller): number | Promise<number>;
  /** ftruncate/O_TRUNC on an open handle; sysfs attributes accept and ignore it. */
  truncate?(size: number): void;
  flush?(): void | Promise<void>;
  release?(): void;
  /** Called when the FUSE layer learns the reader went away (interrupt); unblocks pending reads. */
  abort?(): void;
  /**
   * poll(2): the events ready now. When none of `events` is, `wake` is kept and called once
   * when that may have changed (the kernel then polls again). Without it: DEFAULT_POLLMASK.
   */
  poll?(events: number, wake: () => void): number;
  /**
   * ioctl(2) in FUSE's restricted mode: `input` holds _IOC_SIZE(cmd) bytes for an _IOC_WRITE
   * command, and up to `outSize` bytes are copied back for an _IOC_READ one. Without it: ENOTTY.
   */
  ioctl?(cmd: number, arg: bigint, input: Uint8Array, outSize: number, caller: Caller): IoctlResult | Promise<IoctlResult>;
  /** A stream (pipe-like): the position is meaningless, lseek gives ESPIPE (FOPEN_NONSEEKABLE). */
  nonseekable?: boolean;
  /**
   * Contents that do not change while open may be served from the kernel's page cache, bounded
   * by st_size. Default false: every read reaches the handle (FOPEN_DIRECT_IO), as kernfs reads do.
   */
  pageCache?: boolean;
}

export interface FileNode extends NodeBase {
  kind: 'file';
  /** st_size as stat shows it (4096 for sysfs attributes, 0 for procfs files). */
  size: number | (() => number);
  /** O_ACCMODE and other flags as passed to open(2). Throws FsError to refuse. */
  open(flags: number, caller: Caller): Handle;
  /**
   * Root passes the mode checks at open (generic_permission's CAP_DAC_OVERRIDE), as on procfs;
   * without it the kernfs rule applies (EACCES even to root).
   */
  rootOverride?: boolean;
  /**
   * False once the object behind the file is gone (its module unloaded): reads and writes on a
   * descriptor opened before then fail with ENODEV, as kernfs_get_active makes them do.
   */
  active?(): boolean;
}

export interface DirNode extends NodeBase {
  kind: 'dir';
  /** Current children, in the order readdir should list them. */
  children(): Map<string, VNode>;
  /**
   * Only for directories whose entries come and go: `cb` is called after a change (it may be
   * called when nothing changed here). Returns the unsubscribe function. The FUSE layer uses it
   * to tell the kernel's dentry cache.
   */
  watch?(cb: () => void): () => void;
}

export interface SymlinkNode extends NodeBase {
  kind: 'symlink';
  target: string;
}

export type VNode = FileNode | DirNode | SymlinkNode;

/** Resolve an absolute path ("/", "/proc/modules") in a tree. */
export function lookup(root: DirNode, path: string): VNode | undefined {
  let node: VNode = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    if (node.kind !== 'dir') return undefined;
    const next: VNode | undefined = node.children().get(part);
    if (!next) return undefined;
    node = next;
  }
  return node;
}
