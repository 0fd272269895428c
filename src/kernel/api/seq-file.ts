// fs/seq_file.c: files made of records that module code prints one at a time. The struct seq_file
// lives in kernel memory at the build's offsets, because module code reads and writes it directly
// (m->private, m->count, seq_has_overflowed() is m->count == m->size); everything here works on
// those fields, so a module that fills m->buf by hand (seq_get_buf/seq_commit) sees the same state.
//
// What 6.1's seq_read_iter does, and so what this does (the buffer and position rules decide what
// `cat`, `head -c`, `dd bs=1` and `dd skip=` print):
//  - the buffer is PAGE_SIZE at first; a record that does not fit (show left count == size) makes
//    the whole iteration start again with a buffer twice the size, the record shown again;
//  - one read copies out what an earlier read left in the buffer, then shows records until the
//    buffer holds at least what was asked for or the next record would not fit, so a read returns
//    at most one buffer's worth and the record that overflowed waits for the next read;
//  - a read at a position other than where the last one stopped (read_pos) first walks the
//    records from the start up to that position (traverse), as does a read at 0 (index reset);
//  - ->show returning SEQ_SKIP (any positive value) discards what it printed for that record; a
//    negative value ends the read with that error unless bytes were already copied;
//  - a ->next that does not move the index is reported (ratelimited) and the index moved for it.
// Module code is entered through the trap context (c.call), so all the calls of one read share the
// caller's instruction budget: a ->show that loops forever is a soft lockup of that read.
import type { TrapContext } from '../../cpu/types.js';
import { EFAULT, ENOMEM } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { SoftLockup } from '../oops.js';
import { seqFields } from './seq-fields.js';
import { registerSeqListApi } from './seq-list.js';
import { registerSeqOutputApi } from './seq-output.js';

const PAGE_SIZE = 4096;
/** MAX_RW_COUNT: INT_MAX rounded down to a page; seq_buf_alloc refuses more. */
const MAX_RW_COUNT = 0x7ffff000;
const SEQ_START_TOKEN = 1n;
const EAGAIN = 11;
/** Records without output in a row before an endless iterator is called a soft lockup. */
const EMPTY_RECORD_LIMIT = 10_000_000;

type Call = (fn: bigint, args: bigint[]) => bigint;

const isErr = (p: bigint) => BigInt.asUintN(64, p) >= BigInt.asUintN(64, -4095n);
const s64 = (v: bigint) => BigInt.asIntN(64, v);

/** The addresses other areas need (procfs builds its proc_ops tables from them). */
export interface SeqFileApi {
  seqRead: bigint;
  seqReadIter: bigint;
  seqLseek: bigint;
  seqRelease: bigint;
  singleRelease: bigint;
  /** single_open / seq_open / seq_open_private called from the kernel's own open handlers. */
  singleOpen(call: Call, file: bigint, show: bigint, data: bigint): number;
  seqOpen(file: bigint, op: bigint): number;
  seqOpenPrivate(file: bigint, op: bigint, psize: number): number;
  seqReleasePrivate(file: bigint): number;
}

