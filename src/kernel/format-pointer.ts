// lib/vsprintf.c's pointer(): the %p extensions. `ext` is the run of alphanumerics after the
// `p` (the kernel's fmt, which skips them all afterwards). Objects are read through the hooks;
// a read the hooks refuse (null) prints "(efault)" in place of the whole conversion, where the
// kernel would oops (the kernel-side hooks let the fault through instead, so it does).
import { isDigit } from './ctype.js';
import type { FormatHooks } from './format.js';
import { errname, formatKernel } from './format.js';
import { flagsString, resource } from './format-flags.js';
import { ipAddr } from './format-ip.js';
import { bytes, cstr, int64, offsetOf, s32, stringAt, u32, u64, u8, le, Unreadable, type PointerCtx } from './format-read.js';
import {
  ascii, badPointer, DEC, DEC02, DEC04, errorString, hex2, isErr, number, pointerString,
  SIGN, SMALL, specialHex, STR, stringNoCheck, widen, ZEROPAD, type Spec,
} from './format-spec.js';
import { ESCAPE_ANY, ESCAPE_ANY_NP, ESCAPE_HEX, ESCAPE_NP, ESCAPE_NULL, ESCAPE_OCTAL, ESCAPE_SPACE, ESCAPE_SPECIAL, stringEscapeMem } from './string-escape.js';

export type { PointerCtx } from './format-read.js';

export function pointer(ctx: PointerCtx, ext: string, p: bigint, spec: Spec): void {
  const start = ctx.out.length;
  try {
    dispatch(ctx, ext, p, spec);
  } catch (e) {
    if (!(e instanceof Unreadable)) throw e;
    ctx.out.length = start;
    errorString(ctx.out, '(efault)', spec);
  }
}

function dispatch(ctx: PointerCtx, ext: string, p: bigint, spec: Spec): void {
  const out = ctx.out;
  const f = (i: number): string => ext[i] ?? '';
  switch (f(0)) {
    case 'S': case 's': case 'B':
      return stringNoCheck(out, ascii(symbolText(ctx.hooks, p, f(0))), spec);
    case 'R': case 'r':
      return resource(ctx, p, spec, f(0) === 'R');
    case 'h':
      return hexString(ctx, p, spec, f(1));
    case 'b':
      return f(1) === 'l' ? bitmapList(ctx, p, spec) : bitmapMask(ctx, p, spec);
    case 'M': case 'm':
      return mac(ctx, p, spec, ext);
    case 'I': case 'i':
      return ipAddr(ctx, p, spec, ext);
    case 'E':
      return escaped(ctx, p, spec, ext);
    case 'U':
      return uuid(ctx, p, spec, f(1));
    case 'V':
      return vaFormat(ctx, p, spec);
    case 'K': {
      const mode = ctx.hooks?.restrictedPointers ?? 'zero';
      if (mode === 'hash') return defaultPointer(ctx, p, spec);
      return pointerString(out, mode === 'raw' ? p : 0n, spec);
    }
    case 'N':
      if (badPointer(out, p, spec)) return;
      if (f(1) !== 'F') return errorString(out, '(%pN?)', spec);
      return specialHex(out, u64(ctx, p), 8); // netdev_features_t is u64
    case '4':
      return fourcc(ctx, p, spec, ext);
    case 'a':
      // dma_addr_t (%pad) and phys_addr_t (%pap, %pa) are both 8 bytes on x86-64.
      if (badPointer(out, p, spec)) return;
      return specialHex(out, u64(ctx, p), 8);
    case 'd':
      return dentryName(ctx, p, spec, f(1));
    case 't':
      return timeAndDate(ctx, p, spec, ext);
    case 'C':
      // CONFIG_COMMON_CLK=y would print the clock's name; modfs has no struct clk a module
      // could hold, so the pointer is shown as the !COMMON_CLK kernel shows it (hashed).
      if (badPointer(out, p, spec)) return;
      return ptrToId(ctx, p, spec);
    case 'D':
      if (badPointer(out, p, spec)) return;
      return dentryName(ctx, u64(ctx, p + offsetOf(ctx, 'file.f_path.dentry')), spec, f(1));
    case 'g':
      return bdevName(ctx, p, spec);
    case 'G':
      return flagsString(ctx, p, spec, f(1));
    case 'O':
      // CONFIG_OF is off in Debian's x86-64 build.
      return errorString(out, f(1) === 'F' ? '(%pOF?)' : '(%pO?)', spec);
    case 'f':
      return fwnodeString(ctx, p, spec, ext.slice(1));
    case 'A': // Rust formatting; CONFIG_RUST is off in Debian 6.1
      return errorString(out, '(%pA?)', spec);
    case 'x':
      return pointerString(out, p, spec);
    case 'e':
      if (!isErr(p)) return defaultPointer(ctx, p, spec);
      return errPtr(out, Number(BigInt.asIntN(64, p)), spec);
    case 'u': case 'k':
      if (f(1) === 's') return stringAt(ctx, p, spec);
      return errorString(out, '(einval)', spec);
    default:
      return defaultPointer(ctx, p, spec);
  }
}

