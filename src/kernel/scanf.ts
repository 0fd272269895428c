// The kernel's vsscanf (lib/vsprintf.c) as a pure function: it walks the format over a C string
// and hands each conversion's result to a sink (pointer arguments come from `args`). The
// kernel's rules, which differ from C's:
//  - White space in the format matches any amount (none included); other characters match
//    exactly, and a mismatch ends the scan.
//  - The field width is a signed 16-bit value: 0, or one that wraps to 0 or below, stops it.
//  - %c copies up to the width but stops at the string's end; %s skips leading white space;
//    %[...] needs a width, has no ranges and cannot match ']'; %*[ ends the scan; %n counts
//    characters so far and is not a conversion.
//  - Numbers: white space skipped, the first digit must be one the base allows (so "0x" is
//    not refused for %x only because it starts with 0), then simple_strntoull rules: a width
//    counts the sign and the 0x prefix; values wrap at 64 bits and are cut to the target size.
import { isDigit, isSpace, isXDigit } from './ctype.js';

export interface ScanSink {
  /** The next pointer argument (va_arg(args, T *)). */
  nextPointer(): bigint;
  /** Store `value` (cut to `size` bytes, little-endian) at `addr`. */
  store(addr: bigint, value: bigint, size: 1 | 2 | 4 | 8): void;
  storeBytes(addr: bigint, bytes: Uint8Array): void;
}

const SHRT_MAX = 0x7fff;
const INT_MAX = 0x7fffffff;
const s16 = (v: number): number => (v << 16) >> 16;

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lc = c | 0x20;
  return lc >= 0x61 && lc <= 0x66 ? lc - 0x61 + 10 : 99;
}

/** simple_strntoull from index i: [value, index after]. */
export function simpleStrntoull(s: ArrayLike<number>, i: number, maxChars: number, baseIn: number): [bigint, number] {
  const at = (k: number) => (k < s.length ? s[k]! : 0);
  let base = baseIn;
  let cp = i;
  // _parse_integer_fixup_radix
  if (base === 0) base = at(cp) === 0x30 ? ((at(cp + 1) | 0x20) === 0x78 && isXDigit(at(cp + 2)) ? 16 : 8) : 10;
  if (base === 16 && at(cp) === 0x30 && (at(cp + 1) | 0x20) === 0x78) cp += 2;
  const prefix = cp - i;
  if (prefix >= maxChars) return [0n, i + maxChars]; // no room for a digit: skipped unconverted
  let v = 0n;
  const b = BigInt(base);
  for (let n = maxChars - prefix; n > 0; n--) {
    const d = digitValue(at(cp));
    if (d >= base) break;
    v = (v * b + BigInt(d)) & 0xffffffffffffffffn;
    cp++;
  }
  return [v, cp];
}

/** vsscanf(buf, fmt, args): the number of conversions stored. */
export function vsscanf(buf: Uint8Array, fmt: Uint8Array, sink: ScanSink): number {
  const S = (k: number) => (k < buf.length ? buf[k]! : 0);
  const F = (k: number) => (k < fmt.length ? fmt[k]! : 0);
  let str = 0;
  let f = 0;
  let num = 0;
  const skip = (at: (k: number) => number, k: number) => {
    while (isSpace(at(k))) k++;
    return k;
  };

  while (F(f)) {
    if (isSpace(F(f))) {
      f = skip(F, f + 1);
      str = skip(S, str);
    }
    if (F(f) !== 0x25 && F(f)) {
      if (F(f++) !== S(str++)) break;
      continue;
    }
    if (!F(f)) break;
    f++;

    if (F(f) === 0x2a) { // %*: skip to the next white space in both
      if (!S(str)) break;
      while (!isSpace(F(f)) && F(f) !== 0x25 && F(f)) {
        if (F(f) === 0x5b) return num; // %*[ is not supported
        f++;
      }
      while (!isSpace(S(str)) && S(str)) str++;
      continue;
    }

    let width = -1;
    if (isDigit(F(f))) {
      let w = 0;
      do w = (Math.imul(w, 10) + F(f++) - 0x30) | 0;
      while (isDigit(F(f)));
      width = s16(w);
      if (width <= 0) break;
    }

    let qual = -1;
    if (F(f) === 0x68 || (F(f) | 0x20) === 0x6c || F(f) === 0x7a) {
      qual = F(f++);
      if (qual === F(f)) {
        if (qual === 0x68) (qual = 0x48), f++;
        else if (qual === 0x6c) (qual = 0x4c), f++;
      }
    }
    if (!F(f)) break;

    if (F(f) === 0x6e) { // %n
      sink.store(sink.nextPointer(), BigInt(str), 4);
      f++;
      continue;
    }
    if (!S(str)) break;

    let base = 10;
    let signed = false;
    const conv = F(f++);
    switch (conv) {
      case 0x63: { // c
        const dst = sink.nextPointer();
        let w = width === -1 ? 1 : width;
        const out: number[] = [];
        do out.push(S(str++));
        while (--w > 0 && S(str));
        sink.storeBytes(dst, Uint8Array.from(out));
        num++;
        continue;
      }
      case 0x73: { // s
        const dst = sink.nextPointer();
        let w = width === -1 ? SHRT_MAX : width;
        str = skip(S, str);
        const out: number[] = [];
        while (S(str) && !isSpace(S(str)) && w--) out.push(S(str++));
        out.push(0);
        sink.storeBytes(dst, Uint8Array.from(out));
        num++;
        continue;
      }
      case 0x5b: { // [
        const dst = sink.nextPointer();
        if (width === -1) return num;
        const negate = F(f) === 0x5e;
        if (negate) f++;
        const set = new Uint8Array(256);
        let len = 0;
        for (; F(f) && F(f) !== 0x5d; f++, len++) set[F(f)] = 1;
        if (!F(f) || !len) return num;
        f++;
        if (negate) {
          for (let c = 0; c < 256; c++) set[c] ^= 1;
          set[0] = 0;
        }
        if (!set[S(str)]) return num;
        let w = width;
        const out: number[] = [];
        while (set[S(str)] && w--) out.push(S(str++));
        out.push(0);
        sink.storeBytes(dst, Uint8Array.from(out));
        num++;
        continue;
      }
      case 0x6f: base = 8; break;
      case 0x78: case 0x58: base = 16; break;
      case 0x69: base = 0; signed = true; break;
      case 0x64: signed = true; break;
      case 0x75: break;
      case 0x25:
        if (S(str++) !== 0x25) return num;
        continue;
      default:
        return num;
    }

    str = skip(S, str);
    let digit = S(str);
    if (signed && digit === 0x2d) {
      if (width === 1) break;
      digit = S(str + 1);
    }
    if (!digit || (base === 16 && !isXDigit(digit)) || (base === 10 && !isDigit(digit)) ||
      (base === 8 && (!isDigit(digit) || digit > 0x37)) || (base === 0 && !isDigit(digit))) break;

    const max = width >= 0 ? width : INT_MAX;
    let value: bigint;
    let next: number;
    if (signed && S(str) === 0x2d && max > 0) {
      [value, next] = simpleStrntoull(buf, str + 1, max - 1, base);
      value = BigInt.asUintN(64, -value);
    } else [value, next] = simpleStrntoull(buf, str, max, base);

    const size = qual === 0x48 ? 1 : qual === 0x68 ? 2 : qual === 0x6c || qual === 0x4c || qual === 0x7a ? 8 : 4;
    sink.store(sink.nextPointer(), value, size);
    num++;
    str = next;
  }
  return num;
}
