// Reading requests from, and encoding answers to, the bytes of /dev/fuse (layouts in protocol.ts).
// One read(2) of /dev/fuse returns exactly one request; one write(2) must carry one whole answer.

import type { Attr } from '../vfs/attr.js';
import { ATTR, ATTR_OUT, DIRENT, ENTRY_OUT, IN_HEADER, OUT_HEADER } from './protocol.js';

const TWO32 = 2 ** 32;

/**
 * A request: its header decoded, its body left in `buf` from IN_HEADER to `len`. `buf` is the
 * device's read buffer, overwritten by the next request: only the decoded fields may be kept.
 */
export interface Request {
  buf: Buffer;
  len: number;
  opcode: number;
  /** The kernel's request id (even numbers; bit 0 marks an interrupt's own id). Exact below 2^53. */
  unique: number;
  nodeid: number;
  uid: number;
  gid: number;
  pid: number;
}

export function u64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * TWO32;
}

export function putU64(buf: Buffer, off: number, v: number): void {
  buf.writeUInt32LE(v % TWO32 >>> 0, off);
  buf.writeUInt32LE(Math.floor(v / TWO32) >>> 0, off + 4);
}

/**
 * Decode the header of the first `n` bytes of `buf`; undefined when they cannot be a request
 * (too short, length lies).
 */
export function parseRequest(buf: Buffer, n = buf.length): Request | undefined {
  if (n < IN_HEADER || n > buf.length) return undefined;
  const len = buf.readUInt32LE(0);
  if (len !== n) return undefined;
  return {
    buf,
    len,
    opcode: buf.readUInt32LE(4),
    unique: u64(buf, 8),
    nodeid: u64(buf, 16),
    uid: buf.readUInt32LE(24),
    gid: buf.readUInt32LE(28),
    pid: buf.readUInt32LE(32),
  };
}

/** The NUL-terminated name at `off` of the request body (bytes as latin1, see vfs/node.ts). */
export function nameAt(req: Request, off = IN_HEADER): string {
  const end = req.buf.indexOf(0, off);
  return req.buf.toString('latin1', off, end < 0 ? req.len : end);
}

/**
 * A zeroed buffer. Buffer.alloc makes a new ArrayBuffer each time (about 0.4 µs here); small
 * unsafe buffers are slices of Node's pool, and zeroing a hundred bytes is nearly free.
 */
function zeroed(n: number): Buffer {
  return Buffer.allocUnsafe(n).fill(0);
}

/** An out header followed by `body` bytes; the caller fills the body from OUT_HEADER on. */
export function answer(unique: number, body: number): Buffer {
  const out = zeroed(OUT_HEADER + body);
  out.writeUInt32LE(OUT_HEADER + body, 0);
  putU64(out, 8, unique);
  return out;
}

export function errorAnswer(unique: number, errno: number): Buffer {
  const out = zeroed(OUT_HEADER);
  out.writeUInt32LE(OUT_HEADER, 0);
  out.writeInt32LE(-errno, 4);
  putU64(out, 8, unique);
  return out;
}

/** An unsolicited message: unique 0, the notify code in the error field. */
export function notification(code: number, body: number): Buffer {
  const out = zeroed(OUT_HEADER + body);
  out.writeUInt32LE(OUT_HEADER + body, 0);
  out.writeInt32LE(code, 4);
  return out;
}

/** Cache lifetimes the kernel is told, in seconds (0 = ask every time). */
export interface Validity {
  entry: number;
  attr: number;
}

function putTime(buf: Buffer, off: number, secs: number): void {
  putU64(buf, off, Math.floor(secs));
}

export function putAttr(buf: Buffer, off: number, ino: number, a: Attr, time: number): void {
  putU64(buf, off, ino);
  putU64(buf, off + 8, a.size);
  putU64(buf, off + 16, a.blocks);
  putU64(buf, off + 24, time);
  putU64(buf, off + 32, time);
  putU64(buf, off + 40, time);
  // atimensec, mtimensec, ctimensec stay 0
  buf.writeUInt32LE(a.mode >>> 0, off + 60);
  buf.writeUInt32LE(a.nlink >>> 0, off + 64);
  buf.writeUInt32LE(a.uid >>> 0, off + 68);
  buf.writeUInt32LE(a.gid >>> 0, off + 72);
  buf.writeUInt32LE(0, off + 76);
  buf.writeUInt32LE(a.blksize, off + 80);
  buf.writeUInt32LE(0, off + 84);
}

/** fuse_entry_out at `off`. */
export function putEntry(buf: Buffer, off: number, nodeid: number, generation: number, a: Attr, valid: Validity, time: number): void {
  putU64(buf, off, nodeid);
  putU64(buf, off + 8, generation);
  putTime(buf, off + 16, valid.entry);
  putTime(buf, off + 24, valid.attr);
  putAttr(buf, off + 40, nodeid, a, time);
}

export function entryAnswer(unique: number, nodeid: number, generation: number, a: Attr, valid: Validity, time: number): Buffer {
  const out = answer(unique, ENTRY_OUT);
  putEntry(out, OUT_HEADER, nodeid, generation, a, valid, time);
  return out;
}

export function attrAnswer(unique: number, nodeid: number, a: Attr, attrValid: number, time: number): Buffer {
  const out = answer(unique, ATTR_OUT);
  putTime(out, OUT_HEADER, attrValid);
  putAttr(out, OUT_HEADER + 16, nodeid, a, time);
  return out;
}

/** Space a dirent takes: header, name, padded to 8 bytes. */
export function direntSize(nameLen: number, plus: boolean): number {
  return (((plus ? ENTRY_OUT : 0) + DIRENT + nameLen + 7) & ~7) >>> 0;
}

/** fuse_dirent at `off` (after the entry_out for READDIRPLUS); returns the next offset. */
export function putDirent(buf: Buffer, off: number, ino: number, next: number, type: number, name: Buffer): number {
  putU64(buf, off, ino);
  putU64(buf, off + 8, next);
  buf.writeUInt32LE(name.length, off + 16);
  buf.writeUInt32LE(type, off + 20);
  name.copy(buf, off + DIRENT);
  return (off + DIRENT + name.length + 7) & ~7;
}

export { ATTR };
