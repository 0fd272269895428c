// The kernel's vsnprintf (Linux 6.1 lib/vsprintf.c) as a pure function over bytes. Behaviour
// was established by reading that file; the code is our own. Where the kernel parts from C99
// printf, the kernel wins:
//  - `#` with x/X always writes 0x, even for zero; with o it writes a leading 0 before any
//    precision zeros (`%#.3o` of 8 is `0010`).
//  - A precision never hides a zero (`%.0d` of 0 is `0`), and `0` padding still applies when a
//    precision is given (`%08.3d` of 5 is `00000005`).
//  - `%.d`/`%.s` (a dot without digits) means "no precision"; a negative `*` precision means 0.
//  - Only the length modifiers hh h l ll L z t exist; `j`, `q`, `n`, floats and any unknown
//    conversion are invalid, and output stops at the first invalid one (nothing after it).
//  - Width is a 24-bit and precision a 16-bit field: huge literal values wrap, huge `*`
//    values clamp, exactly as the kernel's bitfields do.
// This file parses the format; number() and the string primitives are in format-spec.ts, the
// %p extensions in format-pointer.ts (with format-ip.ts and format-flags.ts).

import { isAlnum } from './ctype.js';
import { pointer } from './format-pointer.js';
import { LEFT, PLUS, SPACE, SPECIAL, ZEROPAD, SMALL, SIGN, number, pad, badPointer, errorString, stringNoCheck, type Spec } from './format-spec.js';
import { cstring } from './kstrtox.js';

/** Successive integer arguments, each a raw unsigned 64-bit register or stack slot. */
export interface FormatArgs {
  next(): bigint;
}

export interface SymbolInfo {
  name: string;
  /** Offset of the address into the symbol. */
  offset: bigint;
  size: bigint;
  /** Owning module; absent for the kernel image. */
  module?: string;
}

export interface FormatHooks {
  /** Bytes of the C string at addr, without its NUL, at most max bytes; null = fault. */
  readString(addr: bigint, max: number): Uint8Array | null;
  /** Exactly len bytes at addr; null = fault. */
  readBytes(addr: bigint, len: number): Uint8Array | null;
  /** Preferred symbol hook: lets this file produce kallsyms' exact `name+0x1/0x20 [mod]`. */
  lookupSymbol?(addr: bigint): SymbolInfo | null;
  /** Fallback symbol hook returning finished text (for %pB the offset is not adjusted). */
  symbolize?(addr: bigint, withOffset: boolean): string | null;
  /** siphash of the pointer; absent means the boot-time key is not ready yet. */
  hashPointer?(addr: bigint): bigint;
  /**
   * What %pK prints. The kernel decides by kptr_restrict: 0 hashes like %p, 1 shows the raw
   * value to CAP_SYSLOG readers and zeros to others, 2 always zeros. Default 'zero'.
   */
  restrictedPointers?: 'zero' | 'hash' | 'raw';
  /** The no_hash_pointers boot option: plain %p prints raw addresses. */
  noHashPointers?(): boolean;
  /** %pV: the arguments of the va_list at `va`, read from a copy (va_copy). */
  vaList?(va: bigint): FormatArgs;
  /** %pfw: a firmware node's name, name prefix and parent (0 at the root); null = unknown. */
  fwnode?(node: bigint): FwnodeInfo | null;
  /**
   * The emulated build's struct offsets and flag-name tables (identity probe facts) that %pd,
   * %pD, %pg, %pR and %pG read objects by. Without it those conversions print "(efault)".
   */
  layout?: BuildLayout;
}

export interface BuildLayout {
  facts: Readonly<Record<string, number>>;
  flagNames: Readonly<Record<'page' | 'gfp' | 'vma', ReadonlyArray<readonly [bigint, string]>>>;
}

export interface FwnodeInfo {
  /** fwnode_get_name(); null prints (null). */
  name: Uint8Array | null;
  /** fwnode_get_name_prefix(); null prints (null). */
  prefix: Uint8Array | null;
  parent: bigint;
}