/** default_pointer(): hashed, unless no_hash_pointers. */
function defaultPointer(ctx: PointerCtx, p: bigint, spec: Spec): void {
  if (ctx.hooks?.noHashPointers?.()) return pointerString(ctx.out, p, spec);
  ptrToId(ctx, p, spec);
}

/** ptr_to_id(): NULL and ERR_PTR values as they are, anything else as its 32-bit hash. */
function ptrToId(ctx: PointerCtx, p: bigint, spec: Spec): void {
  if (p === 0n || isErr(p)) return pointerString(ctx.out, p, spec);
  const hash = ctx.hooks?.hashPointer;
  if (!hash) return errorString(ctx.out, '(____ptrval____)', { ...spec, width: 16 });
  pointerString(ctx.out, hash(p) & 0xffffffffn, spec);
}

function errPtr(out: number[], err: number, spec: Spec): void {
  const name = errname(err);
  if (name) return stringNoCheck(out, ascii(name), spec);
  number(out, BigInt.asUintN(64, BigInt(err)), { ...spec, flags: spec.flags | SIGN, base: 10 });
}

/** kallsyms' sprint_symbol family: `name+0xoff/0xsize [module]`, or `0xaddr` when unknown. */
function symbolText(hooks: FormatHooks | undefined, p: bigint, kind: string): string {
  const withOffset = kind !== 's';
  if (hooks?.lookupSymbol) {
    // %pB describes a return address: look up addr-1 (the call) and report offset+1.
    const adjust = kind === 'B' ? 1n : 0n;
    const sym = hooks.lookupSymbol(BigInt.asUintN(64, p - adjust));
    if (sym) {
      let s = sym.name;
      if (withOffset) s += `+0x${(sym.offset + adjust).toString(16)}/0x${sym.size.toString(16)}`;
      if (sym.module !== undefined) s += ` [${sym.module}]`;
      return s;
    }
  } else if (hooks?.symbolize) {
    const s = hooks.symbolize(p, withOffset);
    if (s !== null) return s;
  }
  return `0x${p.toString(16)}`;
}

function hexString(ctx: PointerCtx, p: bigint, spec: Spec, sepCh: string): void {
  if (spec.width === 0 || badPointer(ctx.out, p, spec)) return;
  const len = spec.width > 0 ? Math.min(spec.width, 64) : 1;
  const b = bytes(ctx, p, len);
  const sep = sepCh === 'C' ? 0x3a : sepCh === 'D' ? 0x2d : sepCh === 'N' ? 0 : 0x20;
  for (let k = 0; k < len; k++) {
    ctx.out.push(...hex2(b[k]!));
    if (sep && k !== len - 1) ctx.out.push(sep);
  }
}

function mac(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  if (badPointer(ctx.out, p, spec)) return;
  const b = bytes(ctx, p, 6);
  const sep = ext[1] === 'F' ? 0x2d : 0x3a;
  const text: number[] = [];
  for (let k = 0; k < 6; k++) {
    text.push(...hex2(b[ext[1] === 'R' ? 5 - k : k]!));
    if (ext[0] === 'M' && k !== 5) text.push(sep);
  }
  stringNoCheck(ctx.out, text, spec);
}

// ---- bitmaps (%*pb, %*pbl): the field width is the number of bits -------------------------

function bitmapWords(ctx: PointerCtx, p: bigint, nbits: number): bigint[] {
  const n = Math.ceil(nbits / 64);
  const b = n ? bytes(ctx, p, n * 8) : new Uint8Array(0);
  const words: bigint[] = [];
  for (let i = 0; i < n; i++) words.push(le(b.subarray(i * 8, i * 8 + 8)));
  return words;
}

