// Allocator over one virtual range of the emulated address space. It maps pages on demand and
// unmaps them once no live allocation touches them, so a use-after-free of a whole page faults.
// Fresh addresses come from a bump pointer first and freed holes are reused only when the range is
// exhausted, which keeps stale pointers faulting for as long as possible.
import { PAGE_SIZE } from './types.js';
import { addrToNum, numToAddr, type Memory } from './memory.js';

export class AllocatorError extends Error {}

interface Hole {
  start: number; // offsets from the range base
  end: number;
}

export class RangeAllocator {
  private readonly baseNum: number;
  private readonly guard: boolean;
  private bump = 0;
  private holes: Hole[] = [];
  /** offset -> [requested size, reserved start, reserved end] */
  private readonly live = new Map<number, { size: number; start: number; end: number }>();
  private readonly pageRefs = new Map<number, number>();
  private inUse = 0;

  constructor(
    private readonly mem: Memory,
    readonly base: bigint,
    readonly size: bigint,
    opts: { guardPages?: boolean } = {},
  ) {
    this.baseNum = addrToNum(base);
    if ((this.baseNum & (PAGE_SIZE - 1)) !== 0) throw new AllocatorError('range base must be page-aligned');
    this.guard = opts.guardPages ?? false;
  }

  get bytesInUse(): number {
    return this.inUse;
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** Live allocations as [address, size], in address order (leak reports). */
  allocations(): Array<[bigint, number]> {
    return [...this.live.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([off, r]) => [numToAddr(this.baseNum + off), r.size]);
  }

  alloc(size: number, align = 16): bigint | null {
    if (!Number.isInteger(size) || size < 0) throw new AllocatorError(`bad size ${size}`);
    if (align <= 0 || (align & (align - 1)) !== 0) throw new AllocatorError(`bad alignment ${align}`);
    const span = Math.max(size, 1);
    // Guarded allocations own whole pages with an unmapped page below and above.
    const lead = this.guard ? PAGE_SIZE : 0;
    const a = this.guard ? Math.max(align, PAGE_SIZE) : align;
    const need = this.guard ? roundUp(span, PAGE_SIZE) + PAGE_SIZE : span;
    const limit = Number(this.size);

    let start = -1;
    const off = roundUp(this.bump + lead, a);
    if (off + need <= limit) {
      start = this.bump;
      this.bump = off + need;
    } else {
      for (let h = 0; h < this.holes.length; h++) {
        const hole = this.holes[h]!;
        const o = roundUp(hole.start + lead, a);
        if (o + need - (this.guard ? PAGE_SIZE : 0) <= hole.end) {
          start = hole.start;
          this.takeFromHole(h, hole.start, Math.min(o + need, hole.end));
          const ofs = o;
          return this.commit(ofs, size, start, Math.min(o + need, hole.end));
        }
      }
      return null;
    }
    return this.commit(off, size, start, this.bump);
  }

  free(addr: bigint): number {
    const off = Number(BigInt.asIntN(64, addr)) - this.baseNum;
    const rec = this.live.get(off);
    if (rec === undefined) {
      throw new AllocatorError(`free of 0x${BigInt.asUintN(64, addr).toString(16)}: not an allocation (bad or double free)`);
    }
    this.live.delete(off);
    this.inUse -= rec.size;
    this.forPages(off, Math.max(rec.size, 1), (page) => {
      const n = (this.pageRefs.get(page) ?? 0) - 1;
      if (n <= 0) {
        this.pageRefs.delete(page);
        this.mem.unmap(numToAddr(this.baseNum + page), PAGE_SIZE);
      } else this.pageRefs.set(page, n);
    });
    this.addHole(rec.start, rec.end);
    return rec.size;
  }

  sizeOf(addr: bigint): number | undefined {
    return this.live.get(Number(BigInt.asIntN(64, addr)) - this.baseNum)?.size;
  }

  /** True when `addr` lies inside the range this allocator manages. */
  contains(addr: bigint): boolean {
    const off = Number(BigInt.asIntN(64, addr)) - this.baseNum;
    return off >= 0 && off < Number(this.size);
  }

  private commit(off: number, size: number, start: number, end: number): bigint {
    const span = Math.max(size, 1);
    this.forPages(off, span, (page) => {
      const n = this.pageRefs.get(page) ?? 0;
      if (n === 0) this.mem.map(numToAddr(this.baseNum + page), PAGE_SIZE);
      this.pageRefs.set(page, n + 1);
    });
    const addr = numToAddr(this.baseNum + off);
    // Pages shared with earlier objects may hold old bytes.
    if (size > 0) this.mem.fill(addr, 0, size);
    this.live.set(off, { size, start, end });
    this.inUse += size;
    return addr;
  }

  private forPages(off: number, len: number, fn: (page: number) => void): void {
    const first = off - (off % PAGE_SIZE);
    for (let p = first; p < off + len; p += PAGE_SIZE) fn(p);
  }

  private takeFromHole(h: number, start: number, end: number): void {
    const hole = this.holes[h]!;
    const rest: Hole[] = [];
    if (start > hole.start) rest.push({ start: hole.start, end: start });
    if (end < hole.end) rest.push({ start: end, end: hole.end });
    this.holes.splice(h, 1, ...rest);
  }

  private addHole(start: number, end: number): void {
    const hs = this.holes;
    let i = 0;
    while (i < hs.length && hs[i]!.start < start) i++;
    hs.splice(i, 0, { start, end });
    // Merge with neighbours.
    if (i + 1 < hs.length && hs[i]!.end >= hs[i + 1]!.start) {
      hs[i]!.end = Math.max(hs[i]!.end, hs[i + 1]!.end);
      hs.splice(i + 1, 1);
    }
    if (i > 0 && hs[i - 1]!.end >= hs[i]!.start) {
      hs[i - 1]!.end = Math.max(hs[i - 1]!.end, hs[i]!.end);
      hs.splice(i, 1);
    }
  }
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
