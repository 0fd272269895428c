// %pI4 %pi4 %pI6 %pI6c %pi6 %pIS %piS (lib/vsprintf.c ip_addr_string and its helpers): IPv4
// in four byte orders, IPv6 full, compact or compressed (the longest run of zero words as
// "::", IPv4-mapped and ISATAP tails in dotted form), and socket addresses with port,
// flow info and scope.
import { ascii, badPointer, errorString, number, stringNoCheck, type Spec } from './format-spec.js';
import { bytes, u16, u32, type PointerCtx } from './format-read.js';

function ip4(a: Uint8Array, leadingZeros: boolean, order: string): number[] {
  const idx = order === 'h' || order === 'l' ? [3, 2, 1, 0] : [0, 1, 2, 3]; // 'h' is host = little endian
  return ascii(idx.map((i) => (leadingZeros ? String(a[i]).padStart(3, '0') : String(a[i]))).join('.'));
}

function ip6(a: Uint8Array, colons: boolean): number[] {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(Array.from(a.subarray(2 * i, 2 * i + 2), (x) => x.toString(16).padStart(2, '0')).join(''));
  return ascii(groups.join(colons ? ':' : ''));
}

/** ip6_compressed_string(): the longest run of two or more zero words as `::`, IPv4 tails. */
function ip6Compressed(a: Uint8Array): number[] {
  const words = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
  const v4mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  const isatap = (((a[8]! | 0x02) << 24) | (a[9]! << 16) | (a[10]! << 8) | a[11]!) >>> 0 === 0x02005efe;
  const useV4 = v4mapped || isatap;
  const range = useV4 ? 6 : 8;
  let longest = 1;
  let colonpos = -1;
  for (let i = 0; i < range; i++) {
    let z = 0;
    for (let j = i; j < range && words[j] === 0; j++) z++;
    if (z > longest) {
      longest = z;
      colonpos = i;
    }
  }
  let s = '';
  let needcolon = false;
  for (let i = 0; i < range; i++) {
    if (i === colonpos) {
      if (needcolon || i === 0) s += ':';
      s += ':';
      needcolon = false;
      i += longest - 1;
      continue;
    }
    if (needcolon) s += ':';
    s += words[i]!.toString(16);
    needcolon = true;
  }
  if (useV4) {
    if (needcolon) s += ':';
    s += String.fromCharCode(...ip4(a.subarray(12), false, 'n'));
  }
  return ascii(s);
}

export function ipAddr(ctx: PointerCtx, p: bigint, spec: Spec, ext: string): void {
  const out = ctx.out;
  if (badPointer(out, p, spec)) return;
  const kind = ext[0]!;
  switch (ext[1]) {
    case '6':
      return stringNoCheck(out, kind === 'I' && ext[2] === 'c' ? ip6Compressed(bytes(ctx, p, 16)) : ip6(bytes(ctx, p, 16), kind === 'I'), spec);
    case '4':
      return stringNoCheck(out, ip4(bytes(ctx, p, 4), kind === 'i', ext[2] ?? ''), spec);
    case 'S': {
      // The letters after "S" (the kernel's isalpha loop) are the options.
      const opts = (ext.slice(2).match(/^[A-Za-z]*/) ?? [''])[0];
      const family = u16(ctx, p);
      const text: number[] = [];
      if (family === 2 /* AF_INET */) {
        let order = '';
        for (const o of opts) if ('hlnb'.includes(o)) order = o;
        text.push(...ip4(bytes(ctx, p + 4n, 4), kind === 'i', order));
        if (opts.includes('p')) {
          text.push(0x3a);
          number(text, BigInt(swap16(u16(ctx, p + 2n))), spec);
        }
        return stringNoCheck(out, text, spec);
      }
      if (family === 10 /* AF_INET6 */) {
        const [hp, hf, hs, hc] = ['p', 'f', 's', 'c'].map((o) => opts.includes(o));
        const addr = bytes(ctx, p + 8n, 16);
        const bracket = hp || hs || hf;
        if (bracket) text.push(0x5b);
        text.push(...(kind === 'I' && hc ? ip6Compressed(addr) : ip6(addr, kind === 'I')));
        if (bracket) text.push(0x5d);
        if (hp) {
          text.push(0x3a);
          number(text, BigInt(swap16(u16(ctx, p + 2n))), spec);
        }
        if (hf) {
          text.push(0x2f);
          number(text, BigInt(swap32(u32(ctx, p + 4n)) & 0x0fffffff), spec);
        }
        if (hs) {
          text.push(0x25);
          number(text, BigInt(u32(ctx, p + 24n)), spec);
        }
        return stringNoCheck(out, text, spec);
      }
      return errorString(out, '(einval)', spec);
    }
  }
  return errorString(out, kind === 'i' ? '(%pi?)' : '(%pI?)', spec);
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >> 8);
const swap32 = (v: number): number => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
