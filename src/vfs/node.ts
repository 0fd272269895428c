// The virtual tree as plain objects. vfs/ builds these from kernel state; fuse/ serves them.
// Errors are thrown as FsError with a positive errno so every layer speaks the kernel's numbers.

export class FsError extends Error {
  constructor(public readonly errno: number, message?: string) {
    super(message ?? `errno ${errno}`);
  }
}

/** Who is asking. uid -1 means unknown (treated as unprivileged where it matters). */
export interface Caller {
  uid: number;
  gid: number;
  pid: number;
}

export const ROOT_CALLER: Caller = { uid: 0, gid: 0, pid: 0 };

export interface NodeBase {
  /** Permission bits only (e.g. 0o644); the file type comes from `kind`. */
  mode: number;
  uid?: number;
  gid?: number;
}

/** An open file. Reads and writes are positional, as FUSE delivers them. */
export interface Handle {
  read(pos: number, len: number): Uint8Array | Promise<Uint8Array>;
  write?(pos: number, data: Uint8Array): number | Promise<number>;
  /** ftruncate/O_TRUNC on an open handle; sysfs attributes accept and ignore it. */
  truncate?(size: number): void;
  flush?(): void | Promise<void>;
  release?(): void;
  /** Called when the FUSE layer learns the reader went away (interrupt); unblocks pending reads. */
  abort?(): void;
}

export interface FileNode extends NodeBase {
  kind: 'file';
  /** st_size as stat shows it (4096 for sysfs attributes, 0 for procfs files). */
  size: number | (() => number);
  /** O_ACCMODE and other flags as passed to open(2). Throws FsError to refuse. */
  open(flags: number, caller: Caller): Handle;
}

export interface DirNode extends NodeBase {
  kind: 'dir';
  /** Current children, in the order readdir should list them. */
  children(): Map<string, VNode>;
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
