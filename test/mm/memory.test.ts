import { describe, expect, it } from 'vitest';
import { Memory } from '../../src/mm/memory.js';
import { RangeAllocator } from '../../src/mm/allocator.js';
import { MemoryFault } from '../../src/mm/types.js';
import { MODULES_VADDR, DIRECT_MAP_BASE, VMALLOC_BASE } from '../../src/mm/layout.js';

describe('Memory', () => {
  it('maps, reads and writes little-endian values of every size', () => {
    const m = new Memory();
    m.map(MODULES_VADDR, 8192);
    m.writeU64(MODULES_VADDR + 8n, 0x1122334455667788n);
    expect(m.readU8(MODULES_VADDR + 8n)).toBe(0x88);
    expect(m.readU16(MODULES_VADDR + 8n)).toBe(0x7788);
    expect(m.readU32(MODULES_VADDR + 12n)).toBe(0x11223344);
    expect(m.readU64(MODULES_VADDR + 8n)).toBe(0x1122334455667788n);
    m.writeU32(MODULES_VADDR + 16n, 0xfedcba98);
    expect(m.readU32(MODULES_VADDR + 16n)).toBe(0xfedcba98);
    m.writeU64(MODULES_VADDR + 4092n, 0xa1a2a3a4a5a6a7a8n); // crosses the page boundary
    expect(m.readU64(MODULES_VADDR + 4092n)).toBe(0xa1a2a3a4a5a6a7a8n);
    expect(m.readU16(MODULES_VADDR + 4095n)).toBe(0xa4a5);
  });

  it('faults on unmapped and non-canonical addresses, and after unmap', () => {
    const m = new Memory();
    expect(() => m.readU8(0n)).toThrow(MemoryFault);
    expect(() => m.readU64(0x0000800000000000n)).toThrow(MemoryFault);
    m.map(DIRECT_MAP_BASE, 4096);
    m.writeU8(DIRECT_MAP_BASE, 1);
    expect(() => m.writeU32(DIRECT_MAP_BASE + 4094n, 1)).toThrow(MemoryFault);
    expect(m.readU8(DIRECT_MAP_BASE + 4094n)).toBe(0); // no partial write
    m.unmap(DIRECT_MAP_BASE, 4096);
    try {
      m.readU8(DIRECT_MAP_BASE + 5n);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MemoryFault);
      expect((e as MemoryFault).addr).toBe(DIRECT_MAP_BASE + 5n);
      expect((e as MemoryFault).write).toBe(false);
    }
    expect(() => m.map(DIRECT_MAP_BASE + 1n, 4096)).toThrow();
  });

  it('the int32-halves accessors agree with the number ones, miss, fault and forget unmapped pages', () => {
    const m = new Memory();
    const halves = (a: bigint): [number, number] => {
      const u = BigInt.asUintN(64, a);
      return [Number(BigInt.asIntN(32, u >> 32n)), Number(BigInt.asIntN(32, u))];
    };
    for (const base of [MODULES_VADDR, DIRECT_MAP_BASE]) {
      m.map(base, 8192);
      const [h, l] = halves(base + 16n);
      m.w64x(h, l, 0x55667788, 0x11223344);
      expect(m.readU64(base + 16n)).toBe(0x1122334455667788n);
      expect(m.r8x(h, l)).toBe(0x88);
      expect(m.r16x(h, l)).toBe(0x7788);
      expect(m.r32x(h, l)).toBe(0x55667788);
      expect(m.r64x(h, l)).toBe(0x55667788);
      expect(m.hi).toBe(0x11223344);
      m.w8x(h, l, 0x1ff);
      m.w16x(...halves(base + 18n), 0xabcd);
      m.w32x(...halves(base + 20n), -2);
      expect(m.readU64(base + 16n)).toBe(0xfffffffeabcd77ffn);
      // Across the page end: the slow path on both sides.
      const [h2, l2] = halves(base + 4092n);
      m.w64x(h2, l2, 0x01020304, 0x05060708);
      expect(m.r64x(h2, l2)).toBe(0x01020304);
      expect(m.hi).toBe(0x05060708);
      expect(m.r32x(...halves(base + 4094n))).toBe(0x07080102);
      m.unmap(base, 8192);
      expect(() => m.r32x(h, l)).toThrow(MemoryFault);
      expect(() => m.w8x(h, l, 1)).toThrow(MemoryFault);
    }
    // Same low half, another high half: a different page, not a TLB hit.
    m.map(MODULES_VADDR, 4096);
    m.writeU32(MODULES_VADDR, 7);
    const [h, l] = halves(MODULES_VADDR);
    expect(m.r32x(h, l)).toBe(7);
    expect(() => m.r32x(h - 1, l)).toThrow(MemoryFault);
    // A page that becomes code leaves the write TLB: the store takes the slow path and empties
    // the page's decoded-instruction cache.
    m.w32x(h, l, 8);
    const page = m.peekPage(Number(BigInt.asIntN(64, MODULES_VADDR)))!;
    const code = m.codeArray(page);
    code[0] = 'decoded';
    m.w32x(h, l, 9);
    expect(code.length).toBe(0);
    expect(m.r32x(h, l)).toBe(9);
  });

  it('bulk bytes, fill and C strings across pages', () => {
    const m = new Memory();
    m.map(VMALLOC_BASE, 3 * 4096);
    const data = Uint8Array.from({ length: 5000 }, (_, k) => (k % 251) + 1);
    m.writeBytes(VMALLOC_BASE + 100n, data);
    expect(m.readBytes(VMALLOC_BASE + 100n, 5000)).toEqual(data);
    m.fill(VMALLOC_BASE + 4090n, 0x41, 10);
    m.writeU8(VMALLOC_BASE + 4100n, 0);
    expect(new TextDecoder().decode(m.readCString(VMALLOC_BASE + 4090n))).toBe('AAAAAAAAAA');
    expect(m.readCString(VMALLOC_BASE + 4090n, 4).length).toBe(4);
    expect(m.isMapped(VMALLOC_BASE + 3n * 4096n)).toBe(false);
    m.fill(VMALLOC_BASE + 3n * 4096n - 2n, 0x42, 2);
    expect(() => m.readCString(VMALLOC_BASE + 3n * 4096n - 2n)).toThrow(MemoryFault);
    expect(() => m.writeBytes(VMALLOC_BASE + 3n * 4096n - 2n, new Uint8Array(4))).toThrow(MemoryFault);
  });
});