function bitmapMask(ctx: PointerCtx, p: bigint, spec: Spec): void {
  const nbits = Math.max(spec.width, 0);
  if (badPointer(ctx.out, p, spec)) return;
  const words = bitmapWords(ctx, p, nbits);
  let chunksz = nbits & 31 || 32;
  for (let i = Math.ceil(nbits / 32) * 32 - 32; i >= 0; i -= 32) {
    const val = (words[Math.floor(i / 64)]! >> BigInt(i % 64)) & ((1n << BigInt(chunksz)) - 1n);
    if (i !== Math.ceil(nbits / 32) * 32 - 32) ctx.out.push(0x2c);
    number(ctx.out, val, { flags: SMALL | ZEROPAD, width: Math.ceil(chunksz / 4), precision: -1, base: 16 });
    chunksz = 32;
  }
}

function bitmapList(ctx: PointerCtx, p: bigint, spec: Spec): void {
  const nbits = Math.max(spec.width, 0);
  if (badPointer(ctx.out, p, spec)) return;
  const words = bitmapWords(ctx, p, nbits);
  const bit = (i: number) => ((words[i >> 6]! >> BigInt(i & 63)) & 1n) === 1n;
  let first = true;
  for (let b = 0; b < nbits; b++) {
    if (!bit(b)) {
      // skip a clear word at once
      if ((b & 63) === 0 && words[b >> 6] === 0n) b += 63;
      continue;
    }
    let e = b + 1;
    while (e < nbits && bit(e)) e++;
    if (!first) ctx.out.push(0x2c);
    first = false;
    number(ctx.out, BigInt(b), DEC);
    if (e !== b + 1) {
      ctx.out.push(0x2d);
      number(ctx.out, BigInt(e - 1), DEC);
    }
    b = e;
  }
}

// ---- strings, identifiers, times ----------------------------------------------------------

function escaped(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  if (spec.width === 0 || badPointer(ctx.out, p, spec)) return;
  const letters: Record<string, number> = {
    a: ESCAPE_ANY, c: ESCAPE_SPECIAL, h: ESCAPE_HEX, n: ESCAPE_NULL, o: ESCAPE_OCTAL, p: ESCAPE_NP, s: ESCAPE_SPACE,
  };
  let flags = 0;
  for (let i = 1; i < ext.length && letters[ext[i]!] !== undefined; i++) flags |= letters[ext[i]!]!;
  if (!flags) flags = ESCAPE_ANY_NP;
  const len = spec.width < 0 ? 1 : spec.width;
  ctx.out.push(...stringEscapeMem(bytes(ctx, p, len), flags));
}

function uuid(ctx: PointerCtx, p: bigint, spec: Spec, variant: string): void {
  if (badPointer(ctx.out, p, spec)) return;
  const b = bytes(ctx, p, 16);
  const guid = variant === 'L' || variant === 'l';
  const upper = variant === 'L' || variant === 'B';
  const index = guid ? [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] : [...Array(16).keys()];
  let s = '';
  index.forEach((at, i) => {
    s += b[at]!.toString(16).padStart(2, '0');
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  });
  stringNoCheck(ctx.out, ascii(upper ? s.toUpperCase() : s), spec);
}

/** %pV: struct va_format { const char *fmt; va_list *va; }, formatted with a copy of *va. */
function vaFormat(ctx: PointerCtx, p: bigint, spec: Spec): void {
  if (badPointer(ctx.out, p, spec)) return;
  const list = ctx.hooks?.vaList;
  if (!list) throw new Unreadable();
  const fmt = cstr(ctx, u64(ctx, p));
  ctx.out.push(...formatKernel(fmt, list(u64(ctx, p + 8n)), ctx.hooks));
}

function fourcc(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  if (ext[1] !== 'c' || ext[2] !== 'c') return errorString(ctx.out, '(%p4?)', spec);
  if (badPointer(ctx.out, p, spec)) return;
  const orig = u32(ctx, p);
  const val = orig & 0x7fffffff;
  const text: number[] = [];
  for (let i = 0; i < 4; i++) {
    const c = (val >>> (i * 8)) & 0xff;
    text.push(c >= 0x20 && c < 0x7f ? c : 0x2e);
  }
  text.push(...ascii(` ${orig & 0x80000000 ? 'big-endian' : 'little-endian'} (`));
  specialHex(text, BigInt(orig), 4);
  text.push(0x29);
  stringNoCheck(ctx.out, text, spec);
}

