// String-to-integer conversion with the semantics of Linux 6.1 lib/kstrtox.c and the
// simple_strto* helpers of lib/vsprintf.c (fact sheet §1.2, §1.3). Written from the
// documented behaviour; no kernel code is reused.
//
// Inputs are C strings: a Uint8Array ends at its first NUL byte, a JS string is UTF-8 encoded.
// Results are `{ value }` or `{ errno }` (positive errno), never thrown, because every caller
// (param setters, file writes) turns the errno into a syscall result.

export const EINVAL = 22;
export const ERANGE = 34;

export type KResult<T> = { value: T; errno?: undefined } | { errno: number; value?: undefined };

const U64 = 1n << 64n;
const U64_MAX = U64 - 1n;
const S64_MAX = (1n << 63n) - 1n;

const encoder = new TextEncoder();

/** The bytes of a C string: up to (not including) the first NUL. */
export function cstring(s: Uint8Array | string): Uint8Array {
  const b = typeof s === 'string' ? encoder.encode(s) : s;
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

const at = (s: Uint8Array, i: number): number => (i < s.length ? s[i]! : 0);

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lc = c | 0x20;
  if (lc >= 0x61 && lc <= 0x66) return lc - 0x61 + 10;
  return 99; // not a digit in any supported base
}

/**
 * Base 0 picks the radix from the text: `0x` + hex digit is hex, another leading `0` octal,
 * else decimal. Base 16 (given or detected) skips a `0x` prefix even with nothing after it.
 */
function fixupRadix(s: Uint8Array, i: number, base: number): { i: number; base: number } {
  if (base === 0) {
    if (at(s, i) === 0x30) {
      base = (at(s, i + 1) | 0x20) === 0x78 && digitValue(at(s, i + 2)) < 16 ? 16 : 8;
    } else {
      base = 10;
    }
  }
  if (base === 16 && at(s, i) === 0x30 && (at(s, i + 1) | 0x20) === 0x78) i += 2;
  return { i, base };
}

/** Digits from i: the value wraps at 64 bits, and overflow is reported but parsing goes on. */
function parseDigits(s: Uint8Array, i: number, base: number, maxChars = Infinity) {
  let value = 0n;
  let count = 0;
  let overflow = false;
  const b = BigInt(base);
  while (count < maxChars) {
    const v = digitValue(at(s, i + count));
    if (v >= base) break;
    const next = value * b + BigInt(v);
    if (next > U64_MAX) overflow = true;
    value = next & U64_MAX;
    count++;
  }
  return { value, count, overflow };
}

/** No sign handling: radix, digits, one optional newline, then the end. */
function parseUnsigned(s: Uint8Array, start: number, base: number): KResult<bigint> {
  const r = fixupRadix(s, start, base);
  const d = parseDigits(s, r.i, r.base);
  // Overflow is checked before "no digits" and before trailing garbage, as the kernel does.
  if (d.overflow) return { errno: ERANGE };
  if (d.count === 0) return { errno: EINVAL };
  let i = r.i + d.count;
  if (at(s, i) === 0x0a) i++;
  if (i !== s.length) return { errno: EINVAL };
  return { value: d.value };
}

export function kstrtoull(str: Uint8Array | string, base: number): KResult<bigint> {
  const s = cstring(str);
  return parseUnsigned(s, at(s, 0) === 0x2b ? 1 : 0, base);
}

export function kstrtoll(str: Uint8Array | string, base: number): KResult<bigint> {
  const s = cstring(str);
  if (at(s, 0) === 0x2d) {
    // After '-' no '+' is skipped: "-+5" is EINVAL.
    const r = parseUnsigned(s, 1, base);
    if (r.errno !== undefined) return r;
    if (r.value > 1n << 63n) return { errno: ERANGE };
    return { value: -r.value };
  }
  const r = kstrtoull(s, base);
  if (r.errno !== undefined) return r;
  if (r.value > S64_MAX) return { errno: ERANGE };
  return r;
}

// long is 64 bits on x86-64.
export const kstrtoul = kstrtoull;
export const kstrtol = kstrtoll;

function unsignedOf(bits: number) {
  const max = (1n << BigInt(bits)) - 1n;
  return (s: Uint8Array | string, base: number): KResult<number> => {
    const r = kstrtoull(s, base);
    if (r.errno !== undefined) return r;
    return r.value > max ? { errno: ERANGE } : { value: Number(r.value) };
  };
}

function signedOf(bits: number) {
  const max = (1n << BigInt(bits - 1)) - 1n;
  return (s: Uint8Array | string, base: number): KResult<number> => {
    const r = kstrtoll(s, base);
    if (r.errno !== undefined) return r;
    return r.value > max || r.value < -max - 1n ? { errno: ERANGE } : { value: Number(r.value) };
  };
}

export const kstrtouint = unsignedOf(32);
export const kstrtoint = signedOf(32);
export const kstrtou16 = unsignedOf(16);
export const kstrtos16 = signedOf(16);
export const kstrtou8 = unsignedOf(8);
export const kstrtos8 = signedOf(8);

/** Only the first one or two bytes matter: y/t/1/on mean true, n/f/0/off false. */
export function kstrtobool(str: Uint8Array | string | null): KResult<boolean> {
  if (str === null) return { errno: EINVAL };
  const s = cstring(str);
  switch (String.fromCharCode(at(s, 0))) {
    case 'y': case 'Y': case 't': case 'T': case '1':
      return { value: true };
    case 'n': case 'N': case 'f': case 'F': case '0':
      return { value: false };
    case 'o': case 'O': {
      const c = at(s, 1) | 0x20;
      if (c === 0x6e) return { value: true }; // "on"
      if (c === 0x66) return { value: false }; // "off"
      return { errno: EINVAL };
    }
    default:
      return { errno: EINVAL };
  }
}

/**
 * The `kstrto*_from_user` helpers copy at most this many bytes of the user buffer before
 * parsing (sign, one digit per bit, newline); longer writes are silently cut, which can turn
 * garbage after that point into a success. kstrtobool_from_user keeps 3 bytes.
 */
export function kstrtoFromUserMax(typeBytes: number): number {
  return 1 + typeBytes * 8 + 1;
}
export const KSTRTOBOOL_FROM_USER_MAX = 3;

export interface SimpleResult {
  /** The value, wrapped to 64 bits (unsigned for ull/ul, two's complement for ll/l). */
  value: bigint;
  /** Index just past the consumed characters (the kernel's *endp). */
  end: number;
}

/** simple_strtoull never fails: no sign, no whitespace skipping, overflow wraps silently. */
export function simpleStrtoull(str: Uint8Array | string, base: number, start = 0): SimpleResult {
  const s = cstring(str);
  const r = fixupRadix(s, start, base);
  const d = parseDigits(s, r.i, r.base);
  // With base 16 a lone "0x" is consumed even though no digit follows.
  return { value: d.value, end: r.i + d.count };
}

export const simpleStrtoul = simpleStrtoull;

/** A leading '-' negates the unsigned parse of the rest; the result is a signed 64-bit value. */
export function simpleStrtoll(str: Uint8Array | string, base: number): SimpleResult {
  const s = cstring(str);
  if (at(s, 0) === 0x2d) {
    const r = simpleStrtoull(s, base, 1);
    return { value: BigInt.asIntN(64, -r.value), end: r.end };
  }
  const r = simpleStrtoull(s, base);
  return { value: BigInt.asIntN(64, r.value), end: r.end };
}

export const simpleStrtol = simpleStrtoll;
