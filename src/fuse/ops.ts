// The FUSE operations over a vfs tree, as plain functions that return values or throw FsError.
// serve.ts adapts them to fuse-native's callbacks; keeping them apart lets them be tested
// without mounting anything.

import { FsError, lookup } from '../vfs/node.js';
import type { Caller, DirNode, FileNode, Handle, VNode } from '../vfs/node.js';
import { E } from './errno.js';
import { attrOf, permsOf } from './stat.js';
import type { Attr, Override } from './stat.js';

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;

export interface OpsOptions {
  /** Learns the opener of `path`; called only where the tree needs it (see serve.ts). */
  callerFor(path: string): Caller;
  /** Fired when a read stays pending; returns a function to stop watching. See interrupt.ts. */
  watchRead(path: string, interrupt: () => void): () => void;
}

interface OpenFile {
  path: string;
  node: FileNode;
  handle: Handle;
}

export interface StatfsResult {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

function fail(errno: number, why?: string): never {
  throw new FsError(errno, why);
}

export class TreeOps {
  private readonly files = new Map<number, OpenFile>();
  private readonly overrides = new Map<string, Override>();
  private nextFd = 1;
  readonly mountTime = new Date();

  constructor(
    private readonly root: DirNode,
    private readonly opts: OpsOptions,
  ) {}

  get openCount(): number {
    return this.files.size;
  }

  private find(path: string): VNode {
    const node = lookup(this.root, path);
    if (!node) {
      // A chmod must not outlive the file (a module unloaded and loaded again starts afresh).
      this.overrides.delete(path);
      fail(E.ENOENT);
    }
    return node;
  }

  private file(fd: number): OpenFile {
    return this.files.get(fd) ?? fail(E.EBADF);
  }

  getattr(path: string): Attr {
    return attrOf(this.find(path), this.overrides.get(path), this.mountTime);
  }

  readdir(path: string): string[] {
    const node = this.find(path);
    if (node.kind !== 'dir') fail(E.ENOTDIR);
    return ['.', '..', ...node.children().keys()];
  }

  readlink(path: string): string {
    const node = this.find(path);
    if (node.kind !== 'symlink') fail(E.EINVAL);
    return node.target;
  }

  open(path: string, flags: number): number {
    const node = this.find(path);
    if (node.kind === 'dir') fail(E.EISDIR);
    if (node.kind !== 'file') fail(E.ELOOP);
    // sysfs (kernfs_fop_open) refuses, even to root, to open for writing a file whose mode has
    // no write bit, or for reading one with no read bit. Non-root users are already checked by
    // the kernel itself (default_permissions), so this only changes what root sees.
    const perms = permsOf(node, this.overrides.get(path));
    const acc = flags & O_ACCMODE;
    const writes = acc === O_WRONLY || acc === O_RDWR;
    const reads = acc !== O_WRONLY;
    if (writes && (perms & 0o222) === 0) fail(E.EACCES);
    if (reads && (perms & 0o444) === 0) fail(E.EACCES);
    const handle = node.open(flags, this.opts.callerFor(path));
    return this.remember({ path, node, handle });
  }

  private remember(f: OpenFile): number {
    // fuse-native reads fh as int32 and treats 0 as "no handle": stay within 1..2^31-1.
    while (this.files.has(this.nextFd)) this.nextFd = this.nextFd >= 0x7fffffff ? 1 : this.nextFd + 1;
    const fd = this.nextFd;
    this.nextFd = fd >= 0x7fffffff ? 1 : fd + 1;
    this.files.set(fd, f);
    return fd;
  }

  /**
   * Data for a read. Synchronous when the handle is; a pending read is watched so that a reader
   * who is killed meanwhile gets EINTR instead of sleeping forever (see interrupt.ts).
   */
  read(fd: number, len: number, pos: number): Uint8Array | Promise<Uint8Array> {
    const f = this.file(fd);
    const out = f.handle.read(pos, len);
    if (!(out instanceof Promise)) return out;
    return new Promise<Uint8Array>((resolve, reject) => {
      const stop = this.opts.watchRead(f.path, () => {
        try {
          f.handle.abort?.();
        } finally {
          reject(new FsError(E.EINTR));
        }
      });
      out.then(
        (v) => (stop(), resolve(v)),
        (e: unknown) => (stop(), reject(e)),
      );
    });
  }

  write(fd: number, data: Uint8Array, pos: number): number | Promise<number> {
    const f = this.file(fd);
    // A file with a write bit but no way to store (sysfs after chmod) fails with EIO, like
    // module_attr_store without a store callback.
    if (!f.handle.write) fail(E.EIO);
    const n = f.handle.write(pos, data);
    const check = (v: number): number =>
      Number.isInteger(v) && v >= 0 && v <= data.length ? v : fail(E.EIO, `write returned ${v}`);
    return n instanceof Promise ? n.then(check) : check(n);
  }

  /** truncate(2) and O_TRUNC: sysfs attributes accept any size and keep their contents. */
  truncate(path: string): void {
    if (this.find(path).kind === 'dir') fail(E.EISDIR);
  }

  ftruncate(fd: number, size: number): void {
    this.file(fd).handle.truncate?.(size);
  }

  async flush(fd: number): Promise<void> {
    await this.file(fd).handle.flush?.();
  }

  release(fd: number): void {
    const f = this.files.get(fd);
    this.files.delete(fd);
    f?.handle.release?.();
  }

  /** Root may chmod and chown sysfs files (kernfs keeps the new attributes); so may we. */
  chmod(path: string, mode: number): void {
    this.find(path);
    this.override(path).mode = mode & 0o7777;
  }

  chown(path: string, uid: number, gid: number): void {
    this.find(path);
    const ov = this.override(path);
    // (uid_t)-1 means "leave unchanged"; fuse-native hands it over as an unsigned 32-bit value.
    if (uid !== 0xffffffff && uid !== -1) ov.uid = uid;
    if (gid !== 0xffffffff && gid !== -1) ov.gid = gid;
  }

  private override(path: string): Override {
    let ov = this.overrides.get(path);
    if (!ov) this.overrides.set(path, (ov = {}));
    return ov;
  }

  utimens(path: string): void {
    this.find(path);
  }

  /**
   * Making names: kernfs has no create, mknod, link, symlink or unlink (the VFS answers EACCES
   * for O_CREAT in lookup_open, EPERM for the others), and its mkdir/rmdir/rename need
   * callbacks that /sys/module does not register, which gives EPERM too.
   */
  create(): never {
    fail(E.EACCES);
  }

  refuse(path: string): never {
    this.find(path);
    fail(E.EPERM);
  }

  refuseNew(): never {
    fail(E.EPERM);
  }

  statfs(): StatfsResult {
    // sysfs reports a 4096-byte block size, no blocks and 255-byte names.
    return { bsize: 4096, frsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, favail: 0, fsid: 0, flag: 0, namemax: 255 };
  }
}
