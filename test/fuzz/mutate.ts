// Structure-aware mutations of .ko images for the loader fuzz tests. Every mutation is a pure
// function of (image, PRNG state), so a failing case is reproduced from its seed alone.
import { ElfImage, RELA_SIZE, SHDR_SIZE, SHT_RELA, SHT_SYMTAB, SYM_SIZE, sectionName, type SectionHeader } from '../../src/elf/index.js';

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  u32(): number {
    return (this.next() * 4294967296) >>> 0;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

/** What a pristine image looks like: where its tables are, parsed once. */
export interface Anatomy {
  name: string;
  bytes: Uint8Array;
  shoff: number;
  sections: SectionHeader[];
  names: string[];
  symtab?: SectionHeader;
  relas: SectionHeader[];
  byName: Map<string, SectionHeader>;
}

export function anatomy(name: string, bytes: Uint8Array): Anatomy {
  const img = new ElfImage(bytes);
  const h = img.header();
  const sections = img.sections(h);
  const shstr = sections[h.shstrndx]!;
  const names = sections.map((s) => sectionName(img, shstr, s));
  const byName = new Map<string, SectionHeader>();
  sections.forEach((s, i) => byName.set(names[i]!, s));
  return {
    name,
    bytes,
    shoff: Number(h.shoff),
    sections,
    names,
    symtab: sections.find((s) => s.type === SHT_SYMTAB),
    relas: sections.filter((s) => s.type === SHT_RELA && s.size > 0n),
    byName,
  };
}

export interface Mutant {
  bytes: Uint8Array;
  /** Human-readable description: enough, with the seed, to see what was done. */
  what: string;
}

type Width = 1 | 2 | 4 | 8;

/** Values that tend to break arithmetic on offsets, sizes and indexes. */
function interesting(r: Rng, width: Width, orig: bigint, fileLen: number): bigint {
  const max = (1n << BigInt(width * 8)) - 1n;
  const cands: bigint[] = [
    0n,
    1n,
    max,
    max >> 1n,
    (max >> 1n) + 1n,
    orig + 1n,
    orig - 1n,
    orig + BigInt(1 + r.int(64)),
    orig - BigInt(1 + r.int(64)),
    orig * 2n,
    orig ^ (1n << BigInt(r.int(width * 8))),
    BigInt(fileLen),
    BigInt(fileLen - 1),
    BigInt(fileLen + 1),
    BigInt(r.int(256)),
    BigInt(r.int(0x10000)),
    0xffffffffn,
    0x80000000n,
    0x100000000n,
    1n << 40n,
    1n << 62n,
    1n << 63n,
    r.u64(),
  ];
  return r.pick(cands) & max;
}

function readField(b: Uint8Array, off: number, width: Width): bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (width) {
    case 1:
      return BigInt(dv.getUint8(off));
    case 2:
      return BigInt(dv.getUint16(off, true));
    case 4:
      return BigInt(dv.getUint32(off, true));
    case 8:
      return dv.getBigUint64(off, true);
  }
}