export function registerSeqFileApi(k: Kernel): SeqFileApi {
  const m = k.mem;
  const f = k.identity.facts;
  const { F, get, set, num, overflowed } = seqFields(k);
  const OP = {
    start: BigInt(f['seq_operations.start']),
    stop: BigInt(f['seq_operations.stop']),
    next: BigInt(f['seq_operations.next']),
    show: BigInt(f['seq_operations.show']),
  };
  const opSize = Math.max(f['seq_operations.start'], f['seq_operations.stop'], f['seq_operations.next'], f['seq_operations.show']) + 8;
  const privateData = BigInt(f['file.private_data']);
  const fMode = BigInt(f['file.f_mode']);
  const fPos = BigInt(f['file.f_pos']);

  const bufAlloc = (size: number) => (size > MAX_RW_COUNT ? 0n : k.kmalloc(size));

  const method = (s: bigint, which: bigint) => m.readU64(get(s, F.op) + which);

  // seq_read_iter's "buggy .next" report, ratelimited as pr_info_ratelimited is (10 per 5 s).
  let rlStart = -Infinity;
  let rlCount = 0;
  const buggyNext = (fn: bigint) => {
    const now = performance.now();
    if (now - rlStart > 5000) {
      rlStart = now;
      rlCount = 0;
    }
    if (rlCount++ >= 10) return;
    const name = (k.symbolize(fn) ?? `0x${fn.toString(16)}`).replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, '');
    k.log.emit(6, `seq_file: buggy .next function ${name} did not update position index`);
  };

  /** traverse(): walk records from the start until `offset` bytes lie behind; 0 or -errno. */
  const traverse = (call: Call, s: bigint, offset: number): number => {
    let pos = 0;
    let error = 0;
    set(s, F.index, 0);
    set(s, F.count, 0);
    set(s, F.from, 0);
    if (!offset) return 0;
    if (!get(s, F.buf)) {
      set(s, F.size, PAGE_SIZE);
      const b = bufAlloc(PAGE_SIZE);
      set(s, F.buf, b);
      if (!b) return -ENOMEM;
    }
    const indexPtr = s + F.index;
    let p = call(method(s, OP.start), [s, indexPtr]);
    let empty = 0;
    while (p) {
      error = Number(BigInt.asIntN(32, p));
      if (isErr(p)) break;
      error = Number(BigInt.asIntN(32, call(method(s, OP.show), [s, p])));
      if (error < 0) break;
      if (error) {
        error = 0;
        set(s, F.count, 0);
      }
      if (overflowed(s)) {
        call(method(s, OP.stop), [s, p]);
        k.kfree(get(s, F.buf));
        set(s, F.count, 0);
        const size = num(s, F.size) * 2;
        set(s, F.size, size);
        const b = bufAlloc(size);
        set(s, F.buf, b);
        return b ? -EAGAIN : -ENOMEM;
      }
      p = call(method(s, OP.next), [s, p, indexPtr]);
      const count = num(s, F.count);
      if (pos + count > offset) {
        set(s, F.from, offset - pos);
        set(s, F.count, count - (offset - pos));
        break;
      }
      if (count === 0 && ++empty > EMPTY_RECORD_LIMIT) endless(s);
      if (count) empty = 0;
      pos += count;
      set(s, F.count, 0);
      if (pos === offset) break;
    }
    call(method(s, OP.stop), [s, p]);
    return error;
  };

  const endless = (s: bigint): never => {
    const fn = method(s, OP.next);
    const name = k.symbolize(fn) ?? `0x${fn.toString(16)}`;
    throw new SoftLockup(`seq_file iterator ${name} never ends and prints nothing`, [name, 'seq_read_iter+0x11f/0x460']);
  };

  /** seq_read_iter into a user buffer of `size` bytes at `ubuf`; *ppos is read and updated. */
  const seqRead = (call: Call, file: bigint, ubuf: bigint, size: number, ppos: bigint): number => {
    if (!size) return 0;
    const s = m.readU64(file + privateData);
    let kiPos = Number(s64(m.readU64(ppos)));
    let left = size;
    let uptr = ubuf;
    let copied = 0;
    let err = 0;
    // copy_to_iter: what fits in what is left of the user buffer; stops at a fault.
    const copyOut = (from: bigint, n: number): number => {
      const want = Math.min(n, left);
      if (!want) return 0;
      const notCopied = k.user.accessOk(uptr, want) ? k.user.copyTo(uptr, m.readBytes(from, want)) : want;
      const done = want - notCopied;
      uptr += BigInt(done);
      left -= done;
      return done;
    };
    const done = (): number => {
      let r: number;
      if (!copied) r = num(s, F.count) ? -EFAULT : err;
      else {
        kiPos += copied;
        set(s, F.readPos, num(s, F.readPos) + copied);
        r = copied;
      }
      m.writeU64(ppos, BigInt.asUintN(64, BigInt(kiPos)));
      return r;
    };

    if (kiPos === 0) {
      set(s, F.index, 0);
      set(s, F.count, 0);
    }
    if (kiPos !== Number(s64(get(s, F.readPos)))) {
      while ((err = traverse(call, s, kiPos)) === -EAGAIN);
      if (err) {
        set(s, F.readPos, 0);
        set(s, F.index, 0);
        set(s, F.count, 0);
        return done();
      }
      set(s, F.readPos, kiPos);
    }
    if (!get(s, F.buf)) {
      set(s, F.size, PAGE_SIZE);
      const b = bufAlloc(PAGE_SIZE);
      set(s, F.buf, b);
      if (!b) {
        err = -ENOMEM;
        return done();
      }
    }
    // What the last read left in the buffer goes first.
    if (num(s, F.count)) {
      const n = copyOut(get(s, F.buf) + get(s, F.from), num(s, F.count));
      set(s, F.count, num(s, F.count) - n);
      set(s, F.from, num(s, F.from) + n);
      copied += n;
      if (num(s, F.count)) return done();
    }
    // Then one non-empty record, growing the buffer until it fits.
    set(s, F.from, 0);
    const indexPtr = s + F.index;
    let p = call(method(s, OP.start), [s, indexPtr]);
    let empty = 0;
    let fill = false;
    for (;;) {
      err = Number(BigInt.asIntN(32, p));
      if (!p || isErr(p)) break;
      err = Number(BigInt.asIntN(32, call(method(s, OP.show), [s, p])));
      if (err < 0) break;
      if (err) set(s, F.count, 0);
      if (!num(s, F.count)) {
        if (++empty > EMPTY_RECORD_LIMIT) endless(s);
        p = call(method(s, OP.next), [s, p, indexPtr]);
        continue;
      }
      if (!overflowed(s)) {
        fill = true;
        break;
      }
      call(method(s, OP.stop), [s, p]);
      k.kfree(get(s, F.buf));
      set(s, F.count, 0);
      const bigger = num(s, F.size) * 2;
      set(s, F.size, bigger);
      const b = bufAlloc(bigger);
      set(s, F.buf, b);
      if (!b) {
        err = -ENOMEM;
        return done();
      }
      p = call(method(s, OP.start), [s, indexPtr]);
    }
    if (!fill) {
      call(method(s, OP.stop), [s, p]);
      set(s, F.count, 0);
      return done();
    }
    // More records while the reader wants more and they fit; the iterator advances once per
    // record shown.
    for (;;) {
      const offs = num(s, F.count);
      const pos = get(s, F.index);
      const next = method(s, OP.next);
      p = call(next, [s, p, indexPtr]);
      if (pos === get(s, F.index)) {
        buggyNext(next);
        set(s, F.index, get(s, F.index) + 1n);
      }
      if (!p || isErr(p)) break;
      if (num(s, F.count) >= left) break;
      const r = Number(BigInt.asIntN(32, call(method(s, OP.show), [s, p])));
      if (r > 0) set(s, F.count, offs);
      else if (r || overflowed(s)) {
        set(s, F.count, offs);
        break;
      }
    }
    call(method(s, OP.stop), [s, p]);
    const n = copyOut(get(s, F.buf), num(s, F.count));
    copied += n;
    set(s, F.count, num(s, F.count) - n);
    set(s, F.from, n);
    return done();
  };

  /** seq_lseek: SEEK_SET/SEEK_CUR only; a new position walks the records to it. */
  const seqLseek = (call: Call, file: bigint, offsetIn: bigint, whence: number): bigint => {
    const s = m.readU64(file + privateData);
    let offset = s64(offsetIn);
    if (whence === 1) offset += s64(m.readU64(file + fPos));
    else if (whence !== 0) return -22n;
    if (offset < 0n) return -22n;
    if (offset !== s64(get(s, F.readPos))) {
      let r: number;
      while ((r = traverse(call, s, Number(offset))) === -EAGAIN);
      if (r) {
        m.writeU64(file + fPos, 0n);
        set(s, F.readPos, 0);
        set(s, F.index, 0);
        set(s, F.count, 0);
        return BigInt(r);
      }
      set(s, F.readPos, offset);
    }
    m.writeU64(file + fPos, BigInt.asUintN(64, offset));
    return offset;
  };

  const seqOpen = (file: bigint, op: bigint): number => {
    const s = k.kmalloc(f['seq_file.size']);
    if (!s) return -ENOMEM;
    m.writeU64(file + privateData, s);
    set(s, F.op, op);
    set(s, F.file, file);
    // seq_files do no pwrite (the kernel clears FMODE_PWRITE for historical reasons).
    m.writeU32(file + fMode, m.readU32(file + fMode) & ~f.FMODE_PWRITE);
    return 0;
  };
  const seqRelease = (file: bigint): number => {
    const s = m.readU64(file + privateData);
    k.kfree(get(s, F.buf));
    k.kfree(s);
    return 0;
  };

  const fn = (name: string, h: (c: TrapContext) => bigint | number | boolean | void, hidden = false) => k.exports.func(name, h, { hidden });
  const call = (c: TrapContext): Call => (addr, args) => c.call(addr, args);

  fn('seq_open', (c) => seqOpen(c.arg(0), c.arg(1)));
  fn('seq_release', (c) => seqRelease(c.arg(1)));
  fn('seq_read', (c) => seqRead(call(c), c.arg(0), c.arg(1), Number(BigInt.asUintN(64, c.arg(2)) > BigInt(MAX_RW_COUNT) ? MAX_RW_COUNT : c.arg(2)), c.arg(3)));
  // seq_read_iter(kiocb, iov_iter): procfs calls it through seq_read's path (api/procfs.ts);
  // module code that calls it with its own kiocb is not supported.
  fn('seq_read_iter', () => {
    k.log.emit(4, 'modfs: seq_read_iter called with a kiocb from module code is not supported');
    return -22;
  });
  fn('seq_lseek', (c) => seqLseek(call(c), c.arg(0), c.arg(1), Number(BigInt.asIntN(32, c.arg(2)))));

  // single_open: a one-record iterator around a show function.
  fn('single_start', (c) => (m.readU64(c.arg(1)) ? 0n : SEQ_START_TOKEN), true);
  fn('single_next', (c) => {
    m.writeU64(c.arg(2), m.readU64(c.arg(2)) + 1n);
    return 0n;
  }, true);
  fn('single_stop', () => {}, true);
  const singleOps = {
    start: k.exports.addressOf('single_start'),
    next: k.exports.addressOf('single_next'),
    stop: k.exports.addressOf('single_stop'),
  };
  const singleOpen = (_call: Call, file: bigint, show: bigint, data: bigint): number => {
    const op = k.kmalloc(opSize);
    if (!op) return -ENOMEM;
    m.writeU64(op + OP.start, singleOps.start);
    m.writeU64(op + OP.next, singleOps.next);
    m.writeU64(op + OP.stop, singleOps.stop);
    m.writeU64(op + OP.show, show);
    const r = seqOpen(file, op);
    if (r) {
      k.kfree(op);
      return r;
    }
    set(m.readU64(file + privateData), F.private, data);
    return 0;
  };
  fn('single_open', (c) => singleOpen(call(c), c.arg(0), c.arg(1), c.arg(2)));
  fn('single_open_size', (c) => {
    const size = Number(BigInt.asUintN(64, c.arg(3)) > BigInt(MAX_RW_COUNT) ? BigInt(MAX_RW_COUNT) + 1n : c.arg(3));
    const buf = bufAlloc(size);
    if (!buf) return -ENOMEM;
    const r = singleOpen(call(c), c.arg(0), c.arg(1), c.arg(2));
    if (r) {
      k.kfree(buf);
      return r;
    }
    const s = m.readU64(c.arg(0) + privateData);
    set(s, F.buf, buf);
    set(s, F.size, size);
    return 0;
  });
  const singleRelease = (file: bigint): number => {
    const op = get(m.readU64(file + privateData), F.op);
    const r = seqRelease(file);
    k.kfree(op);
    return r;
  };
  fn('single_release', (c) => singleRelease(c.arg(1)));

  const seqOpenPrivate = (file: bigint, op: bigint, psize: number): bigint => {
    const priv = k.kmalloc(psize);
    if (!priv) return 0n;
    if (seqOpen(file, op) < 0) {
      k.kfree(priv);
      return 0n;
    }
    set(m.readU64(file + privateData), F.private, priv);
    return priv;
  };
  fn('__seq_open_private', (c) => seqOpenPrivate(c.arg(0), c.arg(1), Number(BigInt.asIntN(32, c.arg(2)))));
  fn('seq_open_private', (c) => (seqOpenPrivate(c.arg(0), c.arg(1), Number(BigInt.asIntN(32, c.arg(2)))) ? 0 : -ENOMEM));
  const seqReleasePrivate = (file: bigint): number => {
    const s = m.readU64(file + privateData);
    k.kfree(get(s, F.private));
    set(s, F.private, 0);
    return seqRelease(file);
  };
  fn('seq_release_private', (c) => seqReleasePrivate(c.arg(1)));


  registerSeqOutputApi(k);
  registerSeqListApi(k);

  return {
    seqRead: k.exports.addressOf('seq_read'),
    seqReadIter: k.exports.addressOf('seq_read_iter'),
    seqLseek: k.exports.addressOf('seq_lseek'),
    seqRelease: k.exports.addressOf('seq_release'),
    singleRelease: k.exports.addressOf('single_release'),
    singleOpen,
    seqOpen,
    seqOpenPrivate: (file, op, psize) => (seqOpenPrivate(file, op, psize) ? 0 : -ENOMEM),
    seqReleasePrivate,
  };
}
