// Opcode maps: what each byte means, which operands follow and which handler runs it.
// Only encodings gcc emits for kernel code are present; anything else decodes as invalid.
import { SH_SHL } from './alu.js';
import {
  aluEG, aluEI, aluGE, bsfBsr, fastAlu, btEG, btEI, cbwE, cmovcc, cmpxchg8b16b, cmpxchgEG, cwdE, decE,
  imulGE, imulGEI, incE, mulDivE, negE, notE, popcnt, setcc, shiftECL, shiftEI, shldrd, testEG,
  testEI, tzLzcnt, xaddEG,
} from './exec-alu.js';
import {
  callE, callRel, clc, cld, cli, cmc, cpuid, int3, jcc, jmpE, jmpRel, loopJrcxz, nop, privileged,
  rdtsc, rdtscp, ret, retImm, stc, std, sti, ud2,
} from './exec-control.js';
import {
  bswapR, lahf, lea, leave, movbe, movEG, movEI, movGE, movRI64, movsx, movzx, popE, popf, popR,
  pushE, pushf, pushI, pushR, sahf, xchgEG,
} from './exec-move.js';
import type { Handler, Inst } from './inst.js';
import { stringOp, STR_CMPS, STR_LODS, STR_MOVS, STR_SCAS, STR_STOS } from './string-ops.js';

export const IMM = {
  NONE: 0,
  /** 8-bit, sign-extended to the operand size */
  IB: 1,
  /** 16 or 32 bits by operand size, sign-extended */
  IZ: 2,
  /** full operand size (mov reg, imm64) */
  IV: 3,
  /** unsigned 16 bits (ret imm16) */
  IW: 4,
  /** unsigned 8 bits (shift counts, bit numbers) */
  UB: 5,
  /** implicit 1 (d0/d1 shifts) */
  ONE: 6,
  REL8: 7,
  REL32: 8,
} as const;

export interface Spec {
  fn?: Handler;
  op?: number;
  modrm?: boolean;
  imm?: number;
  /** byte operands (E and G) */
  byte?: boolean;
  /** only E is a byte (movzx/movsx Eb, setcc) */
  eb?: boolean;
  /** operand size defaults to 64 (stack ops, near branches) */
  d64?: boolean;
  fixedSize?: number;
  regInOp?: boolean;
  accum?: boolean;
  memOnly?: boolean;
  regOnly?: boolean;
  f2bad?: boolean;
  /** variant selected by a mandatory f3 prefix */
  f3?: Spec;
  group?: (Spec | undefined)[];
  /** exact ModRM byte -> meaning (0f 01 system group) */
  modrmFix?: Map<number, Spec>;
  /** picks a specialised handler once operands are known */
  fast?: (i: Inst) => Handler | null;
}

export const ONE_BYTE: (Spec | undefined)[] = new Array(256);
export const TWO_BYTE: (Spec | undefined)[] = new Array(256);
export const THREE_BYTE_38: (Spec | undefined)[] = new Array(256);

const M = true;
const FAST_EG = fastAlu('EG');
const FAST_GE = fastAlu('GE');
const FAST_EI = fastAlu('EI');

// ---- one-byte map ------------------------------------------------------------------------------

for (let k = 0; k < 8; k++) {
  const o = k * 8;
  ONE_BYTE[o] = { fn: aluEG, op: k, modrm: M, byte: true };
  ONE_BYTE[o + 1] = { fn: aluEG, op: k, modrm: M, fast: FAST_EG };
  ONE_BYTE[o + 2] = { fn: aluGE, op: k, modrm: M, byte: true };
  ONE_BYTE[o + 3] = { fn: aluGE, op: k, modrm: M, fast: FAST_GE };
  ONE_BYTE[o + 4] = { fn: aluEI, op: k, imm: IMM.IB, byte: true, accum: true };
  ONE_BYTE[o + 5] = { fn: aluEI, op: k, imm: IMM.IZ, accum: true, fast: FAST_EI };
}

