// The rules kernfs (fs/kernfs, fs/sysfs) applies on top of any tree of vfs nodes, and the table of
// open files. A transport (FUSE today) calls these with nodes it has resolved and the caller of
// each request, and translates the answers; nothing here knows how requests arrive.
//
// - Opening for writing a file whose mode has no write bit, or for reading one with no read bit,
//   is refused with EACCES even to root (kernfs_fop_open checks the attribute's mode).
// - Root may chmod and chown (kernfs_iop_setattr keeps the new attributes); truncation is
//   accepted and ignored on files, as sysfs attributes ignore O_TRUNC.
// - No names can be made or removed: O_CREAT gives EACCES (no ->create), the rest EPERM.
// - A descriptor whose node went away (its module unloaded) reads and writes ENODEV.

import { attrOf, permsOf, type Attr, type Override } from './attr.js';
import { DEFAULT_POLLMASK, FsError, type Caller, type DirNode, type FileNode, type Handle, type IoctlResult, type VNode } from './node.js';

const EPERM = 1;
const ENOENT = 2;
const EIO = 5;
const EBADF = 9;
const EACCES = 13;
const ENODEV = 19;
const ENOTDIR = 20;
const EISDIR = 21;
const EINVAL = 22;
const ENOTTY = 25;
const ELOOP = 40;

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;

const R_OK = 4;
const W_OK = 2;
const X_OK = 1;

export interface OpenFile {
  node: FileNode;
  handle: Handle;
  flags: number;
  caller: Caller;
}

/** What the transport needs to know about a new open file. */
export interface Opened {
  fh: number;
  /** The handle has a flush step (close(2) must wait for it and report its error). */
  flushes: boolean;
  nonseekable: boolean;
  directIo: boolean;
}

export interface StatfsResult {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namemax: number;
}

export interface SetattrChanges {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
}

function fail(errno: number, why?: string): never {
  throw new FsError(errno, why);
}

export class Kernfs {
  private readonly files = new Map<number, OpenFile>();
  private readonly dirs = new Map<number, Array<[string, VNode]>>();
  /** chmod/chown per node object: a module loaded again gets new nodes, so it starts afresh. */
  private readonly overrides = new WeakMap<VNode, Override>();
  private nextFh = 1;

  constructor(readonly root: DirNode) {}

  get openCount(): number {
    return this.files.size;
  }

  attr(node: VNode): Attr {
    return attrOf(node, this.overrides.get(node));
  }

  private newFh(): number {
    // Handles are never reused while the daemon runs, so a stale one cannot name a new file.
    return this.nextFh++;
  }

  private file(fh: number): OpenFile {
    const f = this.files.get(fh) ?? fail(EBADF);
    if (f.node.active && !f.node.active()) fail(ENODEV);
    return f;
  }

  open(node: VNode, flags: number, caller: Caller): Opened {
    if (node.kind === 'dir') fail(EISDIR);
    if (node.kind !== 'file') fail(ELOOP);
    if (node.active && !node.active()) fail(ENODEV);
    const perms = permsOf(node, this.overrides.get(node));
    const acc = flags & O_ACCMODE;
    const writes = acc === O_WRONLY || acc === O_RDWR;
    const reads = acc !== O_WRONLY;
    const override = node.rootOverride === true && caller.uid === 0;
    if (writes && (perms & 0o222) === 0 && !override) fail(EACCES);
    if (reads && (perms & 0o444) === 0 && !override) fail(EACCES);
    const handle = node.open(flags, caller);
    const fh = this.newFh();
    this.files.set(fh, { node, handle, flags, caller });
    return { fh, flushes: typeof handle.flush === 'function', nonseekable: !!handle.nonseekable, directIo: !handle.pageCache };
  }

  read(fh: number, pos: number, len: number, caller: Caller): Uint8Array | Promise<Uint8Array> {
    const f = this.file(fh);
    return f.handle.read(pos, len, caller);
  }

  write(fh: number, pos: number, data: Uint8Array, caller: Caller): number | Promise<number> {
    const f = this.file(fh);
    // A file with a write bit but no way to store (sysfs after chmod) fails with EIO, like
    // module_attr_store without a store callback.
    if (!f.handle.write) fail(EIO);
    const n = f.handle.write(pos, data, caller);
    const check = (v: number): number => (Number.isInteger(v) && v >= 0 && v <= data.length ? v : fail(EIO, `write returned ${v}`));
    return n instanceof Promise ? n.then(check) : check(n);
  }

