// Serving a vfs tree over FUSE with fuse-native.

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import type { DirNode } from '../vfs/node.js';
import { loadFuse } from './binding.js';
import type { FuseInstance } from './binding.js';
import { UNKNOWN_CALLER, findOpener } from './caller.js';
import { errnoOf } from './errno.js';
import { ReadWatcher } from './interrupt.js';
import { TreeOps } from './ops.js';

export interface ServeOptions {
  /** Let other users in (needs root, or user_allow_other). Default: true when running as root. */
  allowOther?: boolean;
  /** libfuse's request trace on stderr. */
  debug?: boolean;
  /**
   * Paths whose FileNode.open needs a real Caller (address hiding). Finding the caller scans
   * /proc, so it is kept off other paths, which get uid -1. Default: defaultCallerPaths.
   */
  callerPaths?: (path: string) => boolean;
  /**
   * Kernel dentry/attribute cache lifetimes in seconds (libfuse defaults: 1). With 0, a
   * directory removed inside the daemon (rmmod) disappears at once; otherwise `stat` may still
   * find it for up to a second. Each costs extra requests per path walk.
   */
  entryTimeout?: number;
  attrTimeout?: number;
}

export interface Served {
  mountpoint: string;
  unmount(): Promise<void>;
}

/** Files whose contents depend on the reader's privilege in Linux (kallsyms_show_value). */
export function defaultCallerPaths(path: string): boolean {
  return path === '/proc/modules' || path === '/proc/kallsyms' || /^\/sys\/module\/[^/]+\/sections\//.test(path);
}

type Cb = (...args: unknown[]) => void;

/**
 * Wrap an operation so that nothing it does can kill the daemon: a throw, a rejected promise or a
 * bad value becomes a negative errno (EIO for bugs, logged), and the callback runs exactly once.
 * `ok` maps the operation's result to fuse-native's callback arguments.
 */
function guard<T>(name: string, fn: (...args: any[]) => T | Promise<T>, ok: (v: T) => unknown[]): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const cb = args.pop() as Cb;
    let done = false;
    const answer = (vals: unknown[]): void => {
      if (done) return;
      done = true;
      cb(...vals);
    };
    const bad = (err: unknown): void => answer([errnoOf(err, `${name} ${String(args[0])}`)]);
    try {
      const out = fn(...args);
      if (out instanceof Promise) {
        out.then((v) => {
          try {
            answer(ok(v));
          } catch (e) {
            bad(e);
          }
        }, bad);
      } else {
        answer(ok(out));
      }
    } catch (err) {
      bad(err);
    }
  };
}

const none = (): unknown[] => [0];

function buildOps(t: TreeOps): Record<string, unknown> {
  return {
    getattr: guard('getattr', (p: string) => t.getattr(p), (a) => [0, a]),
    readdir: guard('readdir', (p: string) => t.readdir(p), (names) => [0, names]),
    readlink: guard('readlink', (p: string) => t.readlink(p), (target) => [0, target]),
    open: guard('open', (p: string, flags: number) => t.open(p, flags), (fd) => [0, fd]),
    read: guard(
      'read',
      (_p: string, fd: number, buf: Buffer, len: number, pos: number) => {
        const copy = (data: Uint8Array): number => {
          const n = Math.min(len, data.length);
          buf.set(data.subarray(0, n));
          return n;
        };
        // Copy only while the request is still ours: after an interrupt the buffer is gone.
        const data = t.read(fd, len, pos);
        return data instanceof Promise ? data.then(copy) : copy(data);
      },
      (n) => [n],
    ),
    write: guard(
      'write',
      (_p: string, fd: number, buf: Buffer, len: number, pos: number) =>
        // The buffer is libfuse's and dies with the request: hand the node its own copy.
        t.write(fd, Uint8Array.prototype.slice.call(buf, 0, len), pos),
      (n) => [n],
    ),
    truncate: guard('truncate', (p: string) => t.truncate(p), none),
    ftruncate: guard('ftruncate', (_p: string, fd: number, size: number) => t.ftruncate(fd, size), none),
    flush: guard('flush', (_p: string, fd: number) => t.flush(fd), none),
    fsync: guard('fsync', () => undefined, none),
    release: guard('release', (_p: string, fd: number) => t.release(fd), none),
    chmod: guard('chmod', (p: string, mode: number) => t.chmod(p, mode), none),
    chown: guard('chown', (p: string, uid: number, gid: number) => t.chown(p, uid, gid), none),
    utimens: guard('utimens', (p: string) => t.utimens(p), none),
    create: guard('create', () => t.create(), none),
    mknod: guard('mknod', () => t.create(), none),
    mkdir: guard('mkdir', () => t.refuseNew(), none),
    symlink: guard('symlink', () => t.refuseNew(), none),
    link: guard('link', () => t.refuseNew(), none),
    unlink: guard('unlink', (p: string) => t.refuse(p), none),
    rmdir: guard('rmdir', (p: string) => t.refuse(p), none),
    rename: guard('rename', (p: string) => t.refuse(p), none),
    statfs: guard('statfs', () => t.statfs(), (s) => [0, s]),
    // No extended attributes, as on a FUSE mount without them; vi's ACL copy ignores this.
    // (fuse-native has no Fuse.ENOTSUP; EOPNOTSUPP is the same number on Linux.)
    setxattr: guard('setxattr', () => -95, (e) => [e]),
    getxattr: guard('getxattr', () => -95, (e) => [e]),
    listxattr: guard('listxattr', () => -95, (e) => [e]),
    removexattr: guard('removexattr', () => -95, (e) => [e]),
  };
}