/** Arguments from a plain list (tests, kernel-side callers that already have the values). */
export function argsFrom(values: ReadonlyArray<bigint | number>): FormatArgs {
  let i = 0;
  return {
    next: () => {
      const v = i < values.length ? values[i++]! : 0n;
      return BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v));
    },
  };
}

const FIELD_WIDTH_MAX = (1 << 23) - 1;
const PRECISION_MAX = (1 << 15) - 1;
/** readString's max when no precision limits a %s: the kernel reads to the NUL. */
export const UNLIMITED_STRING = 0x7fffffff;

const wrap = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Formats like vsnprintf and returns the whole, untruncated output (no NUL). */
export function formatKernel(fmtIn: Uint8Array, args: FormatArgs, hooks?: FormatHooks): Uint8Array {
  const fmt = cstring(fmtIn);
  const out: number[] = [];
  const ctx: Ctx = { out, hooks, args };
  let i = 0;
  const c = (k: number): number => (k < fmt.length ? fmt[k]! : 0);

  while (i < fmt.length) {
    if (fmt[i] !== 0x25) {
      out.push(fmt[i++]!);
      continue;
    }
    const spec: Spec = { flags: 0, width: -1, precision: -1, base: 10 };
    for (i++; ; i++) {
      const f = c(i);
      if (f === 0x2d) spec.flags |= LEFT;
      else if (f === 0x2b) spec.flags |= PLUS;
      else if (f === 0x20) spec.flags |= SPACE;
      else if (f === 0x23) spec.flags |= SPECIAL;
      else if (f === 0x30) spec.flags |= ZEROPAD;
      else break;
    }
    if (isDigit(c(i))) {
      let n = 0;
      while (isDigit(c(i))) n = (Math.imul(n, 10) + (c(i++) - 0x30)) | 0;
      spec.width = wrap(n, 24);
    } else if (c(i) === 0x2a) {
      i++;
      const w = intArg(args);
      let width = w !== wrap(w, 24) ? Math.sign(w) * FIELD_WIDTH_MAX : w;
      if (width < 0) {
        width = wrap(-width, 24);
        spec.flags |= LEFT;
      }
      spec.width = width;
    }
    if (c(i) === 0x2e) {
      i++;
      if (isDigit(c(i))) {
        let n = 0;
        while (isDigit(c(i))) n = (Math.imul(n, 10) + (c(i++) - 0x30)) | 0;
        spec.precision = Math.max(0, wrap(n, 16));
      } else if (c(i) === 0x2a) {
        i++;
        const p = intArg(args);
        const prec = p !== wrap(p, 16) ? Math.min(Math.max(p, 0), PRECISION_MAX) : p;
        spec.precision = Math.max(0, prec);
      }
    }
    let qual = 0;
    const q = c(i);
    if (q === 0x68 || q === 0x6c || q === 0x4c || q === 0x7a || q === 0x74) {
      qual = q;
      i++;
      if (c(i) === q && (q === 0x6c || q === 0x68)) {
        qual = q === 0x6c ? 0x4c /* ll -> L */ : 0x48 /* hh -> H */;
        i++;
      }
    }
    const conv = c(i);
    switch (conv) {
      case 0x63: { // c
        const ch = Number(args.next() & 0xffn);
        if (!(spec.flags & LEFT)) pad(out, 0x20, spec.width - 1);
        out.push(ch);
        if (spec.flags & LEFT) pad(out, 0x20, spec.width - 1);
        i++;
        continue;
      }
      case 0x73: // s
        string(ctx, args.next(), spec);
        i++;
        continue;
      case 0x70: { // p: the alphanumerics after it select the extension and are all consumed
        i++;
        const start = i;
        while (isAlnum(c(i))) i++;
        pointer(ctx, String.fromCharCode(...fmt.subarray(start, i)), args.next(), spec);
        continue;
      }
      case 0x25:
        out.push(0x25);
        i++;
        continue;
      case 0x6f: spec.base = 8; break;
      case 0x78: spec.flags |= SMALL; spec.base = 16; break;
      case 0x58: spec.base = 16; break;
      case 0x64: case 0x69: spec.flags |= SIGN; break;
      case 0x75: break;
      default:
        // %n, %j, %f, a trailing '%', ...: the kernel cannot know the argument layout any more
        // and stops formatting here.
        return Uint8Array.from(out);
    }
    i++;
    number(out, narrow(args.next(), qual, (spec.flags & SIGN) !== 0), spec);
  }
  return Uint8Array.from(out);
}

