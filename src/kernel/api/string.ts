// lib/string.c exports, over emulated memory.
import type { Kernel } from '../kernel.js';
import { EINVAL, ERANGE } from '../errno.js';
import { kstrtobool, kstrtoint, kstrtoll, kstrtos16, kstrtos8, kstrtou16, kstrtou8, kstrtouint, kstrtoull, simpleStrtoll, simpleStrtoull, type KResult } from '../kstrtox.js';

const E2BIG = 7;

export function registerStringApi(k: Kernel): void {
  const m = k.mem;
  const cs = (p: bigint, max = 1 << 24) => m.readCString(p, max);
  const cmp = (a: Uint8Array, b: Uint8Array, n: number) => {
    for (let i = 0; i < n; i++) {
      const x = a[i] ?? 0;
      const y = b[i] ?? 0;
      if (x !== y) return x < y ? -1 : 1;
      if (x === 0) return 0;
    }
    return 0;
  };
  const n64 = (v: bigint) => Number(BigInt.asUintN(64, v) > 0x7fffffffn ? 0x7fffffffn : v);

  k.exports.func('memcpy', (c) => {
    const n = n64(c.arg(2));
    if (n) m.writeBytes(c.arg(0), m.readBytes(c.arg(1), n));
    return c.arg(0);
  });
  k.exports.func('memmove', (c) => {
    const n = n64(c.arg(2));
    if (n) m.writeBytes(c.arg(0), m.readBytes(c.arg(1), n).slice());
    return c.arg(0);
  });
  k.exports.func('memset', (c) => {
    const n = n64(c.arg(2));
    if (n) m.fill(c.arg(0), Number(c.arg(1) & 0xffn), n);
    return c.arg(0);
  });
  k.exports.func('memcmp', (c) => {
    const n = n64(c.arg(2));
    const a = m.readBytes(c.arg(0), n);
    const b = m.readBytes(c.arg(1), n);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  k.exports.func('strlen', (c) => cs(c.arg(0)).length);
  k.exports.func('strnlen', (c) => cs(c.arg(0), n64(c.arg(1))).length);
  k.exports.func('strcmp', (c) => cmp(cs(c.arg(0)), cs(c.arg(1)), Infinity));
  k.exports.func('strncmp', (c) => cmp(cs(c.arg(0)), cs(c.arg(1)), n64(c.arg(2))));
  k.exports.func('strcasecmp', (c) => cmp(lower(cs(c.arg(0))), lower(cs(c.arg(1))), Infinity));
  k.exports.func('strcpy', (c) => {
    const s = cs(c.arg(1));
    m.writeBytes(c.arg(0), s);
    m.writeU8(c.arg(0) + BigInt(s.length), 0);
    return c.arg(0);
  });
  k.exports.func('strncpy', (c) => {
    const n = n64(c.arg(2));
    const s = cs(c.arg(1), n);
    const out = new Uint8Array(n);
    out.set(s);
    if (n) m.writeBytes(c.arg(0), out);
    return c.arg(0);
  });
  k.exports.func('strscpy', (c) => {
    const size = n64(c.arg(2));
    if (size === 0) return -E2BIG;
    const s = cs(c.arg(1), size);
    const n = Math.min(s.length, size - 1);
    m.writeBytes(c.arg(0), s.subarray(0, n));
    m.writeU8(c.arg(0) + BigInt(n), 0);
    return s.length >= size ? -E2BIG : n;
  });
  k.exports.func('strcat', (c) => {
    const d = cs(c.arg(0)).length;
    const s = cs(c.arg(1));
    m.writeBytes(c.arg(0) + BigInt(d), s);
    m.writeU8(c.arg(0) + BigInt(d + s.length), 0);
    return c.arg(0);
  });
  k.exports.func('strncat', (c) => {
    const d = cs(c.arg(0)).length;
    const s = cs(c.arg(1), n64(c.arg(2)));
    m.writeBytes(c.arg(0) + BigInt(d), s);
    m.writeU8(c.arg(0) + BigInt(d + s.length), 0);
    return c.arg(0);
  });
  // strlcat/strlcpy return the length they tried to create; the copy is cut to fit `size`.
  k.exports.func('strlcat', (c) => {
    const size = n64(c.arg(2));
    const d = cs(c.arg(0)).length;
    const s = cs(c.arg(1));
    if (d < size) {
      const n = Math.min(s.length, size - d - 1);
      m.writeBytes(c.arg(0) + BigInt(d), s.subarray(0, n));
      m.writeU8(c.arg(0) + BigInt(d + n), 0);
    }
    return d + s.length;
  });
  k.exports.func('strlcpy', (c) => {
    const size = n64(c.arg(2));
    const s = cs(c.arg(1));
    if (size) {
      const n = Math.min(s.length, size - 1);
      m.writeBytes(c.arg(0), s.subarray(0, n));
      m.writeU8(c.arg(0) + BigInt(n), 0);
    }
    return s.length;
  });
  k.exports.func('strchr', (c) => {
    const s = cs(c.arg(0));
    const ch = Number(c.arg(1) & 0xffn);
    if (ch === 0) return c.arg(0) + BigInt(s.length);
    const i = s.indexOf(ch);
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('strrchr', (c) => {
    const s = cs(c.arg(0));
    const ch = Number(c.arg(1) & 0xffn);
    if (ch === 0) return c.arg(0) + BigInt(s.length);
    const i = s.lastIndexOf(ch);
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('strstr', (c) => {
    const h = Buffer.from(cs(c.arg(0)));
    const i = h.indexOf(Buffer.from(cs(c.arg(1))));
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('strsep', (c) => {
    const pp = c.arg(0);
    const s = m.readU64(pp);
    if (s === 0n) return 0n;
    const str = cs(s);
    const delim = cs(c.arg(1));
    const i = str.findIndex((b) => delim.includes(b));
    if (i < 0) m.writeU64(pp, 0n);
    else {
      m.writeU8(s + BigInt(i), 0);
      m.writeU64(pp, s + BigInt(i + 1));
    }
    return s;
  });

  // kstrto*(s, base, *res): 0 or -errno; the result is written only on success.
  const kstrto = (name: string, size: 1 | 2 | 4 | 8, parse: (s: Uint8Array, base: number) => KResult<bigint | number>) =>
    k.exports.func(name, (c) => {
      const r = parse(cs(c.arg(0)), Number(c.arg(1) & 0xffffffffn));
      if (r.errno !== undefined) return -r.errno;
      const v = BigInt(r.value);
      if (size === 1) m.writeU8(c.arg(2), Number(BigInt.asUintN(8, v)));
      else if (size === 2) m.writeU16(c.arg(2), Number(BigInt.asUintN(16, v)));
      else if (size === 4) m.writeU32(c.arg(2), Number(BigInt.asUintN(32, v)));
      else m.writeU64(c.arg(2), BigInt.asUintN(64, v));
      return 0;
    });
  kstrto('kstrtoint', 4, kstrtoint);
  kstrto('kstrtouint', 4, kstrtouint);
  kstrto('kstrtoll', 8, kstrtoll);
  kstrto('kstrtoull', 8, kstrtoull);
  kstrto('_kstrtol', 8, kstrtoll);
  kstrto('_kstrtoul', 8, kstrtoull);
  kstrto('kstrtos16', 2, kstrtos16);
  kstrto('kstrtou16', 2, kstrtou16);
  kstrto('kstrtos8', 1, kstrtos8);
  kstrto('kstrtou8', 1, kstrtou8);
  k.exports.func('kstrtobool', (c) => {
    const r = kstrtobool(c.arg(0) === 0n ? null : cs(c.arg(0)));
    if (r.errno !== undefined) return -r.errno;
    m.writeU8(c.arg(1), r.value ? 1 : 0);
    return 0;
  });
  const simple = (name: string, f: typeof simpleStrtoull) =>
    k.exports.func(name, (c) => {
      const start = c.arg(0);
      const r = f(cs(start), Number(c.arg(2) & 0xffffffffn));
      if (c.arg(1)) m.writeU64(c.arg(1), start + BigInt(r.end));
      return BigInt.asUintN(64, r.value);
    });
  simple('simple_strtoull', simpleStrtoull);
  simple('simple_strtoul', simpleStrtoull);
  simple('simple_strtoll', simpleStrtoll);
  simple('simple_strtol', simpleStrtoll);
  void EINVAL;
  void ERANGE;
}

function lower(b: Uint8Array): Uint8Array {
  return b.map((x) => (x >= 0x41 && x <= 0x5a ? x + 32 : x));
}