describe('RangeAllocator', () => {
  it('allocates page-granular module areas with alignment and frees them', () => {
    const m = new Memory();
    const base = MODULES_VADDR + 0x5000n;
    const a = new RangeAllocator(m, base, 0x100000n);
    const x = a.alloc(10000, 4096)!;
    expect(x % 4096n).toBe(0n);
    expect(m.isMapped(x + 9999n)).toBe(true);
    expect(a.sizeOf(x)).toBe(10000);
    expect(a.bytesInUse).toBe(10000);
    expect(a.free(x)).toBe(10000);
    expect(m.isMapped(x)).toBe(false);
    expect(() => a.free(x)).toThrow(/double free/);
    expect(() => a.free(x + 8n)).toThrow();
    expect(a.bytesInUse).toBe(0);
  });

  it('packs small kmalloc objects, zero-fills reused memory, unmaps empty pages', () => {
    const m = new Memory();
    const a = new RangeAllocator(m, DIRECT_MAP_BASE, 0x4000n);
    const p = a.alloc(64)!;
    const q = a.alloc(64)!;
    expect(q - p).toBe(64n);
    m.fill(p, 0xff, 64);
    a.free(p);
    expect(m.isMapped(p)).toBe(true); // q still lives in that page
    a.free(q);
    expect(m.isMapped(q)).toBe(false); // use-after-free now faults
    // exhaust, then reuse holes
    const objs: bigint[] = [];
    for (;;) {
      const o = a.alloc(1000);
      if (o === null) break;
      objs.push(o);
    }
    expect(objs.length).toBeGreaterThan(10);
    a.free(objs[0]!);
    const r = a.alloc(500)!;
    expect(r).toBe(p); // the merged hole starts where the first objects were
    expect([...m.readBytes(r, 500)].every((b) => b === 0)).toBe(true);
  });

  it('surrounds guarded allocations with unmapped pages', () => {
    const m = new Memory();
    const a = new RangeAllocator(m, VMALLOC_BASE, 0x100000n, { guardPages: true });
    const s1 = a.alloc(16384)!;
    const s2 = a.alloc(100)!;
    expect(m.isMapped(s1 - 1n)).toBe(false);
    expect(m.isMapped(s1 + 16384n)).toBe(false);
    expect(m.isMapped(s2 - 1n)).toBe(false);
    expect(m.isMapped(s2 + 4096n)).toBe(false);
    expect(a.sizeOf(s2)).toBe(100);
  });
});
