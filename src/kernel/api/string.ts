// lib/string.c exports, over emulated memory.
import { E2BIG, EINVAL } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { isSpace, toLower } from '../ctype.js';
import { stringEscapeMem } from '../string-escape.js';
import { kstrtobool, kstrtoint, kstrtoll, kstrtos16, kstrtos8, kstrtou16, kstrtou8, kstrtouint, kstrtoull, simpleStrtoll, simpleStrtoull, type KResult } from '../kstrtox.js';


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
  // strcasecmp returns the difference of the lowered bytes (strcmp only their order).
  k.exports.func('strcasecmp', (c) => strncasecmp(cs(c.arg(0)), cs(c.arg(1)), Infinity));
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
  k.exports.func('strscpy', (c) => strscpy(c.arg(0), c.arg(1), c.arg(2)));
  // strscpy_pad (lib/string_helpers.c): strscpy, then zeros up to the end of the buffer.
  k.exports.func('strscpy_pad', (c) => {
    const [dst, count] = [c.arg(0), BigInt.asUintN(64, c.arg(2))];
    const n = strscpy(dst, c.arg(1), count);
    if (n < 0 || BigInt(n) === count - 1n) return n;
    m.fill(dst + BigInt(n + 1), 0, Number(count) - n - 1);
    return n;
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

  k.exports.func('stpcpy', (c) => {
    const s = cs(c.arg(1));
    m.writeBytes(c.arg(0), s);
    m.writeU8(c.arg(0) + BigInt(s.length), 0);
    return c.arg(0) + BigInt(s.length);
  });
  k.exports.func('strncasecmp', (c) => strncasecmp(cs(c.arg(0)), cs(c.arg(1)), n64(c.arg(2))));
  k.exports.func('strchrnul', (c) => {
    const s = cs(c.arg(0));
    const i = s.indexOf(Number(c.arg(1) & 0xffn));
    return c.arg(0) + BigInt(i < 0 ? s.length : i);
  });
  // strnchr: the NUL counts as part of the string (strnchr(s, n, 0) finds it) within count.
  k.exports.func('strnchr', (c) => {
    const count = n64(c.arg(1));
    const s = cs(c.arg(0), count);
    const ch = Number(c.arg(2) & 0xffn);
    const i = ch === 0 ? (s.length < count ? s.length : -1) : s.indexOf(ch);
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('strspn', (c) => {
    const s = cs(c.arg(0));
    const accept = cs(c.arg(1));
    let i = 0;
    while (i < s.length && accept.includes(s[i]!)) i++;
    return i;
  });
  k.exports.func('strcspn', (c) => {
    const s = cs(c.arg(0));
    const reject = cs(c.arg(1));
    let i = 0;
    while (i < s.length && !reject.includes(s[i]!)) i++;
    return i;
  });
  k.exports.func('strpbrk', (c) => {
    const s = cs(c.arg(0));
    const set = cs(c.arg(1));
    const i = s.findIndex((b) => set.includes(b));
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('strnstr', (c) => {
    const needle = cs(c.arg(1));
    if (needle.length === 0) return c.arg(0);
    const len = n64(c.arg(2));
    for (let i = 0; len - i >= needle.length; i++) {
      const h = m.readBytes(c.arg(0) + BigInt(i), needle.length);
      if (h.every((b, j) => b === needle[j])) return c.arg(0) + BigInt(i);
    }
    return 0n;
  });
  k.exports.func('memchr', (c) => {
    const i = findByte(c.arg(0), n64(c.arg(2)), (b) => b === Number(c.arg(1) & 0xffn));
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  // memscan: like memchr, but a miss returns the end of the area, not NULL.
  k.exports.func('memscan', (c) => {
    const n = n64(c.arg(2));
    const i = findByte(c.arg(0), n, (b) => b === Number(c.arg(1) & 0xffn));
    return c.arg(0) + BigInt(i < 0 ? n : i);
  });
  k.exports.func('memchr_inv', (c) => {
    const i = findByte(c.arg(0), n64(c.arg(2)), (b) => b !== Number(c.arg(1) & 0xffn));
    return i < 0 ? 0n : c.arg(0) + BigInt(i);
  });
  k.exports.func('bcmp', (c) => {
    const n = n64(c.arg(2));
    const a = m.readBytes(c.arg(0), n);
    const b = m.readBytes(c.arg(1), n);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  k.exports.func('skip_spaces', (c) => {
    let p = c.arg(0);
    while (isSpace(m.readU8(p))) p++;
    return p;
  });
  // strim: cut trailing white space in place, return the first non-space character.
  k.exports.func('strim', (c) => {
    const p = c.arg(0);
    const s = cs(p);
    if (s.length === 0) return p;
    let end = s.length;
    while (end > 0 && isSpace(s[end - 1]!)) end--;
    m.writeU8(p + BigInt(end), 0);
    let i = 0;
    while (isSpace(m.readU8(p + BigInt(i)))) i++;
    return p + BigInt(i);
  });
  k.exports.func('sysfs_streq', (c) => sysfsStreq(cs(c.arg(0)), cs(c.arg(1))));
  const matchString = (name: string, eq: (a: Uint8Array, b: Uint8Array) => boolean) =>
    k.exports.func(name, (c) => {
      const arr = c.arg(0);
      const n = BigInt.asUintN(64, c.arg(1));
      const str = cs(c.arg(2));
      for (let i = 0n; i < n; i++) {
        const item = m.readU64(arr + i * 8n);
        if (item === 0n) break;
        if (eq(cs(item), str)) return i;
      }
      return -EINVAL;
    });
  matchString('match_string', (a, b) => cmp(a, b, Infinity) === 0);
  matchString('__sysfs_match_string', sysfsStreq);
  k.exports.func('strreplace', (c) => {
    const p = c.arg(0);
    const s = cs(p);
    const [from, to] = [Number(c.arg(1) & 0xffn), Number(c.arg(2) & 0xffn)];
    for (let i = 0; i < s.length; i++) if (s[i] === from) m.writeU8(p + BigInt(i), to);
    return p + BigInt(s.length);
  });
  k.exports.func('memcpy_and_pad', (c) => {
    const [dst, dstLen, src, count] = [c.arg(0), n64(c.arg(1)), c.arg(2), n64(c.arg(3))];
    if (dstLen > count) {
      if (count) m.writeBytes(dst, m.readBytes(src, count));
      m.fill(dst + BigInt(count), Number(c.arg(4) & 0xffn), dstLen - count);
    } else if (dstLen) m.writeBytes(dst, m.readBytes(src, dstLen));
  });
  // string_escape_mem (lib/string_helpers.c): stores what fits in osz (no NUL added) and
  // returns the length the whole escaped text has.
  k.exports.func('string_escape_mem', (c) => {
    const [src, isz, dst, osz, flags, only] = [c.arg(0), n64(c.arg(1)), c.arg(2), n64(c.arg(3)), Number(c.arg(4) & 0xffffffffn), c.arg(5)];
    const out = stringEscapeMem(isz ? m.readBytes(src, isz) : new Uint8Array(0), flags, only ? cs(only) : null);
    const n = Math.min(out.length, osz);
    if (n) m.writeBytes(dst, Uint8Array.from(out.slice(0, n)));
    return out.length;
  });
  // __memcat_p (lib/memcat_p.c): two NULL-terminated pointer arrays into a new one.
  k.exports.func('__memcat_p', (c) => {
    const items: bigint[] = [];
    for (const arr of [c.arg(0), c.arg(1)]) {
      for (let p = arr; ; p += 8n) {
        const v = m.readU64(p);
        if (v === 0n) break;
        items.push(v);
      }
    }
    const out = k.kmalloc((items.length + 1) * 8);
    if (!out) return 0n;
    items.forEach((v, i) => m.writeU64(out + BigInt(i * 8), v));
    m.writeU64(out + BigInt(items.length * 8), 0n);
    return out;
  });

  // kstrto*(s, base, *res): 0 or -errno; the result is written only on success.
  const kstrto = (name: string, size: 1 | 2 | 4 | 8, parse: (s: Uint8Array, base: number) => KResult<bigint | number>) =>
    k.exports.func(name, (c) => {
      const r = parse(cs(c.arg(0)), Number(c.arg(1) & 0xffffffffn));
      if (r.errno !== undefined) return -r.errno;
      m.writeUN(c.arg(2), size, BigInt.asUintN(64, BigInt(r.value)));
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

  /**
   * strscpy (lib/string.c) with CONFIG_DCACHE_WORD_ACCESS: whole words are copied while 8 or
   * more bytes of room are left, and the word holding the NUL is stored with the bytes after
   * the NUL cleared, so up to 7 bytes past the terminator become zero, as on x86-64.
   */
  function strscpy(dst: bigint, src: bigint, countIn: bigint): number {
    const count0 = BigInt.asUintN(64, countIn);
    if (count0 === 0n || count0 > 0x7fffffffn) return -E2BIG;
    let count = Number(count0);
    let res = 0;
    while (count >= 8) {
      const word = loadZeropad(src + BigInt(res));
      const nul = word.indexOf(0);
      if (nul >= 0) {
        word.fill(0, nul);
        m.writeBytes(dst + BigInt(res), word);
        return res + nul;
      }
      m.writeBytes(dst + BigInt(res), word);
      res += 8;
      count -= 8;
    }
    while (count) {
      const ch = m.readU8(src + BigInt(res));
      m.writeU8(dst + BigInt(res), ch);
      if (!ch) return res;
      res++;
      count--;
    }
    if (res) m.writeU8(dst + BigInt(res - 1), 0);
    return -E2BIG;
  }

  /** load_unaligned_zeropad: 8 bytes; bytes on an unmapped next page read as zero. */
  function loadZeropad(addr: bigint): Uint8Array {
    try {
      return m.readBytes(addr, 8);
    } catch {
      const out = new Uint8Array(8);
      out[0] = m.readU8(addr); // a fault on the first byte is a real fault
      for (let i = 1; i < 8; i++) {
        if (!m.isMapped(addr + BigInt(i))) break;
        out[i] = m.readU8(addr + BigInt(i));
      }
      return out;
    }
  }

  /** Index of the first of n bytes at addr that matches, or -1; reads page by page, in order. */
  function findByte(addr: bigint, n: number, match: (b: number) => boolean): number {
    for (let done = 0; done < n; ) {
      const chunk = Math.min(n - done, 4096 - Number((addr + BigInt(done)) & 4095n));
      const b = m.readBytes(addr + BigInt(done), chunk);
      for (let i = 0; i < chunk; i++) if (match(b[i]!)) return done + i;
      done += chunk;
    }
    return -1;
  }
}

/** strncasecmp (lib/string.c): the difference of the first bytes that differ after tolower(). */
function strncasecmp(a: Uint8Array, b: Uint8Array, len: number): number {
  for (let i = 0; i < len; i++) {
    let c1 = a[i] ?? 0;
    let c2 = b[i] ?? 0;
    if (!c1 || !c2) return c1 - c2;
    if (c1 === c2) continue;
    c1 = toLower(c1);
    c2 = toLower(c2);
    if (c1 !== c2) return c1 - c2;
  }
  return 0;
}

/** sysfs_streq: equal, or equal but for one trailing newline on either side. */
function sysfsStreq(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (s: Uint8Array) => (s.length && s[s.length - 1] === 0x0a ? s.subarray(0, -1) : s);
  const eq = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a, b) || eq(a, strip(b)) || eq(strip(a), b);
}