export function isRoot(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() === 0;
}

/** Detach the mount (lazily, so open files do not make it fail). Root needs no fusermount. */
export function detach(mountpoint: string): Promise<void> {
  const tries: [string, string[]][] = isRoot()
    ? [['umount', ['-l', mountpoint]], ['fusermount', ['-uz', mountpoint]]]
    : [['fusermount', ['-uz', mountpoint]], ['fusermount3', ['-uz', mountpoint]]];
  return new Promise((res, rej) => {
    const next = (i: number, last?: Error): void => {
      if (i >= tries.length) return rej(last ?? new Error('unmount failed'));
      execFile(tries[i][0], tries[i][1], (err) => (err ? next(i + 1, err) : res()));
    };
    next(0);
  });
}

export async function serveFuse(mountpoint: string, root: DirNode, opts: ServeOptions = {}): Promise<Served> {
  const mnt = resolve(mountpoint);
  const { Fuse, binding } = loadFuse();
  const watcher = new ReadWatcher(mnt);
  const needsCaller = opts.callerPaths ?? defaultCallerPaths;
  const tree = new TreeOps(root, {
    callerFor: (p) => (needsCaller(p) ? findOpener(mnt, p) : UNKNOWN_CALLER),
    watchRead: (p, interrupt) => watcher.track(p, interrupt),
  });

  // direct_io: every read reaches the tree, so a value that changed inside the daemon is never
  // served from the page cache cut to its old size. fuse-native has no option for it.
  class ModfsFuse extends (Fuse as unknown as new (...a: unknown[]) => FuseInstance) {
    override _fuseOptions(): string {
      // nonempty: the default ./mount keeps a .gitkeep so that git has the directory.
      const base = super._fuseOptions();
      return base ? `${base},direct_io,nonempty` : '-odirect_io,nonempty';
    }
  }

  const allowOther = opts.allowOther ?? isRoot();
  const fuseOpts: Record<string, unknown> = {
    // fuse-native answers ETIMEDOUT after 15 s by default; /dev/kmsg readers wait for hours.
    timeout: false,
    allowOther,
    defaultPermissions: true,
    debug: !!opts.debug,
    fsname: 'modfs',
    subtype: 'modfs',
  };
  // fuse-native tests these for truthiness, so a number 0 would be dropped: pass strings.
  if (opts.entryTimeout !== undefined) fuseOpts.entryTimeout = String(opts.entryTimeout);
  if (opts.attrTimeout !== undefined) fuseOpts.attrTimeout = String(opts.attrTimeout);

  const fuse = new ModfsFuse(mnt, buildOps(tree), fuseOpts);
  await new Promise<void>((res, rej) => fuse.mount((err) => (err ? rej(err) : res())));

  let unmounting: Promise<void> | undefined;
  return {
    mountpoint: mnt,
    unmount() {
      unmounting ??= (async () => {
        try {
          await detach(mnt);
        } finally {
          // Drop fuse-native's hold on the event loop (its own close() would run fusermount,
          // which a fresh machine lacks). The FUSE thread ends when the connection does.
          const unref = binding.fuse_native_unmount as (m: string, t: Buffer | null) => void;
          try {
            unref(mnt, fuse._thread);
          } catch {
            /* already released */
          }
        }
      })();
      return unmounting;
    },
  };
}
