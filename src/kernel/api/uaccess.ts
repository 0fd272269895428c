// The uaccess exports (lib/usercopy.c, arch/x86/lib/{getuser,putuser,copy_user_64}.S,
// fs/libfs.c): every way module code reaches a user buffer, checked like access_ok and with the
// x86-64 fault fix-ups' results (bytes left, -EFAULT) instead of an oops.
import { EFAULT, EINVAL } from '../errno.js';
import type { Kernel } from '../kernel.js';

const RAX = 0;
const RCX = 1;
const RDX = 2;
const MAX_COPY = 0x7fffffff;

export function registerUaccessApi(k: Kernel): void {
  const m = k.mem;
  const u = k.user;
  const len = (v: bigint) => {
    const n = BigInt.asUintN(64, v);
    return n > BigInt(MAX_COPY) ? MAX_COPY : Number(n);
  };

  // copy_to_user/copy_from_user call these out of line (x86 has no INLINE_COPY_*): access_ok,
  // then the raw copy; the result is the number of bytes that could not be copied.
  const toUser = (to: bigint, from: bigint, n: number) => {
    if (!n) return 0;
    if (!u.accessOk(to, n)) return n;
    return u.copyTo(to, m.readBytes(from, n));
  };
  // copy_from_user zeroes what it could not fetch, so the kernel never sees stale bytes.
  const fromUser = (to: bigint, from: bigint, n: number) => {
    if (!n) return 0;
    const got = u.accessOk(from, n) ? u.copyFrom(from, n) : new Uint8Array(0);
    if (got.length) m.writeBytes(to, got);
    if (got.length < n) m.fill(to + BigInt(got.length), 0, n - got.length);
    return n - got.length;
  };
  k.exports.func('_copy_to_user', (c) => toUser(c.arg(0), c.arg(1), len(c.arg(2))));
  k.exports.func('_copy_from_user', (c) => fromUser(c.arg(0), c.arg(1), len(c.arg(2))));
  // __copy_{to,from}_user and friends inline the raw copy, which calls one of these by the CPU's
  // features (alternatives); none checks the range (the caller did), none zeroes the tail.
  const rawTo = (c: { arg(i: number): bigint }) => u.copyTo(c.arg(0), m.readBytes(c.arg(1), len(c.arg(2))));
  const rawFrom = (c: { arg(i: number): bigint }) => {
    const n = len(c.arg(2));
    const got = u.copyFrom(c.arg(1), n);
    if (got.length) m.writeBytes(c.arg(0), got);
    return n - got.length;
  };
  // The copy direction is not known to these helpers: the source or the destination is user.
  const raw = (c: { arg(i: number): bigint }) => (u.accessOk(c.arg(0), 0) ? rawTo(c) : rawFrom(c));
  for (const name of ['copy_user_enhanced_fast_string', 'copy_user_generic_string', 'copy_user_generic_unrolled', 'rep_movs_alternative']) {
    k.exports.func(name, raw);
  }

  // get_user(x, ptr): address in rax; rax = 0 or -EFAULT, rdx = the value (0 on a fault).
  for (const size of [1, 2, 4, 8]) {
    const get = (c: { reg(n: number): bigint; setReg(n: number, v: bigint): void }) => {
      const p = c.reg(RAX);
      const ok = u.accessOk(p, size) && u.reachable(p, size) === size;
      let v = 0n;
      if (ok) v = m.readUN(p, size);
      c.setReg(RDX, v);
      return ok ? 0 : -EFAULT;
    };
    // put_user(x, ptr): value in rax, address in rcx; rcx = 0 or -EFAULT, rax untouched.
    const put = (c: { reg(n: number): bigint; setReg(n: number, v: bigint): void }) => {
      const p = c.reg(RCX);
      const v = c.reg(RAX);
      const ok = u.accessOk(p, size) && u.reachable(p, size) === size;
      if (ok) m.writeUN(p, size, v);
      c.setReg(RCX, ok ? 0n : BigInt(-EFAULT));
    };
    k.exports.func(`__get_user_${size}`, get);
    k.exports.func(`__get_user_nocheck_${size}`, get);
    k.exports.func(`__put_user_${size}`, put);
    k.exports.func(`__put_user_nocheck_${size}`, put);
  }

  // Hardened usercopy: the object checks need the slab's object bounds; accepting every copy is
  // what a kernel without CONFIG_HARDENED_USERCOPY does.
  k.exports.func('__check_object_size', () => {});

  // strncpy_from_user: the length copied without the NUL, `count` when no NUL came first, or
  // -EFAULT when nothing at `src` could be read.
  k.exports.func('strncpy_from_user', (c) => {
    const dst = c.arg(0);
    const src = c.arg(1);
    const count = Number(BigInt.asIntN(64, c.arg(2)));
    if (count <= 0) return 0;
    const n = u.accessOk(src, 0) ? u.reachable(src, count) : 0;
    const bytes = n ? m.readBytes(src, n) : new Uint8Array(0);
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      m.writeBytes(dst, bytes.subarray(0, nul + 1));
      return nul;
    }
    if (n < count) return -EFAULT;
    m.writeBytes(dst, bytes);
    return count;
  });
  // strnlen_user: the length including the NUL, more than `count` when longer, 0 on a fault.
  k.exports.func('strnlen_user', (c) => {
    const src = c.arg(0);
    const count = Number(BigInt.asIntN(64, c.arg(1)));
    if (count <= 0) return 0;
    const n = u.accessOk(src, 0) ? u.reachable(src, count) : 0;
    const nul = (n ? m.readBytes(src, n) : new Uint8Array(0)).indexOf(0);
    if (nul >= 0) return nul + 1;
    return n < count ? 0 : count + 1;
  });

  // fs/libfs.c: reads and writes of a kernel buffer at *ppos, for simple read/write handlers.
  k.exports.func('simple_read_from_buffer', (c) => {
    const [to, ppos, from] = [c.arg(0), c.arg(2), c.arg(3)];
    let count = len(c.arg(1));
    const available = Number(BigInt.asIntN(64, c.arg(4)));
    const pos = Number(BigInt.asIntN(64, m.readU64(ppos)));
    if (pos < 0) return -EINVAL;
    if (pos >= available || !count) return 0;
    count = Math.min(count, available - pos);
    const left = toUser(to, from + BigInt(pos), count);
    if (left === count) return -EFAULT;
    m.writeU64(ppos, BigInt(pos + count - left));
    return count - left;
  });
  k.exports.func('simple_write_to_buffer', (c) => {
    const [to, ppos, from] = [c.arg(0), c.arg(2), c.arg(3)];
    const available = Number(BigInt.asIntN(64, c.arg(1)));
    let count = len(c.arg(4));
    const pos = Number(BigInt.asIntN(64, m.readU64(ppos)));
    if (pos < 0) return -EINVAL;
    if (pos >= available || !count) return 0;
    count = Math.min(count, available - pos);
    const left = fromUser(to + BigInt(pos), from, count);
    if (left === count) return -EFAULT;
    m.writeU64(ppos, BigInt(pos + count - left));
    return count - left;
  });
  // memory_read_from_buffer: the same between two kernel buffers.
  k.exports.func('memory_read_from_buffer', (c) => {
    const [to, ppos, from] = [c.arg(0), c.arg(2), c.arg(3)];
    let count = len(c.arg(1));
    const available = Number(BigInt.asIntN(64, c.arg(4)));
    const pos = Number(BigInt.asIntN(64, m.readU64(ppos)));
    if (pos < 0) return -EINVAL;
    if (pos >= available) return 0;
    count = Math.min(count, available - pos);
    if (count) m.writeBytes(to, m.readBytes(from + BigInt(pos), count));
    m.writeU64(ppos, BigInt(pos + count));
    return count;
  });
}
