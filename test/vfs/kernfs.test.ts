// vfs/kernfs.ts without any mount: the rules kernfs adds on top of a tree of nodes.

import { describe, expect, it } from 'vitest';
import { Kernfs } from '../../src/vfs/kernfs.js';
import { attrFile, sysfsNotify } from '../../src/vfs/attr-file.js';
import { DEFAULT_POLLMASK, FsError, POLL } from '../../src/vfs/node.js';
import type { DirNode, FileNode, Handle } from '../../src/vfs/node.js';

const enc = (s: string) => new TextEncoder().encode(s);
const root0 = { uid: 0, gid: 0, pid: 1 };
const user = { uid: 1000, gid: 1000, pid: 2 };

function file(mode: number, handle: Partial<Handle> = {}, extra: Partial<FileNode> = {}): FileNode {
  return { kind: 'file', mode, size: 4096, open: () => ({ read: () => enc('v\n'), ...handle }), ...extra };
}

function tree(alive = { v: true }): DirNode {
  const sub: DirNode = { kind: 'dir', mode: 0o755, children: () => new Map() };
  const kids = new Map<string, FileNode | DirNode>([
    ['rw', file(0o644, { write: (_p, d) => d.length })],
    ['ro', file(0o444)],
    ['wo', file(0o200, { write: (_p, d) => d.length })],
    ['mortal', file(0o644, { write: (_p, d) => d.length }, { active: () => alive.v })],
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

describe('Kernfs', () => {
  it('stats with file types and nlink', () => {
    const k = new Kernfs(tree());
    expect(k.attr(k.root).mode).toBe(0o040755);
    expect(k.attr(k.root).nlink).toBe(3);
    expect(k.attr(k.resolve('/rw'))).toMatchObject({ mode: 0o100644, size: 4096, uid: 0, nlink: 1 });
    expect(errno(() => k.resolve('/nope'))).toBe(2);
  });

  it('refuses opens against the mode even for root (kernfs_fop_open)', () => {
    const k = new Kernfs(tree());
    expect(errno(() => k.open(k.resolve('/ro'), 1, root0))).toBe(13);
    expect(errno(() => k.open(k.resolve('/ro'), 2, root0))).toBe(13);
    expect(errno(() => k.open(k.resolve('/wo'), 0, root0))).toBe(13);
    expect(k.open(k.resolve('/wo'), 1, root0).fh).toBeGreaterThan(0);
    expect(errno(() => k.open(k.resolve('/sub'), 0, root0))).toBe(21);
  });

  it('keeps chmod/chown per node, and a write without a store is EIO', () => {
    const k = new Kernfs(tree());
    const ro = k.resolve('/ro');
    k.setattr(ro, { mode: 0o644, uid: 5 });
    expect(k.attr(ro)).toMatchObject({ mode: 0o100644, uid: 5 });
    const { fh } = k.open(ro, 1, root0);
    expect(errno(() => k.write(fh, 0, enc('1'), root0))).toBe(5);
    expect(errno(() => k.setattr(k.resolve('/sub'), { size: 0 }))).toBe(21);
  });

  it('never reuses a handle and forgets it on release', () => {
    const k = new Kernfs(tree());
    const a = k.open(k.resolve('/rw'), 0, root0).fh;
    k.release(a);
    const b = k.open(k.resolve('/rw'), 0, root0).fh;
    expect(b).not.toBe(a);
    expect(errno(() => k.read(a, 0, 10, root0))).toBe(9);
    expect(k.openCount).toBe(1);
  });

  it('answers ENODEV on a descriptor whose node went away, reads and writes alike', () => {
    const alive = { v: true };
    const k = new Kernfs(tree(alive));
    const { fh } = k.open(k.resolve('/mortal'), 2, root0);
    expect(k.read(fh, 0, 10, root0)).toEqual(enc('v\n'));
    alive.v = false;
    expect(errno(() => k.read(fh, 0, 10, root0))).toBe(19);
    expect(errno(() => k.write(fh, 0, enc('1'), root0))).toBe(19);
    expect(errno(() => k.open(k.resolve('/mortal'), 0, root0))).toBe(19);
  });

  it('checks access(2) for users, and lets root through but for execute', () => {
    const k = new Kernfs(tree());
    expect(errno(() => k.access(k.resolve('/ro'), 2, user))).toBe(13);
    expect(errno(() => k.access(k.resolve('/ro'), 4, user))).toBe(0);
    expect(errno(() => k.access(k.resolve('/ro'), 2, root0))).toBe(0);
    expect(errno(() => k.access(k.resolve('/ro'), 1, root0))).toBe(13);
  });

  it('refuses to make or remove names like sysfs', () => {
    const k = new Kernfs(tree());
    expect(errno(() => k.create())).toBe(13);
    expect(errno(() => k.refuse(k.resolve('/rw')))).toBe(1);
  });

  it('answers ENOTTY for an ioctl the file does not have, and passes the rest', async () => {
    const ioctlNode = file(0o644, { ioctl: (cmd, _a, input) => ({ result: cmd, out: input }) });
    const k = new Kernfs({ kind: 'dir', mode: 0o755, children: () => new Map([['i', ioctlNode], ['rw', file(0o644)]]) });
    const plain = k.open(k.resolve('/rw'), 0, root0).fh;
    expect(errno(() => k.ioctl(plain, 0x5401, 0n, new Uint8Array(0), 0, root0))).toBe(25);
    const fh = k.open(k.resolve('/i'), 0, root0).fh;
    expect(await k.ioctl(fh, 7, 0n, enc('ab'), 2, root0)).toEqual({ result: 7, out: enc('ab') });
  });

  it('polls a sysfs attribute as kernfs does: POLLERR|POLLPRI after sysfs_notify, until read', () => {
    const node = attrFile({ mode: 0o444, show: () => 'x\n' });
    const k = new Kernfs({ kind: 'dir', mode: 0o755, children: () => new Map([['a', node]]) });
    const { fh } = k.open(node, 0, root0);
    let woken = 0;
    expect(k.poll(fh, POLL.PRI, () => woken++)).toBe(DEFAULT_POLLMASK);
    sysfsNotify(node);
    expect(woken).toBe(1);
    expect(k.poll(fh, POLL.PRI, () => woken++)).toBe(DEFAULT_POLLMASK | POLL.ERR | POLL.PRI);
    k.read(fh, 0, 10, root0);
    expect(k.poll(fh, POLL.PRI, () => woken++)).toBe(DEFAULT_POLLMASK);
  });
});
