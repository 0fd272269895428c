// TreeOps without a mount: the rules the FUSE layer adds on top of any tree.

import { describe, expect, it } from 'vitest';
import { FsError } from '../../src/vfs/node.js';
import type { DirNode, FileNode, Handle } from '../../src/vfs/node.js';
import { TreeOps } from '../../src/fuse/ops.js';
import { errnoOf } from '../../src/fuse/errno.js';

const enc = (s: string) => new TextEncoder().encode(s);

function file(mode: number, handle: Partial<Handle> = {}): FileNode {
  return { kind: 'file', mode, size: 4096, open: () => ({ read: () => enc('v\n'), ...handle }) };
}

function tree(): DirNode {
  const sub: DirNode = { kind: 'dir', mode: 0o755, children: () => new Map() };
  const kids = new Map<string, FileNode | DirNode>([
    ['rw', file(0o644, { write: (_p, d) => d.length })],
    ['ro', file(0o444)],
    ['wo', file(0o200, { write: (_p, d) => d.length })],
    ['sub', sub],
  ]);
  return { kind: 'dir', mode: 0o755, children: () => kids };
}

const errno = (fn: () => unknown): number => {
  try {
    fn();
  } catch (e) {
    return (e as FsError).errno;
  }
  return 0;
};

function ops(read?: (p: string, i: () => void) => () => void): TreeOps {
  return new TreeOps(tree(), {
    callerFor: () => ({ uid: -1, gid: -1, pid: -1 }),
    watchRead: read ?? (() => () => undefined),
  });
}

describe('TreeOps', () => {
  it('stats with file types, nlink and fixed times', () => {
    const t = ops();
    expect(t.getattr('/').mode).toBe(0o040755);
    expect(t.getattr('/').nlink).toBe(3);
    expect(t.getattr('/rw')).toMatchObject({ mode: 0o100644, size: 4096, uid: 0, nlink: 1 });
    expect(t.getattr('/rw').mtime).toBe(t.mountTime);
    expect(errno(() => t.getattr('/nope'))).toBe(2);
  });

  it('refuses opens against the mode even for root (sysfs rule)', () => {
    const t = ops();
    expect(errno(() => t.open('/ro', 1))).toBe(13);
    expect(errno(() => t.open('/ro', 2))).toBe(13);
    expect(errno(() => t.open('/wo', 0))).toBe(13);
    expect(t.open('/wo', 1)).toBeGreaterThan(0);
    expect(errno(() => t.open('/sub', 0))).toBe(21);
  });

  it('honours chmod in later opens, and write without a store is EIO', () => {
    const t = ops();
    t.chmod('/ro', 0o644);
    expect(t.getattr('/ro').mode).toBe(0o100644);
    const fd = t.open('/ro', 1);
    expect(errno(() => t.write(fd, enc('1'), 0))).toBe(5);
  });

  it('hands out distinct positive handles and forgets them on release', () => {
    const t = ops();
    const a = t.open('/rw', 0);
    const b = t.open('/rw', 0);
    expect(a).not.toBe(b);
    t.release(a);
    expect(errno(() => t.read(a, 10, 0))).toBe(9);
    expect(t.openCount).toBe(1);
  });

  it('answers a pending read with EINTR when the watcher says the reader left', async () => {
    let aborted = false;
    let fire: () => void = () => undefined;
    const t = new TreeOps(
      { kind: 'dir', mode: 0o755, children: () => new Map([['k', { kind: 'file', mode: 0o644, size: 0, open: () => ({ read: () => new Promise<Uint8Array>(() => undefined), abort: () => void (aborted = true) }) } as FileNode]]) },
      { callerFor: () => ({ uid: 0, gid: 0, pid: 0 }), watchRead: (_p, i) => ((fire = i), () => undefined) },
    );
    const pending = t.read(t.open('/k', 0), 100, 0) as Promise<Uint8Array>;
    fire();
    await expect(pending).rejects.toMatchObject({ errno: 4 });
    expect(aborted).toBe(true);
  });

  it('maps namespace changes to sysfs errnos', () => {
    const t = ops();
    expect(errno(() => t.create())).toBe(13);
    expect(errno(() => t.refuse('/rw'))).toBe(1);
    expect(errno(() => t.refuse('/nope'))).toBe(2);
  });

  it('turns bugs into EIO and keeps FsError numbers', () => {
    const quiet = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(errnoOf(new Error('x'), 'test')).toBe(-5);
      expect(errnoOf('str', 'test')).toBe(-5);
      expect(errnoOf(new FsError(1.5), 'test')).toBe(-5);
    } finally {
      process.stderr.write = quiet;
    }
    expect(errnoOf(new FsError(22), 'test')).toBe(-22);
  });
});
