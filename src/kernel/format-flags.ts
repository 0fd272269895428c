// %pGp %pGg %pGv (page, gfp and vma flags by the build's name tables) and %pR %pr (struct
// resource), after lib/vsprintf.c's flags_string and resource_string.
import { ascii, badPointer, DEC, errorString, FLAG_HEX, number, SMALL, SPECIAL, stringNoCheck, ZEROPAD, type Spec } from './format-spec.js';
import { layoutValue, offsetOf, u32, u64, Unreadable, type PointerCtx } from './format-read.js';

function names(ctx: PointerCtx, t: 'page' | 'gfp' | 'vma'): ReadonlyArray<readonly [bigint, string]> {
  const n = ctx.hooks?.layout?.flagNames[t];
  if (!n) throw new Unreadable(`${t} flag names`);
  return n;
}

function formatFlags(out: number[], flagsIn: bigint, names: ReadonlyArray<readonly [bigint, string]>): void {
  let flags = flagsIn;
  for (const [mask, name] of names) {
    if (!flags) break;
    if ((flags & mask) !== mask) continue;
    out.push(...ascii(name));
    flags &= ~mask;
    if (flags) out.push(0x7c);
  }
  if (flags) number(out, flags, FLAG_HEX);
}

const PAGE_FIELDS: Array<{ key: 'SECTIONS' | 'NODES' | 'ZONES' | 'LAST_CPUPID' | 'KASAN_TAG'; name: string; spec: Spec }> = [
  { key: 'SECTIONS', name: 'section', spec: DEC },
  { key: 'NODES', name: 'node', spec: DEC },
  { key: 'ZONES', name: 'zone', spec: DEC },
  { key: 'LAST_CPUPID', name: 'lastcpupid', spec: FLAG_HEX },
  { key: 'KASAN_TAG', name: 'kasantag', spec: FLAG_HEX },
];

export function flagsString(ctx: PointerCtx, p: bigint, spec: Spec, kind: string): void {
  const out = ctx.out;
  if (badPointer(out, p, spec)) return;
  if (kind === 'v') return formatFlags(out, u64(ctx, p), names(ctx, 'vma'));
  if (kind === 'g') return formatFlags(out, BigInt(u32(ctx, p)), names(ctx, 'gfp')); // gfp_t is 32 bits
  if (kind !== 'p') return errorString(out, '(%pG?)', spec);
  // format_page_flags(): the raw value, then the flag names and the fields packed above them.
  const flags = u64(ctx, p);
  number(out, flags, FLAG_HEX);
  out.push(0x28);
  const main = flags & ((1n << BigInt(layoutValue(ctx, 'NR_PAGEFLAGS'))) - 1n);
  let append = false;
  if (main) {
    formatFlags(out, main, names(ctx, 'page'));
    append = true;
  }
  for (const fld of PAGE_FIELDS) {
    if (!layoutValue(ctx, `${fld.key}_WIDTH`)) continue;
    if (append) out.push(0x7c);
    out.push(...ascii(`${fld.name}=`));
    number(out, (flags >> BigInt(layoutValue(ctx, `${fld.key}_PGSHIFT`))) & BigInt(layoutValue(ctx, `${fld.key}_MASK`)), fld.spec);
    append = true;
  }
  out.push(0x29);
}

const IORESOURCE = {
  IO: 0x100n, MEM: 0x200n, IRQ: 0x400n, DMA: 0x800n, BUS: 0x1000n, PREFETCH: 0x2000n,
  MEM_64: 0x100000n, WINDOW: 0x200000n, DISABLED: 0x10000000n, UNSET: 0x20000000n,
};

export function resource(ctx: PointerCtx, p: bigint, spec: Spec, decodeIn: boolean): void {
  if (badPointer(ctx.out, p, spec)) return;
  const start = u64(ctx, p + offsetOf(ctx, 'resource.start'));
  const end = u64(ctx, p + offsetOf(ctx, 'resource.end'));
  const flags = u64(ctx, p + offsetOf(ctx, 'resource.flags'));
  const hex = (width: number, special: boolean): Spec => ({ flags: (special ? SPECIAL : 0) | SMALL | ZEROPAD, width, precision: -1, base: 16 });
  let decode = decodeIn;
  let kind: string;
  let numSpec: Spec;
  if (flags & IORESOURCE.IO) (kind = 'io  '), (numSpec = hex(6, true));
  else if (flags & IORESOURCE.MEM) (kind = 'mem '), (numSpec = hex(10, true));
  else if (flags & IORESOURCE.IRQ) (kind = 'irq '), (numSpec = DEC);
  else if (flags & IORESOURCE.DMA) (kind = 'dma '), (numSpec = DEC);
  else if (flags & IORESOURCE.BUS) (kind = 'bus '), (numSpec = hex(2, false));
  else (kind = '??? '), (numSpec = hex(10, true)), (decode = false);
  const s: number[] = [0x5b, ...ascii(kind)];
  if (decode && flags & IORESOURCE.UNSET) {
    s.push(...ascii('size '));
    number(s, BigInt.asUintN(64, end - start + 1n), numSpec);
  } else {
    number(s, start, numSpec);
    if (start !== end) {
      s.push(0x2d);
      number(s, end, numSpec);
    }
  }
  if (decode) {
    if (flags & IORESOURCE.MEM_64) s.push(...ascii(' 64bit'));
    if (flags & IORESOURCE.PREFETCH) s.push(...ascii(' pref'));
    if (flags & IORESOURCE.WINDOW) s.push(...ascii(' window'));
    if (flags & IORESOURCE.DISABLED) s.push(...ascii(' disabled'));
  } else {
    s.push(...ascii(' flags '));
    number(s, flags, FLAG_HEX);
  }
  s.push(0x5d);
  stringNoCheck(ctx.out, s, spec);
}