function dentryName(ctx: PointerCtx, d0: bigint, spec: Spec, depthCh: string): void {
  const depth = depthCh >= '2' && depthCh <= '4' ? Number(depthCh) : 1;
  const names: Array<Uint8Array> = [];
  let d = d0;
  for (let i = 0; i < depth; i++) {
    if (badPointer(ctx.out, d, spec)) return;
    const parent = u64(ctx, d + offsetOf(ctx, 'dentry.d_parent'));
    names.push(parent === d && i ? new Uint8Array(0) : cstr(ctx, u64(ctx, d + offsetOf(ctx, 'dentry.d_name.name'))));
    if (parent === d) break;
    d = parent;
  }
  // Root first, '/' between components, at most `precision` bytes.
  const joined: number[] = [];
  for (let i = names.length - 1; i >= 0; i--) {
    joined.push(...names[i]!);
    if (i) joined.push(0x2f);
  }
  const n = spec.precision >= 0 ? Math.min(spec.precision, joined.length) : joined.length;
  ctx.out.push(...joined.slice(0, n));
  widen(ctx.out, n, spec);
}

function bdevName(ctx: PointerCtx, p: bigint, spec: Spec): void {
  if (badPointer(ctx.out, p, spec)) return;
  const disk = u64(ctx, p + offsetOf(ctx, 'block_device.bd_disk'));
  const name = disk + offsetOf(ctx, 'gendisk.disk_name');
  stringAt(ctx, name, spec);
  const partno = u8(ctx, p + offsetOf(ctx, 'block_device.bd_partno'));
  if (partno) {
    const s = cstr(ctx, name);
    if (isDigit(s[s.length - 1] ?? 0)) ctx.out.push(0x70);
    number(ctx.out, BigInt(partno), spec);
  }
}

function timeAndDate(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  if (badPointer(ctx.out, p, spec)) return;
  let tm: number[];
  if (ext[1] === 'R') tm = [0, 4, 8, 12, 16, 20].map((o) => s32(ctx, p + BigInt(o)));
  else if (ext[1] === 'T') tm = time64ToTm(BigInt.asIntN(64, u64(ctx, p)));
  else return errorString(ctx.out, '(%pt?)', spec);
  // rtc_str(): [d|t] then any of r (raw: no 1900/1 offsets) and s (space, not 'T').
  let [haveD, haveT, raw, iso] = [true, true, false, true];
  let i = 2;
  if (ext[i] === 'd') (haveT = false), i++;
  else if (ext[i] === 't') (haveD = false), i++;
  for (; ext[i] === 'r' || ext[i] === 's'; i++) {
    if (ext[i] === 'r') raw = true;
    else iso = false;
  }
  const [sec, min, hour, mday, mon, year] = tm as [number, number, number, number, number, number];
  const out = ctx.out;
  if (haveD) {
    number(out, int64(year + (raw ? 0 : 1900)), DEC04);
    out.push(0x2d);
    number(out, int64(mon + (raw ? 0 : 1)), DEC02);
    out.push(0x2d);
    number(out, int64(mday), DEC02);
  }
  if (haveD && haveT) out.push(iso ? 0x54 : 0x20);
  if (haveT) {
    number(out, int64(hour), DEC02);
    out.push(0x3a);
    number(out, int64(min), DEC02);
    out.push(0x3a);
    number(out, int64(sec), DEC02);
  }
}

/** time64_to_tm(t, 0): [sec, min, hour, mday, mon (0-11), year - 1900], proleptic Gregorian. */
export function time64ToTm(t: bigint): number[] {
  let days = t / 86400n;
  let rem = t % 86400n;
  if (rem < 0n) {
    rem += 86400n;
    days -= 1n;
  }
  const r = Number(rem);
  // Civil-from-days (days since 1970-01-01) on March-based years.
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = Number(z - era * 146097n);
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const mday = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mon = mp < 10 ? mp + 2 : mp - 10;
  const year = Number(BigInt(yoe) + era * 400n) + (mon <= 1 ? 1 : 0);
  return [r % 60, Math.floor(r / 60) % 60, Math.floor(r / 3600), mday, mon, year - 1900];
}

// ---- firmware nodes (%pfw) ------------------------------------------------------------------

function fwnodeString(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  const out = ctx.out;
  if (ext[0] !== 'w') return errorString(out, '(%pf?)', spec);
  if (badPointer(out, p, spec)) return;
  const info = (n: bigint) => ctx.hooks?.fwnode?.(n) ?? { name: null, prefix: null, parent: 0n };
  const put = (s: Uint8Array | null) => (s === null ? errorString(out, '(null)', STR) : stringNoCheck(out, s, STR));
  const start = out.length;
  if (ext[1] === 'P') put(info(p).name);
  else {
    const chain: bigint[] = [];
    // fwnode_count_parents() then each ancestor from the root (a cycle cannot recurse forever)
    for (let n = p; n !== 0n && chain.length < 256; n = info(n).parent) chain.unshift(n);
    for (const n of chain) {
      put(info(n).prefix);
      put(info(n).name);
    }
  }
  widen(out, out.length - start, spec);
}
