// A bounds-checked view of an ELF64 little-endian image. Every accessor validates its range and
// throws ElfFormatError instead of reading past the buffer, so hostile input cannot crash callers.
import { EHDR_SIZE, RELA_SIZE, SHDR_SIZE, SYM_SIZE } from './constants.js';
import { ElfFormatError } from './errors.js';

export interface ElfHeader {
  ident: Uint8Array;
  type: number;
  machine: number;
  shoff: bigint;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface SectionHeader {
  index: number;
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfSymbol {
  index: number;
  nameOffset: number;
  info: number;
  bind: number;
  type: number;
  other: number;
  shndx: number;
  value: bigint;
  size: bigint;
}

export interface Rela {
  offset: bigint;
  type: number;
  sym: number;
  addend: bigint;
}

export class ElfImage {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless [off, off+len) lies inside the image. Accepts bigint offsets from headers. */
  check(off: bigint | number, len: bigint | number, what: string): number {
    const o = BigInt(off);
    const l = BigInt(len);
    if (o < 0n || l < 0n || o + l > BigInt(this.bytes.length)) {
      throw new ElfFormatError(`${what} out of bounds (offset ${o}, size ${l}, file ${this.bytes.length})`);
    }
    return Number(o);
  }

  u8(off: number): number {
    return this.view.getUint8(this.check(off, 1, 'u8'));
  }
  u16(off: number): number {
    return this.view.getUint16(this.check(off, 2, 'u16'), true);
  }
  u32(off: number): number {
    return this.view.getUint32(this.check(off, 4, 'u32'), true);
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(this.check(off, 8, 'u64'), true);
  }
  s64(off: number): bigint {
    return this.view.getBigInt64(this.check(off, 8, 's64'), true);
  }

  slice(off: bigint | number, len: bigint | number, what = 'range'): Uint8Array {
    const o = this.check(off, len, what);
    return this.bytes.subarray(o, o + Number(len));
  }

  header(): ElfHeader {
    this.check(0, EHDR_SIZE, 'ELF header');
    return {
      ident: this.bytes.subarray(0, 16),
      type: this.u16(16),
      machine: this.u16(18),
      shoff: this.u64(40),
      shentsize: this.u16(58),
      shnum: this.u16(60),
      shstrndx: this.u16(62),
    };
  }

  /** Section headers; the caller has checked that the table lies in the file. */
  sections(h: ElfHeader = this.header()): SectionHeader[] {
    const out: SectionHeader[] = [];
    const base = this.check(h.shoff, BigInt(h.shnum) * BigInt(SHDR_SIZE), 'section header table');
    for (let i = 0; i < h.shnum; i++) {
      const o = base + i * SHDR_SIZE;
      out.push({
        index: i,
        nameOffset: this.u32(o),
        type: this.u32(o + 4),
        flags: this.u64(o + 8),
        addr: this.u64(o + 16),
        offset: this.u64(o + 24),
        size: this.u64(o + 32),
        link: this.u32(o + 40),
        info: this.u32(o + 44),
        addralign: this.u64(o + 48),
        entsize: this.u64(o + 56),
      });
    }
    return out;
  }

  /** NUL-terminated string at `off` within a string table section. */
  stringAt(table: SectionHeader, off: number): string {
    if (off >= Number(table.size)) throw new ElfFormatError(`string offset ${off} past table of ${table.size}`);
    const start = this.check(table.offset + BigInt(off), 0, 'string');
    const end = this.check(table.offset, table.size, 'string table') + Number(table.size);
    let i = start;
    while (i < end && this.bytes[i] !== 0) i++;
    if (i >= end) throw new ElfFormatError(`unterminated string at ${off}`);
    return new TextDecoder('latin1').decode(this.bytes.subarray(start, i));
  }

  symbols(symtab: SectionHeader): ElfSymbol[] {
    const base = this.check(symtab.offset, symtab.size, 'symbol table');
    const n = Math.floor(Number(symtab.size) / SYM_SIZE);
    const out: ElfSymbol[] = [];
    for (let i = 0; i < n; i++) {
      const o = base + i * SYM_SIZE;
      const info = this.u8(o + 4);
      out.push({
        index: i,
        nameOffset: this.u32(o),
        info,
        bind: info >> 4,
        type: info & 0xf,
        other: this.u8(o + 5),
        shndx: this.u16(o + 6),
        value: this.u64(o + 8),
        size: this.u64(o + 16),
      });
    }
    return out;
  }

  relas(sec: SectionHeader): Rela[] {
    const base = this.check(sec.offset, sec.size, 'relocation section');
    const n = Math.floor(Number(sec.size) / RELA_SIZE);
    const out: Rela[] = [];
    for (let i = 0; i < n; i++) {
      const o = base + i * RELA_SIZE;
      const info = this.u64(o + 8);
      out.push({
        offset: this.u64(o),
        type: Number(info & 0xffffffffn),
        sym: Number(info >> 32n),
        addend: this.s64(o + 16),
      });
    }
    return out;
  }
}
