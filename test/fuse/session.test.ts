// The request decoder and dispatcher fed bytes the kernel would never send (a real mount cannot
// produce malformed requests, so here the device is a recorder): nothing may throw, every request
// that expects an answer gets one, and the daemon keeps going.

import { describe, expect, it } from 'vitest';
import { Session } from '../../src/fuse/session.js';
import type { FuseDevice } from '../../src/fuse/device.js';
import { IN_HEADER, Op } from '../../src/fuse/protocol.js';
import { FsError } from '../../src/vfs/node.js';
import type { DirNode, FileNode } from '../../src/vfs/node.js';

class Recorder {
  answers: Array<{ unique: bigint; error: number; body: Buffer }> = [];
  notes: Buffer[] = [];
  isClosed = false;
  send(buf: Buffer, data?: Uint8Array): void {
    const all = data ? Buffer.concat([buf, data]) : buf;
    this.answers.push({ unique: all.readBigUInt64LE(8), error: all.readInt32LE(4), body: all.subarray(16) });
  }
  notify(buf: Buffer): Promise<void> {
    this.notes.push(buf);
    return Promise.resolve();
  }
}

function request(opcode: number, unique: number, nodeid: number, body: Buffer = Buffer.alloc(0), lie = 0): Buffer {
  const b = Buffer.alloc(IN_HEADER + body.length);
  b.writeUInt32LE(b.length + lie, 0);
  b.writeUInt32LE(opcode, 4);
  b.writeBigUInt64LE(BigInt(unique), 8);
  b.writeBigUInt64LE(BigInt(nodeid), 16);
  body.copy(b, IN_HEADER);
  return b;
}

let pendingRead: ((v: Uint8Array) => void) | undefined;
const blocking: FileNode = {
  kind: 'file',
  mode: 0o644,
  size: 0,
  open: () => {
    let fail: ((e: Error) => void) | undefined;
    return {
      read: () => new Promise<Uint8Array>((res, rej) => ((pendingRead = res), (fail = rej))),
      abort: () => fail?.(new FsError(4)),
    };
  },
};
const buggy: FileNode = { kind: 'file', mode: 0o444, size: 1, open: () => ({ read: () => { throw new Error('bug'); } }) };
const root: DirNode = { kind: 'dir', mode: 0o755, children: () => new Map<string, FileNode>([['k', blocking], ['b', buggy]]) };

function session(): { s: Session; dev: Recorder } {
  const dev = new Recorder();
  const s = new Session(root, dev as unknown as FuseDevice, { entryTimeout: 1, attrTimeout: 1, maxWrite: 61440 });
  const init = Buffer.alloc(64);
  init.writeUInt32LE(7, 0);
  init.writeUInt32LE(40, 4);
  init.writeUInt32LE(0xffffffff, 12);
  s.handle(request(Op.INIT, 2, 0, init));
  return { s, dev };
}

const name = (n: string) => Buffer.from(`${n}\0`);
const quiet = <T>(f: () => T): T => {
  const w = process.stderr.write;
  process.stderr.write = () => true;
  try {
    return f();
  } finally {
    process.stderr.write = w;
  }
};

describe('Session', () => {
  it('negotiates INIT: our minor, max_write within the read buffer, flags the kernel offered', () => {
    const { dev } = session();
    const a = dev.answers[0];
    expect(a.error).toBe(0);
    expect(a.body.readUInt32LE(0)).toBe(7);
    expect(a.body.readUInt32LE(4)).toBe(31);
    expect(a.body.readUInt32LE(20)).toBe(61440);
  });

  it('answers malformed and unknown requests without throwing', () => {
    const { s, dev } = session();
    quiet(() => {
      s.handle(Buffer.alloc(10)); // shorter than a header: dropped
      s.handle(request(Op.GETATTR, 4, 1, Buffer.alloc(0), 8)); // length lies: dropped
      s.handle(request(999, 6, 1)); // unknown opcode
      s.handle(request(Op.READ, 8, 1, Buffer.alloc(3))); // body too short
      s.handle(request(Op.LOOKUP, 10, 12345, name('k'))); // unknown node
      s.handle(request(Op.WRITE, 12, 1, Buffer.alloc(40))); // no such handle
      s.handle(request(Op.INTERRUPT, 14, 0, Buffer.alloc(8))); // nothing to interrupt: no answer
      s.handle(request(Op.FORGET, 16, 777, Buffer.alloc(8))); // forgetting the unknown: no answer
    });
    expect(dev.answers.slice(1).map((a) => [Number(a.unique), -a.error])).toEqual([
      [6, 38], // ENOSYS
      [8, 5], // EIO: a bug-shaped failure, logged
      [10, 2], // ENOENT
      [12, 9], // EBADF
    ]);
  });

  it('turns a throwing handler into EIO', () => {
    const { s, dev } = session();
    s.handle(request(Op.LOOKUP, 4, 1, name('b')));
    const nodeid = Number(dev.answers[1].body.readBigUInt64LE(0));
    const open = Buffer.alloc(8);
    s.handle(request(Op.OPEN, 6, nodeid, open));
    const fh = dev.answers[2].body.readBigUInt64LE(0);
    const read = Buffer.alloc(40);
    read.writeBigUInt64LE(fh, 0);
    read.writeUInt32LE(100, 16);
    quiet(() => s.handle(request(Op.READ, 8, nodeid, read)));
    expect(-dev.answers[3].error).toBe(5);
  });

  it('answers an interrupted read EINTR, and a late result for it is dropped', async () => {
    const { s, dev } = session();
    s.handle(request(Op.LOOKUP, 4, 1, name('k')));
    const nodeid = Number(dev.answers[1].body.readBigUInt64LE(0));
    s.handle(request(Op.OPEN, 6, nodeid, Buffer.alloc(8)));
    const fh = dev.answers[2].body.readBigUInt64LE(0);
    const read = Buffer.alloc(40);
    read.writeBigUInt64LE(fh, 0);
    read.writeUInt32LE(100, 16);
    s.handle(request(Op.READ, 8, nodeid, read));
    expect(dev.answers).toHaveLength(3); // pending
    const intr = Buffer.alloc(8);
    intr.writeBigUInt64LE(8n, 0);
    s.handle(request(Op.INTERRUPT, 11, 0, intr));
    await new Promise((r) => setImmediate(r));
    expect(dev.answers.map((a) => [Number(a.unique), -a.error]).slice(3)).toEqual([[8, 4]]);
    pendingRead?.(new Uint8Array([1]));
    await new Promise((r) => setImmediate(r));
    expect(dev.answers).toHaveLength(4);
  });
});
