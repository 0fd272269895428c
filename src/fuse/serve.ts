// Serving a vfs tree over our own FUSE connection (device.ts reads and writes /dev/fuse,
// session.ts answers, mounter.ts mounts).

import { resolve } from 'node:path';
import type { DirNode } from '../vfs/node.js';
import { FuseDevice, READ_BUFFER } from './device.js';
import { detach, inheritedDevice, isRoot, mountAsRoot, openDevice } from './mounter.js';
import { IN_HEADER } from './protocol.js';
import { Session } from './session.js';

export { detach, isRoot };

/** Dentry and attribute lifetimes: long, since every change is notified (invalidate.ts). */
export const DEFAULT_TIMEOUT_S = 86400;

export interface ServeOptions {
  /** Let other users in (needs root, or user_allow_other). Default: true when running as root. */
  allowOther?: boolean;
  /** A line per request on stderr. */
  debug?: boolean;
  /** Kernel dentry/attribute cache lifetimes in seconds (default DEFAULT_TIMEOUT_S). */
  entryTimeout?: number;
  attrTimeout?: number;
}

export interface Served {
  mountpoint: string;
  session: Session;
  /** Resolves when the connection ends (unmounted by us or by anyone else). */
  closed: Promise<string>;
  unmount(): Promise<void>;
}

/**
 * The largest WRITE: the kernel refuses a read(2) of /dev/fuse whose buffer could not hold the
 * in header, fuse_write_in (40 bytes) and max_write bytes; Node reads with READ_BUFFER. Whole
 * pages, so page-sized writes are not split.
 */
const MAX_WRITE = Math.floor((READ_BUFFER - IN_HEADER - 40) / 4096) * 4096;

export async function serveFuse(mountpoint: string, root: DirNode, opts: ServeOptions = {}): Promise<Served> {
  const mnt = resolve(mountpoint);
  const inherited = inheritedDevice(mnt);
  if (inherited === undefined && !isRoot()) throw new Error('serveFuse: a non-root daemon needs the descriptor from the mount helper (lifecycle.ts)');
  const fd = inherited ?? openDevice();
  let closedWhy: (why: string) => void = () => undefined;
  const closed = new Promise<string>((r) => (closedWhy = r));
  let session: Session;
  const dev = new FuseDevice(fd, {
    onRequest: (buf, len) => session.handle(buf, len),
    onClose: (why) => closedWhy(why),
  });
  session = new Session(root, dev, {
    entryTimeout: opts.entryTimeout ?? DEFAULT_TIMEOUT_S,
    attrTimeout: opts.attrTimeout ?? DEFAULT_TIMEOUT_S,
    maxWrite: MAX_WRITE,
    debug: opts.debug,
  });
  session.onDestroy = () => dev.close();
  dev.debug = !!opts.debug;
  if (inherited === undefined) {
    try {
      await mountAsRoot(mnt, fd, { allowOther: opts.allowOther ?? true });
    } catch (e) {
      dev.close();
      throw e;
    }
  }
  dev.start();
  let unmounting: Promise<void> | undefined;
  return {
    mountpoint: mnt,
    session,
    closed,
    unmount() {
      unmounting ??= (async () => {
        try {
          if (!dev.isClosed) await detach(mnt);
        } finally {
          dev.close();
        }
      })();
      return unmounting;
    },
  };
}
