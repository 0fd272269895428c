// Generated files: sysfs attributes (stat size 4096, content rebuilt by each read from offset 0,
// as kernfs's page buffer is) and procfs seq files (stat size 0).
import { KernelError } from '../kernel/errno.js';
import { DEFAULT_POLLMASK, FsError, POLL, type Caller, type FileNode, type Handle } from './node.js';

export type Content = Uint8Array | string;

export interface AttrOptions {
  mode: number;
  size?: number;
  /** Produces the file's content; may throw KernelError/FsError (the read's errno). */
  show?: (caller: Caller) => Content;
  /** Consumes one write; returns bytes consumed or throws KernelError/FsError. */
  store?: (data: Uint8Array, caller: Caller, flags: number) => number;
  /** False once the object behind the file is gone (see FileNode.active). */
  active?: () => boolean;
}

/** UTF-8, as TextEncoder gives it; Buffer.from takes short strings from Node's pool (4× faster). */
export function toBytes(c: Content): Uint8Array {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

/** A KernelError as the FsError the FUSE layer reports; anything else as it is. */
export function asFsError(e: unknown): unknown {
  return e instanceof KernelError ? new FsError(e.errno, e.message) : e;
}

/** Run a kernel operation, turning its KernelError into the FsError the FUSE layer reports. */
export function kernelCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asFsError(e);
  }
}

export function attrFile(o: AttrOptions): FileNode {
  const node: FileNode = {
    kind: 'file',
    mode: o.mode,
    size: o.size ?? 4096,
    open(flags: number, caller: Caller): Handle {
      let snapshot: Uint8Array | undefined;
      // The notify count this descriptor has seen: a read brings it up to date (kernfs stores
      // the event count in the open file at each read).
      let seen = notifyCount(node);
      return {
        read(pos, len) {
          if (!o.show) throw new FsError(5);
          seen = notifyCount(node);
          if (pos === 0 || !snapshot) snapshot = kernelCall(() => toBytes(o.show!(caller)));
          return snapshot.subarray(Math.min(pos, snapshot.length), Math.min(pos + len, snapshot.length));
        },
        write(_pos, data) {
          // No store callback: a file made writable by chmod still cannot be written (EIO).
          if (!o.store) throw new FsError(5);
          return kernelCall(() => o.store!(data, caller, flags));
        },
        truncate() {},
        poll(events, wake) {
          // kernfs_generic_poll: always readable and writable; POLLERR|POLLPRI once the
          // attribute was notified (sysfs_notify) since this descriptor last read it.
          if (seen !== notifyCount(node)) return DEFAULT_POLLMASK | POLL.ERR | POLL.PRI;
          if (events & (POLL.ERR | POLL.PRI)) addPoller(node, wake);
          return DEFAULT_POLLMASK;
        },
      };
    },
  };
  if (o.active) node.active = o.active;
  return node;
}

/** sysfs_notify counts per attribute, and the pollers to wake on the next one. */
const events = new WeakMap<FileNode, { count: number; pollers: Set<() => void> }>();

function notifyState(node: FileNode): { count: number; pollers: Set<() => void> } {
  let e = events.get(node);
  if (!e) events.set(node, (e = { count: 0, pollers: new Set() }));
  return e;
}

function notifyCount(node: FileNode): number {
  return events.get(node)?.count ?? 0;
}

function addPoller(node: FileNode, wake: () => void): void {
  notifyState(node).pollers.add(wake);
}

/** sysfs_notify(): wake every poll(2) waiting on the attribute, as kernfs_notify does. */
export function sysfsNotify(node: FileNode): void {
  const e = notifyState(node);
  e.count++;
  const wake = [...e.pollers];
  e.pollers.clear();
  for (const w of wake) w();
}