for (let r = 0; r < 8; r++) {
  ONE_BYTE[0x50 + r] = { fn: pushR, regInOp: true, d64: true };
  ONE_BYTE[0x58 + r] = { fn: popR, regInOp: true, d64: true };
  ONE_BYTE[0x70 + r] = { fn: jcc, op: r, imm: IMM.REL8 };
  ONE_BYTE[0x78 + r] = { fn: jcc, op: 8 + r, imm: IMM.REL8 };
  ONE_BYTE[0xb0 + r] = { fn: movEI, regInOp: true, byte: true, imm: IMM.IV };
  ONE_BYTE[0xb8 + r] = {
    fn: movEI, regInOp: true, imm: IMM.IV, fast: (i) => (i.size === 8 ? movRI64 : null),
  };
  if (r > 0) ONE_BYTE[0x90 + r] = { fn: xchgEG, regInOp: true };
}

ONE_BYTE[0x63] = { fn: movsx, op: 4, modrm: M };
ONE_BYTE[0x68] = { fn: pushI, imm: IMM.IZ, d64: true };
ONE_BYTE[0x69] = { fn: imulGEI, modrm: M, imm: IMM.IZ };
ONE_BYTE[0x6a] = { fn: pushI, imm: IMM.IB, d64: true };
ONE_BYTE[0x6b] = { fn: imulGEI, modrm: M, imm: IMM.IB };

const grp1 = (imm: number): (Spec | undefined)[] =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ fn: aluEI, op: k, imm, fast: FAST_EI }));
ONE_BYTE[0x80] = { modrm: M, byte: true, group: grp1(IMM.IB) };
ONE_BYTE[0x81] = { modrm: M, group: grp1(IMM.IZ) };
ONE_BYTE[0x83] = { modrm: M, group: grp1(IMM.IB) };
ONE_BYTE[0x84] = { fn: testEG, modrm: M, byte: true };
ONE_BYTE[0x85] = { fn: testEG, modrm: M };
ONE_BYTE[0x86] = { fn: xchgEG, modrm: M, byte: true };
ONE_BYTE[0x87] = { fn: xchgEG, modrm: M };
ONE_BYTE[0x88] = { fn: movEG, modrm: M, byte: true };
ONE_BYTE[0x89] = { fn: movEG, modrm: M };
ONE_BYTE[0x8a] = { fn: movGE, modrm: M, byte: true };
ONE_BYTE[0x8b] = { fn: movGE, modrm: M };
ONE_BYTE[0x8d] = { fn: lea, modrm: M, memOnly: true };
ONE_BYTE[0x8f] = { modrm: M, group: [{ fn: popE, d64: true }] };
// 0x90 is nop, pause with f3, and xchg r8, rax with REX.B.
ONE_BYTE[0x90] = {
  fn: xchgEG, regInOp: true, f3: { fn: nop },
  fast: (i) => (i.rm === 0 ? nop : null),
};
ONE_BYTE[0x98] = { fn: cbwE };
ONE_BYTE[0x99] = { fn: cwdE };
ONE_BYTE[0x9c] = { fn: pushf, d64: true };
ONE_BYTE[0x9d] = { fn: popf, d64: true };
ONE_BYTE[0x9e] = { fn: sahf };
ONE_BYTE[0x9f] = { fn: lahf };
ONE_BYTE[0xa4] = { fn: stringOp, op: STR_MOVS, byte: true };
ONE_BYTE[0xa5] = { fn: stringOp, op: STR_MOVS };
ONE_BYTE[0xa6] = { fn: stringOp, op: STR_CMPS, byte: true };
ONE_BYTE[0xa7] = { fn: stringOp, op: STR_CMPS };
ONE_BYTE[0xa8] = { fn: testEI, imm: IMM.IB, byte: true, accum: true };
ONE_BYTE[0xa9] = { fn: testEI, imm: IMM.IZ, accum: true };
ONE_BYTE[0xaa] = { fn: stringOp, op: STR_STOS, byte: true };
ONE_BYTE[0xab] = { fn: stringOp, op: STR_STOS };
ONE_BYTE[0xac] = { fn: stringOp, op: STR_LODS, byte: true };
ONE_BYTE[0xad] = { fn: stringOp, op: STR_LODS };
ONE_BYTE[0xae] = { fn: stringOp, op: STR_SCAS, byte: true };
ONE_BYTE[0xaf] = { fn: stringOp, op: STR_SCAS };

