// Generated files: sysfs attributes (stat size 4096, content rebuilt by each read from offset 0,
// as kernfs's page buffer is) and procfs seq files (stat size 0).
import { KernelError } from '../kernel/errno.js';
import { FsError, type Caller, type FileNode, type Handle } from './node.js';

const enc = new TextEncoder();
export type Content = Uint8Array | string;

export interface AttrOptions {
  mode: number;
  size?: number;
  /** Produces the file's content; may throw KernelError/FsError (the read's errno). */
  show?: (caller: Caller) => Content;
  /** Consumes one write; returns bytes consumed or throws KernelError/FsError. */
  store?: (data: Uint8Array, caller: Caller, flags: number) => number;
}

export function toBytes(c: Content): Uint8Array {
  return typeof c === 'string' ? enc.encode(c) : c;
}

/** Run a kernel operation, turning its KernelError into the FsError the FUSE layer reports. */
export function kernelCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KernelError) throw new FsError(e.errno, e.message);
    throw e;
  }
}

export function attrFile(o: AttrOptions): FileNode {
  return {
    kind: 'file',
    mode: o.mode,
    size: o.size ?? 4096,
    open(flags: number, caller: Caller): Handle {
      let snapshot: Uint8Array | undefined;
      return {
        read(pos, len) {
          if (!o.show) throw new FsError(5);
          if (pos === 0 || !snapshot) snapshot = kernelCall(() => toBytes(o.show!(caller)));
          return snapshot.subarray(Math.min(pos, snapshot.length), Math.min(pos + len, snapshot.length));
        },
        write(_pos, data) {
          // No store callback: a file made writable by chmod still cannot be written (EIO).
          if (!o.store) throw new FsError(5);
          return kernelCall(() => o.store!(data, caller, flags));
        },
        truncate() {},
      };
    },
  };
}