  /** The reader went away (a signal): unblock what its handle is waiting for. */
  interrupt(fh: number): void {
    this.files.get(fh)?.handle.abort?.();
  }

  flush(fh: number): void | Promise<void> {
    const f = this.files.get(fh);
    return f?.handle.flush?.();
  }

  release(fh: number): void {
    const f = this.files.get(fh);
    this.files.delete(fh);
    f?.handle.release?.();
  }

  poll(fh: number, events: number, wake: () => void): number {
    const f = this.file(fh);
    return f.handle.poll ? f.handle.poll(events, wake) : DEFAULT_POLLMASK;
  }

  ioctl(fh: number, cmd: number, arg: bigint, input: Uint8Array, outSize: number, caller: Caller): IoctlResult | Promise<IoctlResult> {
    const f = this.file(fh);
    // vfs_ioctl answers ENOTTY for a file without unlocked_ioctl, as kernfs files are.
    if (!f.handle.ioctl) fail(ENOTTY);
    return f.handle.ioctl(cmd, arg, input, outSize, caller);
  }

  /** A directory listing, taken at opendir like a kernfs readdir walks the live list. */
  opendir(node: VNode): number {
    if (node.kind !== 'dir') fail(ENOTDIR);
    const fh = this.newFh();
    this.dirs.set(fh, [...node.children()]);
    return fh;
  }

  /** The live listing, for a transport that keeps no per-open directory state. */
  listing(node: VNode): Array<[string, VNode]> {
    if (node.kind !== 'dir') fail(ENOTDIR);
    return [...node.children()];
  }

  entries(fh: number): Array<[string, VNode]> {
    return this.dirs.get(fh) ?? fail(EBADF);
  }

  releasedir(fh: number): void {
    this.dirs.delete(fh);
  }

  readlink(node: VNode): string {
    if (node.kind !== 'symlink') fail(EINVAL);
    return node.target;
  }

  /**
   * chmod, chown, truncate. The kernel has already checked that the caller may (with
   * default_permissions it refuses chmod/chown to non-owners); kernfs keeps what root sets.
   */
  setattr(node: VNode, ch: SetattrChanges, fh?: number): Attr {
    if (ch.size !== undefined) {
      if (node.kind === 'dir') fail(EISDIR);
      if (fh !== undefined) this.files.get(fh)?.handle.truncate?.(ch.size);
    }
    if (ch.mode !== undefined || ch.uid !== undefined || ch.gid !== undefined) {
      let ov = this.overrides.get(node);
      if (!ov) this.overrides.set(node, (ov = {}));
      if (ch.mode !== undefined) ov.mode = ch.mode & 0o7777;
      if (ch.uid !== undefined) ov.uid = ch.uid;
      if (ch.gid !== undefined) ov.gid = ch.gid;
    }
    return this.attr(node);
  }

  /** access(2) for a transport without the kernel's own permission checks. */
  access(node: VNode, mask: number, caller: Caller): void {
    const a = this.attr(node);
    if (caller.uid === 0) {
      // Root passes everything but execute on a file with no execute bit at all.
      if (mask & X_OK && node.kind !== 'dir' && (a.mode & 0o111) === 0) fail(EACCES);
      return;
    }
    const shift = caller.uid === a.uid ? 6 : caller.gid === a.gid ? 3 : 0;
    const have = (a.mode >> shift) & 7;
    const want = mask & (R_OK | W_OK | X_OK);
    if ((have & want) !== want) fail(EACCES);
  }

  /** O_CREAT of a new name, mknod: lookup_open finds no ->create, so EACCES. */
  create(flags = O_CREAT): never {
    void flags;
    fail(EACCES);
  }

  /** mkdir, symlink, link of new names, and unlink/rmdir/rename of existing ones. */
  refuse(node?: VNode): never {
    if (node === undefined) fail(EPERM);
    fail(EPERM);
  }

  statfs(): StatfsResult {
    // sysfs reports a 4096-byte block size, no blocks and 255-byte names.
    return { bsize: 4096, frsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namemax: 255 };
  }

  /** Resolve a path ("/", "/proc/modules") from the root: for tests and in-process callers. */
  resolve(path: string): VNode {
    let node: VNode = this.root;
    for (const part of path.split('/')) {
      if (part === '') continue;
      if (node.kind !== 'dir') fail(ENOTDIR);
      node = node.children().get(part) ?? fail(ENOENT);
    }
    return node;
  }
}
