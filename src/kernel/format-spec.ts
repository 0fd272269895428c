// The output primitives of lib/vsprintf.c that every conversion shares: struct printf_spec,
// number(), string_nocheck()/widen_string(), error_string(), check_pointer(). Output goes to an
// unbounded byte array; the sized variants cut it afterwards (snprintfResult in format.ts),
// which gives the same bytes as the kernel's writes bounded by `end`.

export const SIGN = 1, LEFT = 2, PLUS = 4, SPACE = 8, ZEROPAD = 16, SMALL = 32, SPECIAL = 64;
export const PAGE_SIZE = 4096n;
const MAX_ERRNO = 4095n;
export const U64 = 1n << 64n;

export interface Spec {
  flags: number;
  width: number; // -1 = none
  precision: number; // -1 = none
  base: number;
}

export const ascii = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
export const isErr = (p: bigint): boolean => p >= U64 - MAX_ERRNO;

export function pad(out: number[], ch: number, n: number): void {
  for (let k = 0; k < n; k++) out.push(ch);
}

/** default_dec_spec and friends. */
export const DEC: Spec = { flags: 0, width: -1, precision: -1, base: 10 };
export const DEC02: Spec = { flags: ZEROPAD, width: 2, precision: -1, base: 10 };
export const DEC04: Spec = { flags: ZEROPAD, width: 4, precision: -1, base: 10 };
/** default_flag_spec: %#x. */
export const FLAG_HEX: Spec = { flags: SPECIAL | SMALL, width: -1, precision: -1, base: 16 };
export const STR: Spec = { flags: 0, width: -1, precision: -1, base: 10 };

/** The kernel's number(): sign, 0x/0 prefix, padding and precision in its particular order. */
export function number(out: number[], numIn: bigint, spec: Spec): void {
  let num = BigInt.asUintN(64, numIn);
  let flags = spec.flags;
  let width = spec.width;
  const needPrefix = (flags & SPECIAL) !== 0 && spec.base !== 10;
  const isZero = num === 0n;
  if (flags & LEFT) flags &= ~ZEROPAD;
  let sign = 0;
  if (flags & SIGN) {
    if (num >= 1n << 63n) {
      sign = 0x2d;
      num = U64 - num;
      width--;
    } else if (flags & PLUS) {
      sign = 0x2b;
      width--;
    } else if (flags & SPACE) {
      sign = 0x20;
      width--;
    }
  }
  if (needPrefix) {
    if (spec.base === 16) width -= 2;
    else if (!isZero) width--;
  }
  let digits = num.toString(spec.base);
  if (!(flags & SMALL)) digits = digits.toUpperCase();
  const precision = Math.max(spec.precision, digits.length);
  width -= precision;
  if (!(flags & (ZEROPAD | LEFT))) {
    pad(out, 0x20, width);
    width = 0;
  }
  if (sign) out.push(sign);
  if (needPrefix) {
    if (spec.base === 16 || !isZero) out.push(0x30);
    if (spec.base === 16) out.push(flags & SMALL ? 0x78 : 0x58);
  }
  if (!(flags & LEFT)) {
    pad(out, flags & ZEROPAD ? 0x30 : 0x20, width);
    width = 0;
  }
  pad(out, 0x30, precision - digits.length);
  out.push(...ascii(digits));
  pad(out, 0x20, width);
}

/**
 * widen_string(): pad the `n` bytes just written (the tail of `out`) to the field width,
 * moving them right unless LEFT.
 */
export function widen(out: number[], n: number, spec: Spec): void {
  if (n >= spec.width) return;
  const spaces = spec.width - n;
  if (spec.flags & LEFT) pad(out, 0x20, spaces);
  else out.splice(out.length - n, 0, ...new Array<number>(spaces).fill(0x20));
}

/** string_nocheck(): up to `precision` bytes of s (to its NUL), then widened. */
export function stringNoCheck(out: number[], s: ArrayLike<number>, spec: Spec): void {
  let n = 0;
  const lim = spec.precision >= 0 ? spec.precision : Infinity;
  while (n < lim && n < s.length && s[n] !== 0) out.push(s[n++]!);
  widen(out, n, spec);
}

/** error_string(): capped at 16 bytes unless a precision says otherwise. */
export function errorString(out: number[], msg: string, spec: Spec): void {
  stringNoCheck(out, ascii(msg), { ...spec, precision: spec.precision === -1 ? 16 : spec.precision });
}

/** check_pointer(): NULL prints (null); the first page and ERR_PTR values (efault). */
export function badPointer(out: number[], p: bigint, spec: Spec): boolean {
  if (p === 0n) errorString(out, '(null)', spec);
  else if (p < PAGE_SIZE || isErr(p)) errorString(out, '(efault)', spec);
  else return false;
  return true;
}

/** pointer_string(): %px and friends; 16 zero-padded digits unless a width was given. */
export function pointerString(out: number[], p: bigint, spec: Spec): void {
  const s = { ...spec, base: 16, flags: spec.flags | SMALL };
  if (s.width === -1) {
    s.width = 16;
    s.flags |= ZEROPAD;
  }
  number(out, p, s);
}

/** special_hex_number(): `0x` and 2*size hex digits, whatever the caller's spec. */
export function specialHex(out: number[], num: bigint, size: number): void {
  number(out, num, { flags: SPECIAL | SMALL | ZEROPAD, width: 2 + 2 * size, precision: -1, base: 16 });
}

export const hex2 = (b: number): number[] => ascii(b.toString(16).padStart(2, '0'));