const grp2 = (imm: number, fn: Handler): (Spec | undefined)[] =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ fn, op: k === 6 ? SH_SHL : k, imm }));
ONE_BYTE[0xc0] = { modrm: M, byte: true, group: grp2(IMM.UB, shiftEI) };
ONE_BYTE[0xc1] = { modrm: M, group: grp2(IMM.UB, shiftEI) };
ONE_BYTE[0xd0] = { modrm: M, byte: true, group: grp2(IMM.ONE, shiftEI) };
ONE_BYTE[0xd1] = { modrm: M, group: grp2(IMM.ONE, shiftEI) };
ONE_BYTE[0xd2] = { modrm: M, byte: true, group: grp2(IMM.NONE, shiftECL) };
ONE_BYTE[0xd3] = { modrm: M, group: grp2(IMM.NONE, shiftECL) };

ONE_BYTE[0xc2] = { fn: retImm, imm: IMM.IW };
ONE_BYTE[0xc3] = { fn: ret };
ONE_BYTE[0xc6] = { modrm: M, byte: true, group: [{ fn: movEI, imm: IMM.IB }] };
ONE_BYTE[0xc7] = { modrm: M, group: [{ fn: movEI, imm: IMM.IZ }] };
ONE_BYTE[0xc9] = { fn: leave };
ONE_BYTE[0xcc] = { fn: int3 };
ONE_BYTE[0xcd] = { fn: privileged, imm: IMM.UB };
ONE_BYTE[0xe0] = { fn: loopJrcxz, op: 0, imm: IMM.REL8 };
ONE_BYTE[0xe1] = { fn: loopJrcxz, op: 1, imm: IMM.REL8 };
ONE_BYTE[0xe2] = { fn: loopJrcxz, op: 2, imm: IMM.REL8 };
ONE_BYTE[0xe3] = { fn: loopJrcxz, op: 3, imm: IMM.REL8 };
ONE_BYTE[0xe8] = { fn: callRel, imm: IMM.REL32 };
ONE_BYTE[0xe9] = { fn: jmpRel, imm: IMM.REL32 };
ONE_BYTE[0xeb] = { fn: jmpRel, imm: IMM.REL8 };
ONE_BYTE[0xf4] = { fn: privileged };
ONE_BYTE[0xf5] = { fn: cmc };
ONE_BYTE[0xf8] = { fn: clc };
ONE_BYTE[0xf9] = { fn: stc };
ONE_BYTE[0xfa] = { fn: cli };
ONE_BYTE[0xfb] = { fn: sti };
ONE_BYTE[0xfc] = { fn: cld };
ONE_BYTE[0xfd] = { fn: std };

const grp3 = (imm: number): (Spec | undefined)[] => [
  { fn: testEI, imm },
  { fn: testEI, imm },
  { fn: notE },
  { fn: negE },
  { fn: mulDivE, op: 4 },
  { fn: mulDivE, op: 5 },
  { fn: mulDivE, op: 6 },
  { fn: mulDivE, op: 7 },
];
ONE_BYTE[0xf6] = { modrm: M, byte: true, group: grp3(IMM.IB) };
ONE_BYTE[0xf7] = { modrm: M, group: grp3(IMM.IZ) };
ONE_BYTE[0xfe] = { modrm: M, byte: true, group: [{ fn: incE }, { fn: decE }] };
ONE_BYTE[0xff] = {
  modrm: M,
  group: [
    { fn: incE },
    { fn: decE },
    { fn: callE, d64: true },
    undefined,
    { fn: jmpE, d64: true },
    undefined,
    { fn: pushE, d64: true },
  ],
};

// ---- two-byte map (0f xx) ------------------------------------------------------------------------

for (let cc = 0; cc < 16; cc++) {
  TWO_BYTE[0x40 + cc] = { fn: cmovcc, op: cc, modrm: M };
  TWO_BYTE[0x80 + cc] = { fn: jcc, op: cc, imm: IMM.REL32 };
  TWO_BYTE[0x90 + cc] = { fn: setcc, op: cc, modrm: M, eb: true };
}
for (let r = 0; r < 8; r++) TWO_BYTE[0xc8 + r] = { fn: bswapR, regInOp: true };

