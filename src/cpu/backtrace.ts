// Best-effort call trace: -O2 kernel code keeps no frame-pointer chain, so scan the stack for words
// that look like return addresses, i.e. point into mapped text right after a call instruction
// (what the kernel's own unreliable "? symbol" unwinder lines show).
import type { Memory } from '../mm/memory.js';
import { numToAddr } from '../mm/memory.js';

/** Kernel image and modules live in the top 2 GiB (-mcmodel=kernel). */
const TEXT_LOW = -0x80000000;
const MAX_WORDS = 2048;

function byteAt(mem: Memory, a: number): number {
  return mem.peekPage(a) === undefined ? -1 : mem.r8(a);
}

function followsCall(mem: Memory, v: number): boolean {
  if (byteAt(mem, v - 5) === 0xe8) return true;
  // call *r/m: ff /2 with 0, 1 or 4 bytes of displacement/SIB after the ModRM byte.
  for (const back of [2, 3, 4, 6, 7]) {
    if (byteAt(mem, v - back) === 0xff) {
      const modrm = byteAt(mem, v - back + 1);
      if (modrm >= 0 && ((modrm >> 3) & 7) === 2) return true;
    }
  }
  return false;
}

export function findReturnAddresses(mem: Memory, sp: number, top: number, sentinel: number): bigint[] {
  const out: bigint[] = [];
  if (!(top > sp)) return out;
  let a = sp - (sp & 7);
  for (let n = 0; a + 8 <= top && n < MAX_WORDS; a += 8, n++) {
    if (mem.peekPage(a) === undefined) continue;
    const lo = mem.r64(a);
    const hi = mem.hi;
    if (hi !== -1) continue;
    const v = hi * 4294967296 + (lo >>> 0);
    if (v < TEXT_LOW || v === sentinel) continue;
    if (mem.peekPage(v) === undefined) continue;
    if (followsCall(mem, v)) out.push(numToAddr(v));
  }
  return out;
}
