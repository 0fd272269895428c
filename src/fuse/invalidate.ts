// Keeping the kernel's dentry and attribute caches true while they live long.
//
// Entries and attributes are given long lifetimes, so a path walk costs no LOOKUP once cached.
// When a directory whose entries come and go (DirNode.watch: /sys/module, holders/) changes,
// its cached children are compared with the live ones; for each that went, the kernel gets
// FUSE_NOTIFY_DELETE (the dentry goes, and a directory is marked dead, so a shell still inside
// it gets ENOENT as on sysfs), and a changed subdirectory count gets FUSE_NOTIFY_INVAL_INODE.
// New entries need nothing: misses are answered ENOENT, which the kernel does not cache.
//
// Deadlock rule: applying a notification takes the parent directory's lock, which a task in a
// LOOKUP or READDIR of that directory holds while it waits for our answer. So notifications are
// written from the thread pool (FuseDevice.notify), and only answers to requests that hold no
// directory lock (WRITE, FLUSH, IOCTL, SETATTR of a file...) wait for them: the `rmmod` that
// caused a removal returns only once every reader's cache has dropped the module's directory.

import type { FuseDevice } from './device.js';
import type { Inode, InodeTable } from './inodes.js';
import { Notify } from './protocol.js';
import { notification, putU64 } from './wire.js';
import { nlinkOf } from '../vfs/attr.js';

/** How long an answer may wait for notifications before it goes anyway (a stuck kernel lock). */
const FLUSH_LIMIT_MS = 2000;

export class Invalidator {
  private readonly dirty = new Set<Inode>();
  private scheduled = false;
  private inFlight: Promise<void> = Promise.resolve();
  sent = 0;

  constructor(
    private readonly table: () => InodeTable,
    private readonly dev: FuseDevice,
  ) {}

  /** Watch a new directory inode whose node can change. */
  added(ino: Inode): void {
    const node = ino.node;
    if (node.kind !== 'dir' || !node.watch) return;
    ino.unwatch = node.watch(() => this.mark(ino));
  }

  private mark(ino: Inode): void {
    if (ino.stale) return;
    this.dirty.add(ino);
    // Changes made outside any request (module code running on its own) still reach the kernel.
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  get pending(): boolean {
    return this.dirty.size > 0;
  }

  /** Send what the changes so far require; resolves when the kernel has applied it all. */
  flush(): Promise<void> {
    if (this.dirty.size === 0) return this.inFlight;
    const todo = [...this.dirty];
    this.dirty.clear();
    const sends: Promise<void>[] = [];
    for (const dir of todo) {
      if (dir.stale || dir.node.kind !== 'dir') continue;
      const now = dir.node.children();
      const gone: Inode[] = [];
      for (const [name, kid] of dir.kids ?? []) if (now.get(name) !== kid.node) gone.push(kid);
      for (const kid of gone) {
        const known = kid.nlookup > 0;
        this.table().remove(kid);
        if (known) sends.push(this.send(deleteMessage(dir.nodeid, kid.nodeid, kid.name)));
      }
      // A listing the kernel may keep (zero-message opendir caches directory pages) or a
      // subdirectory count it was told: both go stale together, one INVAL_INODE drops both.
      const listingChanged = dir.listed !== undefined && dir.listed !== listingKey(now.keys());
      const nlinkChanged = dir.nlinkTold >= 0 && nlinkOf(dir.node) !== dir.nlinkTold;
      if (listingChanged || nlinkChanged) {
        dir.nlinkTold = -1;
        if (listingChanged) dir.listed = undefined;
        sends.push(this.send(invalInodeMessage(dir.nodeid, listingChanged)));
      }
    }
    this.inFlight = Promise.all(sends).then(() => undefined);
    return this.inFlight;
  }

  /** flush(), bounded: an answer never waits forever on the kernel. */
  flushBounded(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, FLUSH_LIMIT_MS)));
    return Promise.race([this.flush(), late]).finally(() => clearTimeout(timer));
  }

  private send(buf: Buffer): Promise<void> {
    this.sent++;
    return this.dev.notify(buf);
  }
}

export function deleteMessage(parent: number, child: number, name: string): Buffer {
  const bytes = Buffer.from(name, 'latin1');
  const out = notification(Notify.DELETE, 24 + bytes.length + 1);
  putU64(out, 16, parent);
  putU64(out, 24, child);
  out.writeUInt32LE(bytes.length, 32);
  bytes.copy(out, 40);
  return out;
}

/** The key of a listing, to tell when a cached one went stale. */
export function listingKey(names: Iterable<string>): string {
  return [...names].join('/');
}

/**
 * Attributes, and with `pages` the cached contents too (offset 0, length 0: all of it; for a
 * directory that is its cached listing). Offset -1 leaves the page cache alone.
 */
export function invalInodeMessage(nodeid: number, pages = false): Buffer {
  const out = notification(Notify.INVAL_INODE, 24);
  putU64(out, 16, nodeid);
  out.writeBigInt64LE(pages ? 0n : -1n, 24);
  out.writeBigInt64LE(0n, 32);
  return out;
}

export function pollWakeupMessage(kh: bigint): Buffer {
  const out = notification(Notify.POLL, 8);
  out.writeBigUInt64LE(kh, 16);
  return out;
}