function writeField(b: Uint8Array, off: number, width: Width, v: bigint): void {
  if (off < 0 || off + width > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (width) {
    case 1:
      dv.setUint8(off, Number(v & 0xffn));
      break;
    case 2:
      dv.setUint16(off, Number(v & 0xffffn), true);
      break;
    case 4:
      dv.setUint32(off, Number(v & 0xffffffffn), true);
      break;
    case 8:
      dv.setBigUint64(off, v & 0xffffffffffffffffn, true);
      break;
  }
}

/** Set one field to an interesting value; returns its description. */
function poke(r: Rng, b: Uint8Array, off: number, width: Width, label: string): string {
  if (off < 0 || off + width > b.length) return `${label}@${off} (out of file, skipped)`;
  const orig = readField(b, off, width);
  const v = interesting(r, width, orig, b.length);
  writeField(b, off, width, v);
  return `${label}@${off}: 0x${orig.toString(16)} -> 0x${v.toString(16)}`;
}

const EHDR_FIELDS: Array<[string, number, Width]> = [
  ['e_shoff', 40, 8],
  ['e_shnum', 60, 2],
  ['e_shstrndx', 62, 2],
  ['e_shentsize', 58, 2],
  ['e_type', 16, 2],
  ['e_machine', 18, 2],
  ['e_ident[EI_CLASS]', 4, 1],
  ['e_ident[EI_DATA]', 5, 1],
  ['e_ehsize', 52, 2],
];

const SHDR_FIELDS: Array<[string, number, Width]> = [
  ['sh_name', 0, 4],
  ['sh_type', 4, 4],
  ['sh_flags', 8, 8],
  ['sh_addr', 16, 8],
  ['sh_offset', 24, 8],
  ['sh_size', 32, 8],
  ['sh_link', 40, 4],
  ['sh_info', 44, 4],
  ['sh_addralign', 48, 8],
  ['sh_entsize', 56, 8],
];

const SYM_FIELDS: Array<[string, number, Width]> = [
  ['st_name', 0, 4],
  ['st_info', 4, 1],
  ['st_shndx', 6, 2],
  ['st_value', 8, 8],
  ['st_size', 16, 8],
];

const RELA_FIELDS: Array<[string, number, Width]> = [
  ['r_offset', 0, 8],
  ['r_type', 8, 4],
  ['r_sym', 12, 4],
  ['r_addend', 16, 8],
];

// struct kernel_param: name, mod, ops (pointers filled by relocations), perm, level, flags, arg.
const PARAM_FIELDS: Array<[string, number, Width]> = [
  ['kp.name', 0, 8],
  ['kp.mod', 8, 8],
  ['kp.ops', 16, 8],
  ['kp.perm', 24, 2],
  ['kp.level', 26, 1],
  ['kp.flags', 27, 1],
  ['kp.arg', 32, 8],
];

const SHT_VALUES = [0, 1, 2, 3, 4, 7, 8, 9, 11, 14, 0x6ffffff0, 0xffffffff];

export const MUTATORS = [
  'byteFlips',
  'ehdr',
  'shdr',
  'sym',
  'rela',
  'relaToParam',
  'modinfo',
  'param',
  'thisModule',
  'truncate',
  'tiny',
  'hugeSize',
  'multi',
] as const;
export type MutatorName = (typeof MUTATORS)[number];

export function mutate(a: Anatomy, r: Rng, kind: MutatorName = r.pick(MUTATORS)): Mutant {
  const b = a.bytes.slice();
  const n = b.length;
  const shdr = (i: number) => a.shoff + i * SHDR_SIZE;
  switch (kind) {
    case 'byteFlips': {
      const k = 1 + r.int(16);
      const offs: string[] = [];
      for (let i = 0; i < k; i++) {
        const o = r.int(n);
        const v = r.next() < 0.5 ? b[o]! ^ (1 << r.int(8)) : r.int(256);
        offs.push(`${o}:${b[o]}->${v}`);
        b[o] = v;
      }
      return { bytes: b, what: `byteFlips ${offs.join(',')}` };
    }
    case 'ehdr': {
      const [label, off, w] = r.pick(EHDR_FIELDS);
      return { bytes: b, what: `ehdr ${poke(r, b, off, w, label)}` };
    }
    case 'shdr': {
      const i = r.int(a.sections.length);
      const [label, off, w] = r.pick(SHDR_FIELDS);
      if (label === 'sh_type' && r.next() < 0.5) {
        const v = r.pick(SHT_VALUES);
        writeField(b, shdr(i) + off, 4, BigInt(v));
        return { bytes: b, what: `shdr[${i} ${a.names[i]}] sh_type -> ${v}` };
      }
      if (label === 'sh_flags' && r.next() < 0.5) {
        const v = BigInt(r.int(8)) | (r.next() < 0.2 ? 0x00200000n : 0n);
        writeField(b, shdr(i) + off, 8, v);
        return { bytes: b, what: `shdr[${i} ${a.names[i]}] sh_flags -> 0x${v.toString(16)}` };
      }
      return { bytes: b, what: `shdr[${i} ${a.names[i]}] ${poke(r, b, shdr(i) + off, w, label)}` };
    }
    case 'sym': {
      const st = a.symtab;
      if (!st) return mutate(a, r, 'byteFlips');
      const count = Number(st.size) / SYM_SIZE;
      const i = r.int(count);
      const [label, off, w] = r.pick(SYM_FIELDS);
      return { bytes: b, what: `sym[${i}] ${poke(r, b, Number(st.offset) + i * SYM_SIZE + off, w, label)}` };
    }
    case 'rela': {
      if (!a.relas.length) return mutate(a, r, 'byteFlips');
      const s = r.pick(a.relas);
      const i = r.int(Number(s.size) / RELA_SIZE);
      const [label, off, w] = r.pick(RELA_FIELDS);
      const at = Number(s.offset) + i * RELA_SIZE + off;
      if (label === 'r_type' && r.next() < 0.6) {
        const v = r.pick([0, 1, 2, 3, 4, 9, 10, 11, 24, 37, 41, 42, 0xffffffff]);
        writeField(b, at, 4, BigInt(v));
        return { bytes: b, what: `rela[${a.names[s.index]}#${i}] r_type -> ${v}` };
      }
      return { bytes: b, what: `rela[${a.names[s.index]}#${i}] ${poke(r, b, at, w, label)}` };
    }
    case 'relaToParam': {
      // Relocations that fill __param: point the name/ops/arg pointers somewhere else.
      const target = a.sections.findIndex((_, i) => a.names[i] === '__param');
      const s = a.relas.find((x) => x.info === target);
      if (target < 0 || !s) return mutate(a, r, 'rela');
      const i = r.int(Number(s.size) / RELA_SIZE);
      const [label, off, w] = r.pick(RELA_FIELDS.filter(([l]) => l !== 'r_type'));
      return { bytes: b, what: `__param rela #${i} ${poke(r, b, Number(s.offset) + i * RELA_SIZE + off, w, label)}` };
    }
    case 'modinfo': {
      const s = a.byName.get('.modinfo');
      if (!s) return mutate(a, r, 'byteFlips');
      const base = Number(s.offset);
      const len = Number(s.size);
      const text = new TextDecoder('latin1').decode(b.subarray(base, base + len));
      const op = r.int(6);
      if (op === 0) {
        // Remove every NUL: one long unterminated tag.
        for (let i = 0; i < len; i++) if (b[base + i] === 0) b[base + i] = 0x41;
        return { bytes: b, what: 'modinfo: all NULs -> A' };
      }
      if (op === 1) {
        // Corrupt one tag's value (vermagic, name, license, depends, parm, ...).
        const tags = [...text.matchAll(/([a-z_]+)=/g)];
        if (!tags.length) return mutate(a, r, 'byteFlips');
        const m = r.pick(tags);
        const at = base + m.index! + m[0].length;
        const k = 1 + r.int(8);
        for (let i = 0; i < k && at + i < base + len; i++) if (b[at + i] !== 0) b[at + i] = r.pick([0, 0x20, 0x3d, 0xff, 0x41 + r.int(26)]);
        return { bytes: b, what: `modinfo: value of ${m[1]} mangled (${k} bytes)` };
      }
      if (op === 2) {
        // Rename a tag (drop `name=` / `vermagic=` / `license=`).
        const tags = [...text.matchAll(/([a-z_]+)=/g)];
        if (!tags.length) return mutate(a, r, 'byteFlips');
        const m = r.pick(tags);
        b[base + m.index!] = 0x58;
        return { bytes: b, what: `modinfo: tag ${m[1]} renamed` };
      }
      if (op === 3) {
        const o = base + r.int(len);
        b[o] = r.int(256);
        return { bytes: b, what: `modinfo: byte ${o - base} -> ${b[o]}` };
      }
      if (op === 4) {
        b.fill(0, base, base + len);
        return { bytes: b, what: 'modinfo: zeroed' };
      }
      // Last byte not NUL.
      b[base + len - 1] = 0x7a;
      return { bytes: b, what: 'modinfo: last byte not NUL' };
    }
    case 'param': {
      const s = a.byName.get('__param');
      if (!s || s.size === 0n) return mutate(a, r, 'modinfo');
      const i = r.int(Number(s.size) / 40);
      const [label, off, w] = r.pick(PARAM_FIELDS);
      return { bytes: b, what: `__param[${i}] ${poke(r, b, Number(s.offset) + i * 40 + off, w, label)}` };
    }
    case 'thisModule': {
      const s = a.byName.get('.gnu.linkonce.this_module');
      if (!s) return mutate(a, r, 'byteFlips');
      const op = r.int(3);
      if (op === 0) {
        // Name: unterminated, empty, or with odd bytes.
        const v = r.pick([0, 0x41, 0x2f, 0xff]);
        const k = r.next() < 0.5 ? 56 : 1 + r.int(8);
        b.fill(v, Number(s.offset) + 24, Number(s.offset) + 24 + k);
        return { bytes: b, what: `this_module name: ${k} bytes -> ${v}` };
      }
      const off = r.pick([0, 312, 848, 16, 24]);
      return { bytes: b, what: `this_module ${poke(r, b, Number(s.offset) + off, 8, `+${off}`)}` };
    }
    case 'truncate': {
      const len = r.next() < 0.3 ? r.int(Math.min(n, 256)) : r.int(n);
      return { bytes: b.slice(0, len), what: `truncate to ${len}` };
    }
    case 'tiny': {
      const len = r.pick([0, 1, 4, 16, 63, 64, 65]);
      return { bytes: b.slice(0, len), what: `tiny ${len}` };
    }
    case 'hugeSize': {
      // A size/offset/align that is enormous but passes the "inside the file" checks where it can.
      const i = 1 + r.int(a.sections.length - 1);
      const big = r.pick([1n << 31n, 1n << 32n, 1n << 40n, (1n << 53n) + 1n, 1n << 63n, 0xffffffffffffffffn, BigInt(n) * 1000n]);
      const field = r.pick([['sh_size', 32], ['sh_addralign', 48], ['sh_offset', 24], ['sh_entsize', 56]] as const);
      if (r.next() < 0.5) writeField(b, shdr(i) + 4, 4, 8n); // make it NOBITS: no file bytes needed
      writeField(b, shdr(i) + field[1], 8, big);
      return { bytes: b, what: `hugeSize shdr[${i} ${a.names[i]}] ${field[0]} -> 0x${big.toString(16)}` };
    }
    case 'multi': {
      let cur: Anatomy = a;
      const parts: string[] = [];
      const k = 2 + r.int(3);
      let out: Uint8Array = b;
      for (let j = 0; j < k; j++) {
        const m = mutate(cur, r, r.pick(['byteFlips', 'shdr', 'sym', 'rela', 'modinfo', 'param', 'ehdr'] as const));
        parts.push(m.what);
        out = m.bytes;
        cur = { ...a, bytes: out };
      }
      return { bytes: out, what: `multi[${parts.join(' | ')}]` };
    }
  }
}