interface Ctx {
  out: number[];
  hooks: FormatHooks | undefined;
  args: FormatArgs;
}

/** An `int` argument: the low 32 bits, signed. */
function intArg(args: FormatArgs): number {
  return Number(BigInt.asIntN(32, args.next()));
}

/** Reduce a raw 64-bit slot to the value the length modifier names, as a u64 bit pattern. */
function narrow(raw: bigint, qual: number, signed: boolean): bigint {
  const bits = qual === 0x48 ? 8 : qual === 0x68 ? 16 : qual === 0 ? 32 : 64;
  if (bits === 64) return raw;
  const v = signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
  return BigInt.asUintN(64, v);
}

function string(ctx: Ctx, p: bigint, spec: Spec): void {
  if (badPointer(ctx.out, p, spec)) return;
  if (spec.precision === 0) return stringNoCheck(ctx.out, [], spec);
  // A hook that cannot read the string says null (the kernel-side hooks let the fault through).
  const s = ctx.hooks?.readString(p, spec.precision >= 0 ? spec.precision : UNLIMITED_STRING) ?? null;
  if (s === null) return errorString(ctx.out, '(efault)', spec);
  stringNoCheck(ctx.out, s, spec);
}

// lib/errname.c with CONFIG_SYMBOLIC_ERRNAME=y: names for 1..133 and 512..530 ('-' = none).
const ERRNAMES_0 = ('EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM ' +
  'EACCES EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ' +
  'ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ' +
  'ENOTEMPTY ELOOP - ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE ' +
  'EBADR EXFULL ENOANO EBADRQC EBADSLT - EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ' +
  'ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ' +
  'ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ ' +
  'EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT ' +
  'EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ' +
  'ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH ' +
  'EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM ' +
  'EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ' +
  'ERFKILL EHWPOISON').split(' ');
const ERRNAMES_512 = ('ERESTARTSYS ERESTARTNOINTR ERESTARTNOHAND ENOIOCTLCMD ERESTART_RESTARTBLOCK ' +
  'EPROBE_DEFER EOPENSTALE ENOPARAM - EBADHANDLE ENOTSYNC EBADCOOKIE ENOTSUPP ETOOSMALL ' +
  'ESERVERFAULT EBADTYPE EJUKEBOX EIOCBQUEUED ERECALLCONFLICT').split(' ');

/** The symbolic name of an errno value, as %pe prints it (`-EINVAL`), or null. */
export function errname(err: number): string | null {
  const a = Math.abs(err);
  const name = a >= 1 && a <= ERRNAMES_0.length ? ERRNAMES_0[a - 1]
    : a >= 512 && a < 512 + ERRNAMES_512.length ? ERRNAMES_512[a - 512] : undefined;
  if (name === undefined || name === '-') return null;
  return err < 0 ? `-${name}` : name;
}

/** What a C caller of the sized variants gets, given formatKernel's full output. */
export interface BoundedOutput {
  /** Bytes stored in the caller's buffer, terminating NUL included (empty when size is 0). */
  bytes: Uint8Array;
  /** vsnprintf/snprintf's return: the untruncated length. */
  snprintf: number;
  /** vscnprintf/scnprintf's return: bytes stored excluding the NUL, 0 when size is 0. */
  scnprintf: number;
}

/**
 * Apply a buffer size to formatted output. A size above INT_MAX makes the kernel warn and
 * return 0 without writing. sprintf is this with size INT_MAX (it stores everything).
 */
export function snprintfResult(full: Uint8Array, size: number): BoundedOutput {
  if (size > 0x7fffffff) return { bytes: new Uint8Array(0), snprintf: 0, scnprintf: 0 };
  if (size <= 0) return { bytes: new Uint8Array(0), snprintf: full.length, scnprintf: 0 };
  const n = Math.min(full.length, size - 1);
  const bytes = new Uint8Array(n + 1);
  bytes.set(full.subarray(0, n));
  return { bytes, snprintf: full.length, scnprintf: n };
}
