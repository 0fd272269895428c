// Handlers for control flow and the miscellaneous system-ish instructions gcc emits in kernel code.
import { CF, cond, DF, IF, materialize } from './flags.js';
import type { Inst } from './inst.js';
import {
  ExecFault, pop64, pushNum, RAX, RBX, RCX, RDX, readE64, rspNum, setRsp, toTarget, type CpuState,
} from './state.js';

export function jmpRel(c: CpuState, i: Inst): void {
  c.rip = i.target;
}

export function jcc(c: CpuState, i: Inst): void {
  if (cond(c, i.op)) c.rip = i.target;
}

export function callRel(c: CpuState, i: Inst): void {
  pushNum(c, i.next);
  c.rip = i.target;
}

export function callE(c: CpuState, i: Inst): void {
  const lo = readE64(c, i);
  const t = toTarget(lo, c.t);
  pushNum(c, i.next);
  c.rip = t;
}

export function jmpE(c: CpuState, i: Inst): void {
  const lo = readE64(c, i);
  c.rip = toTarget(lo, c.t);
}

export function ret(c: CpuState): void {
  const lo = pop64(c);
  c.rip = toTarget(lo, c.t);
}

export function retImm(c: CpuState, i: Inst): void {
  const lo = pop64(c);
  c.rip = toTarget(lo, c.t);
  setRsp(c, rspNum(c) + i.imm);
}

/** loopne (op 0), loope (op 1), loop (op 2), jrcxz (op 3); 64-bit address size only. */
export function loopJrcxz(c: CpuState, i: Inst): void {
  const L = c.L;
  const H = c.H;
  if (i.op === 3) {
    if ((L[RCX]! | H[RCX]!) === 0) c.rip = i.target;
    return;
  }
  const lo = (L[RCX]! - 1) | 0;
  if (L[RCX] === 0) H[RCX] = (H[RCX]! - 1) | 0;
  L[RCX] = lo;
  let take = (lo | H[RCX]!) !== 0;
  if (i.op === 0) take = take && !cond(c, 4);
  else if (i.op === 1) take = take && cond(c, 4);
  if (take) c.rip = i.target;
}

export function nop(): void {}

export function clc(c: CpuState): void {
  materialize(c);
  c.fl &= ~CF;
}
export function stc(c: CpuState): void {
  materialize(c);
  c.fl |= CF;
}
export function cmc(c: CpuState): void {
  materialize(c);
  c.fl ^= CF;
}
export function cld(c: CpuState): void {
  c.fl &= ~DF;
}
export function std(c: CpuState): void {
  c.fl |= DF;
}
/** Interrupts do not exist here; IF is tracked so pushf/irqs_disabled() see the right value. */
export function cli(c: CpuState): void {
  c.fl &= ~IF;
}
export function sti(c: CpuState): void {
  c.fl |= IF;
}

export function ud2(): void {
  throw new ExecFault('ud2');
}
export function int3(): void {
  throw new ExecFault('int3');
}
/** hlt, mov to/from control registers, in/out ...: privileged, refused. */
export function privileged(): void {
  throw new ExecFault('general-protection');
}

/** A fixed, deterministic CPU: family 6 "GenuineIntel" with a handful of features. */
export function cpuid(c: CpuState): void {
  const L = c.L;
  const H = c.H;
  const leaf = L[RAX]!;
  let a = 0;
  let b = 0;
  let cc = 0;
  let d = 0;
  switch (leaf) {
    case 0:
      a = 0xd;
      b = 0x756e6547; // "Genu"
      d = 0x49656e69; // "ineI"
      cc = 0x6c65746e; // "ntel"
      break;
    case 1:
      a = 0x000306a9; // family 6, model 0x3a
      b = 0x00010800;
      cc = 0x00800000 | 0x00400000 | 0x00002000; // popcnt, movbe, cmpxchg16b
      d = 0x0781abfd & ~0x06000000; // fpu..cmov, without sse/sse2
      break;
    case 7:
      b = 1 << 3; // bmi1 (tzcnt)
      break;
    case 0x80000000:
      a = 0x80000001;
      break;
    case 0x80000001:
      cc = 1 << 5; // lzcnt
      d = 1 << 29; // long mode
      break;
  }
  L[RAX] = a;
  L[RBX] = b;
  L[RCX] = cc;
  L[RDX] = d;
  H[RAX] = 0;
  H[RBX] = 0;
  H[RCX] = 0;
  H[RDX] = 0;
}

export function rdtsc(c: CpuState): void {
  const t = c.tsc();
  c.L[RAX] = t | 0;
  c.H[RAX] = 0;
  c.L[RDX] = Math.floor(t / 4294967296) | 0;
  c.H[RDX] = 0;
}

export function rdtscp(c: CpuState): void {
  rdtsc(c);
  c.L[RCX] = 0; // IA32_TSC_AUX: cpu 0
  c.H[RCX] = 0;
}