const NOP_M: Spec = { fn: nop, modrm: M };
TWO_BYTE[0x05] = { fn: privileged }; // syscall
TWO_BYTE[0x06] = { fn: privileged }; // clts
TWO_BYTE[0x07] = { fn: privileged }; // sysret
TWO_BYTE[0x09] = { fn: privileged }; // wbinvd
TWO_BYTE[0x0b] = { fn: ud2 };
TWO_BYTE[0x0d] = NOP_M; // prefetchw
for (let k = 0x18; k <= 0x1f; k++) TWO_BYTE[k] = NOP_M; // prefetch, hint nops, endbr64 (f3 0f 1e fa)
for (let k = 0x20; k <= 0x23; k++) TWO_BYTE[k] = { fn: privileged, modrm: M }; // mov cr/dr
TWO_BYTE[0x30] = { fn: privileged }; // wrmsr
TWO_BYTE[0x31] = { fn: rdtsc };
TWO_BYTE[0x32] = { fn: privileged }; // rdmsr
TWO_BYTE[0x01] = {
  modrm: M,
  modrmFix: new Map<number, Spec>([
    [0xca, { fn: nop }], // clac
    [0xcb, { fn: nop }], // stac
    [0xf9, { fn: rdtscp }],
    [0xd0, { fn: privileged }], // xgetbv
  ]),
};
TWO_BYTE[0xa2] = { fn: cpuid };
TWO_BYTE[0xa3] = { fn: btEG, op: 0, modrm: M };
TWO_BYTE[0xab] = { fn: btEG, op: 1, modrm: M };
TWO_BYTE[0xb3] = { fn: btEG, op: 2, modrm: M };
TWO_BYTE[0xbb] = { fn: btEG, op: 3, modrm: M };
TWO_BYTE[0xba] = {
  modrm: M,
  group: [undefined, undefined, undefined, undefined, 0, 1, 2, 3].map((k) =>
    k === undefined ? undefined : { fn: btEI, op: k, imm: IMM.UB },
  ),
};
TWO_BYTE[0xa4] = { fn: shldrd, op: 0, modrm: M, imm: IMM.UB };
TWO_BYTE[0xa5] = { fn: shldrd, op: 2, modrm: M };
TWO_BYTE[0xac] = { fn: shldrd, op: 1, modrm: M, imm: IMM.UB };
TWO_BYTE[0xad] = { fn: shldrd, op: 3, modrm: M };
TWO_BYTE[0xae] = {
  modrm: M,
  group: [
    undefined, undefined, undefined, undefined, undefined,
    { fn: nop, regOnly: true }, // lfence
    { fn: nop, regOnly: true }, // mfence
    { fn: nop }, // sfence / clflush
  ],
};
TWO_BYTE[0xaf] = { fn: imulGE, modrm: M };
TWO_BYTE[0xb0] = { fn: cmpxchgEG, modrm: M, byte: true };
TWO_BYTE[0xb1] = { fn: cmpxchgEG, modrm: M };
TWO_BYTE[0xb6] = { fn: movzx, op: 1, modrm: M, eb: true };
TWO_BYTE[0xb7] = { fn: movzx, op: 2, modrm: M };
TWO_BYTE[0xbe] = { fn: movsx, op: 1, modrm: M, eb: true };
TWO_BYTE[0xbf] = { fn: movsx, op: 2, modrm: M };
TWO_BYTE[0xb8] = { modrm: M, f3: { fn: popcnt, modrm: M } };
TWO_BYTE[0xbc] = { fn: bsfBsr, op: 0, modrm: M, f3: { fn: tzLzcnt, op: 0, modrm: M } };
TWO_BYTE[0xbd] = { fn: bsfBsr, op: 1, modrm: M, f3: { fn: tzLzcnt, op: 1, modrm: M } };
TWO_BYTE[0xc0] = { fn: xaddEG, modrm: M, byte: true };
TWO_BYTE[0xc1] = { fn: xaddEG, modrm: M };
TWO_BYTE[0xc7] = { modrm: M, group: [undefined, { fn: cmpxchg8b16b, memOnly: true }] };

THREE_BYTE_38[0xf0] = { fn: movbe, op: 0, modrm: M, memOnly: true, f2bad: true };
THREE_BYTE_38[0xf1] = { fn: movbe, op: 1, modrm: M, memOnly: true, f2bad: true };
