// Differential test: every instruction below runs natively (gcc-built harness, same assembly) and
// on the interpreter over many operand sets; results and the architecturally defined flags must
// agree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machine, DATA_BASE } from './asm.js';

type Kind = 0 | 1 | 2; // plain, unsigned div, signed div
interface Op {
  name: string;
  body: string;
  size: number;
  kind?: Kind;
  /** flags that must match, from inputs */
  mask: (a: bigint, b: bigint, c: bigint) => number;
  /** false: rax is undefined for these inputs */
  resultDefined?: (a: bigint, b: bigint, c: bigint) => boolean;
}

const ALL = 0x8d5;
const R: Record<number, { a: string; b: string; c: string }> = {
  8: { a: '%al', b: '%cl', c: '%dl' },
  16: { a: '%ax', b: '%cx', c: '%dx' },
  32: { a: '%eax', b: '%ecx', c: '%edx' },
  64: { a: '%rax', b: '%rcx', c: '%rdx' },
};
const SUF: Record<number, string> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };

function cntOf(b: bigint, size: number): number {
  return Number(b & (size === 64 ? 63n : 31n));
}

function ops(): Op[] {
  const out: Op[] = [];
  for (const s of [8, 16, 32, 64]) {
    const { a, b, c } = R[s]!;
    for (const op of ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test']) {
      const logic = op === 'or' || op === 'and' || op === 'xor' || op === 'test';
      const mask = () => (logic ? 0x8c5 : ALL);
      out.push({ name: `${op}${s}`, body: `${op} ${b}, ${a}`, size: s, mask });
      if (op !== 'test') {
        out.push({ name: `${op}${s}i8`, body: `${op}${SUF[s]} $-3, ${a}`, size: s, mask });
        if (s > 8) out.push({ name: `${op}${s}i32`, body: `${op}${SUF[s]} $0x${s === 16 ? '7ff1' : '7ffff0f1'}, ${a}`, size: s, mask });
        out.push({ name: `${op}${s}m`, body: `mov %rcx, 48(%r10)\n ${op} 48(%r10), ${a}`, size: s, mask });
        out.push({ name: `${op}${s}mr`, body: `mov %rax, 48(%r10)\n ${op} ${b}, 48(%r10)\n mov 48(%r10), %rax`, size: s, mask });
      }
    }
    for (const op of ['inc', 'dec', 'neg', 'not']) {
      out.push({ name: `${op}${s}`, body: `${op} ${a}`, size: s, mask: () => ALL });
    }
    for (const op of ['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr']) {
      const rot = op[0] === 'r';
      const mk = (cnt: number) => {
        if (cnt === 0) return ALL;
        const ofm = cnt === 1 ? 0x800 : 0;
        if (rot) return 0x0d5 | ofm;
        let m = 0xc5 | ofm;
        if (s < 32 && cnt >= s) m &= ~1;
        return m;
      };
      out.push({ name: `${op}${s}cl`, body: `${op} %cl, ${a}`, size: s, mask: (_a, bb) => mk(cntOf(bb, s)) });
      out.push({ name: `${op}${s}one`, body: `${op} $1, ${a}`, size: s, mask: () => mk(1) });
      out.push({ name: `${op}${s}i5`, body: `${op} $5, ${a}`, size: s, mask: () => mk(5) });
    }
    out.push({ name: `mul${s}`, body: `mul ${b}`, size: s, mask: () => 0x801 });
    out.push({ name: `imul1_${s}`, body: `imul ${b}`, size: s, mask: () => 0x801 });
    out.push({ name: `div${s}`, body: `div ${b}`, size: s, kind: 1, mask: () => 0 });
    out.push({ name: `idiv${s}`, body: `idiv ${b}`, size: s, kind: 2, mask: () => 0 });
    out.push({ name: `setcc${s}`, body: `cmp ${b}, ${a}\n` + CCS.map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n'), size: s, mask: () => ALL });
    out.push({ name: `xadd${s}`, body: `xadd ${a}, ${b}`, size: s, mask: () => ALL });
    out.push({ name: `cmpxchg${s}`, body: `cmpxchg ${c}, ${b}`, size: s, mask: () => ALL });
    out.push({ name: `xchg${s}`, body: `xchg ${a}, ${b}`, size: s, mask: () => ALL });
    if (s > 8) {
      out.push({ name: `imul2_${s}`, body: `imul ${b}, ${a}`, size: s, mask: () => 0x801 });
      out.push({ name: `imul3b_${s}`, body: `imul $-7, ${b}, ${a}`, size: s, mask: () => 0x801 });
      out.push({ name: `imul3z_${s}`, body: `imul $${s === 16 ? '0x1234' : '0x12345'}, ${b}, ${a}`, size: s, mask: () => 0x801 });
      for (const [k, op] of ['bt', 'bts', 'btr', 'btc'].entries()) {
        out.push({ name: `${op}${s}`, body: `${op} ${b}, ${a}`, size: s, mask: () => 0x41 });
        out.push({ name: `${op}${s}i`, body: `${op}${SUF[s]} $${13 + k * 7}, ${a}`, size: s, mask: () => 0x41 });
        out.push({ name: `${op}${s}m`, body: `mov %rax, 56(%r10)\nand $127, %rcx\n${op} ${b}, 48(%r10)\nmov 56(%r10), %rax`, size: s, mask: () => 0x41 });
      }
      const nz = (_a: bigint, bb: bigint) => (bb & ((1n << BigInt(s)) - 1n)) !== 0n;
      out.push({ name: `bsf${s}`, body: `bsf ${b}, ${a}`, size: s, mask: () => 0x40, resultDefined: nz });
      out.push({ name: `bsr${s}`, body: `bsr ${b}, ${a}`, size: s, mask: () => 0x40, resultDefined: nz });
      out.push({ name: `tzcnt${s}`, body: `tzcnt ${b}, ${a}`, size: s, mask: () => 0x41 });
      out.push({ name: `popcnt${s}`, body: `popcnt ${b}, ${a}`, size: s, mask: () => ALL });
      for (const op of ['shld', 'shrd']) {
        const mk = (cnt: number) => (cnt === 0 ? ALL : 0xc5 | (cnt === 1 ? 0x800 : 0));
        const def = (_a: bigint, bb: bigint) => !(s === 16 && cntOf(bb, s) > 16);
        out.push({ name: `${op}${s}cl`, body: `${op} %cl, ${c}, ${a}`, size: s, mask: (_a, bb) => (def(_a, bb) ? mk(cntOf(bb, s)) : 0), resultDefined: def });
        out.push({ name: `${op}${s}i`, body: `${op} $5, ${c}, ${a}`, size: s, mask: () => mk(5) });
      }
      out.push({ name: `cmovl${s}`, body: `cmp ${c}, ${b}\ncmovl ${b}, ${a}`, size: s, mask: () => ALL });
      out.push({ name: `cmova${s}`, body: `cmp ${c}, ${b}\ncmova ${b}, ${a}`, size: s, mask: () => ALL });
      out.push({ name: `movzb${s}`, body: `movzb${SUF[s]} %cl, ${a}`, size: s, mask: () => ALL });
      out.push({ name: `movsb${s}`, body: `movsb${SUF[s]} %cl, ${a}`, size: s, mask: () => ALL });
    }
    if (s >= 32) {
      out.push({ name: `bswap${s}`, body: `bswap ${a}`, size: s, mask: () => ALL });
      out.push({ name: `movzw${s}`, body: `movzw${SUF[s]} %cx, ${a}`, size: s, mask: () => ALL });
      out.push({ name: `movsw${s}`, body: `movsw${SUF[s]} %cx, ${a}`, size: s, mask: () => ALL });
    }
  }
  const misc: Array<[string, string]> = [
    ['movslq', 'movslq %ecx, %rax'],
    ['cbw', 'cbw'], ['cwde', 'cwde'], ['cdqe', 'cdqe'], ['cwd', 'cwd'], ['cdq', 'cdq'], ['cqo', 'cqo'],
    ['addhigh', 'add %ch, %ah'], ['subhigh', 'sub %ah, %dh'], ['movhigh', 'mov %ch, %al\nmov %al, %dh'],
    ['xchghigh', 'xchg %ah, %cl'], ['incah', 'inc %ah'], ['shlah', 'shl $3, %ch'],
    ['rex_sil', 'add %sil, %dil\nmov %rdi, %rax'],
    ['lea1', 'lea 0x7fffffff(%rax,%rcx,8), %rax'], ['lea2', 'lea -8(%rax,%rcx,4), %eax'],
    ['lea3', 'lea (%rcx,%rcx,2), %rax'], ['lea4', 'lea 5(,%rcx,8), %ax'],
    ['lahf', 'lahf'], ['sahf', 'mov %cl, %ah\nsahf'], ['cmc', 'cmc'], ['clc', 'clc'], ['stc', 'stc'],
    ['movbe32', 'mov %rcx, 48(%r10)\nmovbe 48(%r10), %eax'], ['movbe64', 'movbe %rcx, 48(%r10)\nmov 48(%r10), %rax'],
    ['movbe16', 'mov %rax, 48(%r10)\nmovbe %cx, 48(%r10)\nmov 48(%r10), %rax'],
    ['sbbself', 'sbb %eax, %eax'], ['negsbb', 'neg %rcx\nsbb %rax, %rax'],
    ['setbe_test', 'test %ecx, %eax\n' + CCS.map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n')],
    ['setcc_add', 'add %rcx, %rax\n' + CCS.map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n')],
    ['setcc_inc', 'inc %al\n' + CCS.map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n')],
    ['setcc_sbb', 'sbb %cx, %ax\n' + CCS.map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n')],
    ['setcc_imul', 'imul %rcx, %rax\n' + CCS.slice(0, 4).map((cc, k) => `set${cc} ${24 + k}(%r10)`).join('\n')],
  ];
  for (const [name, body] of misc) {
    const m = name === 'setcc_imul' ? 0x801 : name === 'shlah' ? 0x8c5 : ALL;
    out.push({ name, body, size: 64, mask: () => m });
  }
  return out;
}

const CCS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

function asmFor(list: Op[]): string {
  // f(a=rdi, b=rsi, flags=rdx, out=rcx, c=r8): rax=a rcx=b rdx=c, flags loaded; out: flags rdx rcx setcc[16]
  return list
    .map(
      (o) => `
.globl t_${o.name}
t_${o.name}:
  mov %rcx, %r10
  mov %rdi, %rax
  mov %rsi, %rcx
  push %rdx
  popfq
  mov %r8, %rdx
  ${o.body}
  pushfq
  pop %r9
  mov %r9, (%r10)
  mov %rdx, 8(%r10)
  mov %rcx, 16(%r10)
  ret`,
    )
    .join('\n') + '\n';
}

function harness(list: Op[]): string {
  const decls = list.map((o) => `extern uint64_t t_${o.name}(uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t);`).join('\n');
  const tab = list.map((o) => `{"${o.name}", t_${o.name}, ${o.kind ?? 0}, ${o.size}},`).join('\n');
  return `#include <stdio.h>
#include <stdint.h>
#include <string.h>
${decls}
typedef uint64_t (*fn_t)(uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t);
static struct { const char *name; fn_t f; int kind; int size; } tab[] = {
${tab}
};
static uint64_t st = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) { st ^= st << 13; st ^= st >> 7; st ^= st << 17; return st; }
static const uint64_t edges[] = {0,1,2,3,0x7f,0x80,0xff,0x100,0x7fff,0x8000,0xffff,0x10000,0x7fffffff,
  0x80000000,0xffffffff,0x100000000ull,0x7fffffffffffffffull,0x8000000000000000ull,0xffffffffffffffffull,
  0xfffffffffffffffeull,0x8000000000000001ull,0x5555555555555555ull,0xaaaaaaaaaaaaaaaaull,31,32,33,63,64,65,15,16,17,7,8,9};
#define NE (sizeof edges / sizeof edges[0])
static uint64_t pick(void) {
  uint64_t r = rnd();
  switch (r % 5) {
  case 0: return edges[rnd() % NE];
  case 1: return rnd();
  case 2: return rnd() % 80;
  case 3: return edges[rnd() % NE] ^ (rnd() % 4);
  default: return (uint64_t)-(int64_t)(rnd() % 300);
  }
}
static int divfaults(int kind, int size, uint64_t a, uint64_t b, uint64_t c) {
  unsigned __int128 n; __int128 sn; uint64_t m = size == 64 ? ~0ull : ((1ull << size) - 1);
  uint64_t d = b & m;
  if (d == 0) return 1;
  if (size == 8) { n = a & 0xffff; sn = (int16_t)(a & 0xffff); }
  else if (size == 64) { n = ((unsigned __int128)c << 64) | a; sn = (__int128)n; }
  else { n = ((unsigned __int128)(c & m) << size) | (a & m); sn = size == 16 ? (int32_t)(uint32_t)n : (int64_t)(uint64_t)n; }
  if (kind == 1) { unsigned __int128 q = n / d; return q > m; }
  __int128 sd = size == 8 ? (int8_t)d : size == 16 ? (int16_t)d : size == 32 ? (int32_t)d : (int64_t)d;
  if (size == 64 && sn == (-(__int128)0x7fffffffffffffffll << 64) - ((__int128)1 << 64) && sd == -1) return 1;
  __int128 q = sn / sd;
  __int128 lim = (__int128)1 << (size - 1);
  return q >= lim || q < -lim;
}
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 300;
  for (unsigned t = 0; t < sizeof tab / sizeof tab[0]; t++) {
    for (int k = 0; k < n; k++) {
      uint64_t a = pick(), b = pick(), c = pick();
      uint64_t fin = (rnd() & 0x8d5) | 2;
      if (tab[t].kind && divfaults(tab[t].kind, tab[t].size, a, b, c)) continue;
      uint64_t out[8]; memset(out, 0, sizeof out);
      uint64_t r = tab[t].f(a, b, fin, out, c);
      printf("%s %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx\\n", tab[t].name, a, b, fin, c, r, out[0], out[1], out[2], out[3], out[4]);
    }
  }
  return 0;
}
`;
}

describe('ALU differential test against the host CPU', () => {
  const list = ops();
  const dir = join(tmpdir(), 'modfs-alu-diff');
  mkdirSync(dir, { recursive: true });
  const src = asmFor(list);
  writeFileSync(join(dir, 'ops.s'), src);
  writeFileSync(join(dir, 'harness.c'), harness(list).replace('#include <string.h>', '#include <string.h>\n#include <stdlib.h>'));
  execFileSync('gcc', ['-O1', '-o', join(dir, 'harness'), join(dir, 'harness.c'), join(dir, 'ops.s')]);
  const lines = execFileSync(join(dir, 'harness'), ['250'], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n');
  const m = machine(src);
  const byName = new Map(list.map((o) => [o.name, o]));
  const OUT = DATA_BASE + 0x1000n;

  it(`covers ${list.length} instruction forms`, () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const line of lines) {
      const f = line.split(' ');
      const name = f[0]!;
      const [a, b, fin, c, r, flags, rdx, rcx, s1, s2] = f.slice(1).map((x) => BigInt('0x' + x));
      const op = byName.get(name)!;
      seen.add(name);
      m.mem.fill(OUT, 0, 64);
      let got: bigint;
      try {
        got = m.cpu.call(m.sym(`t_${name}`), [a!, b!, fin!, OUT, c!]);
      } catch (e) {
        failures.push(`${line}: threw ${(e as Error).message}`);
        continue;
      }
      const gFlags = m.mem.readU64(OUT);
      const mask = BigInt(op.mask(a!, b!, c!));
      const defined = op.resultDefined?.(a!, b!, c!) ?? true;
      const problems: string[] = [];
      if (defined && got !== r) problems.push(`rax ${got.toString(16)} != ${r!.toString(16)}`);
      if ((gFlags & mask) !== (flags! & mask)) problems.push(`flags ${(gFlags & mask).toString(16)} != ${(flags! & mask).toString(16)} (mask ${mask.toString(16)})`);
      if (m.mem.readU64(OUT + 8n) !== rdx) problems.push(`rdx ${m.mem.readU64(OUT + 8n).toString(16)} != ${rdx!.toString(16)}`);
      if (m.mem.readU64(OUT + 16n) !== rcx) problems.push(`rcx ${m.mem.readU64(OUT + 16n).toString(16)} != ${rcx!.toString(16)}`);
      if (m.mem.readU64(OUT + 24n) !== s1 || m.mem.readU64(OUT + 32n) !== s2) problems.push('setcc bytes differ');
      if (problems.length && !failures.some((x) => x.startsWith(name + ' '))) failures.push(`${name} a=${a!.toString(16)} b=${b!.toString(16)} c=${c!.toString(16)} fin=${fin!.toString(16)}: ${problems.join('; ')}`);
    }
    expect(seen.size).toBe(list.length);
    expect(failures.slice(0, 30)).toEqual([]);
  });
});
