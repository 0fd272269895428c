// Compiled blocks (src/cpu/block.ts) against the plain interpreter: the same code runs with blocks
// compiled at once and with blocks off, and everything observable must agree: rax, every
// register, rflags, memory, instruction counts, and fault reports (kind, rip, registers, executed).
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_HOT, setBlockThreshold } from '../../src/cpu/block.js';
import { getFlags } from '../../src/cpu/flags.js';
import { CpuFault } from '../../src/cpu/types.js';
import { machine, DATA_BASE } from './asm.js';

const saved = BLOCK_HOT;
afterAll(() => setBlockThreshold(saved === Infinity ? 0 : saved));

interface Outcome {
  rax?: bigint;
  fault?: { kind: string; rip: bigint; rflags: bigint; gpr: bigint[]; detail: unknown };
  regs: number[];
  flags: number;
  data: Uint8Array;
  count: number;
}

function runOnce(src: string, fn: string, args: bigint[], hot: number, budget?: number, times = 3): Outcome[] {
  setBlockThreshold(hot);
  const m = machine(src);
  const out: Outcome[] = [];
  for (let t = 0; t < times; t++) {
    const o: Partial<Outcome> = {};
    try {
      o.rax = m.run(fn, args, budget);
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      o.fault = { kind: e.kind, rip: e.regs.rip, rflags: e.regs.rflags, gpr: e.regs.gpr, detail: e.detail };
    }
    o.regs = [...m.cpu.L, ...m.cpu.H];
    o.flags = getFlags(m.cpu);
    o.data = m.mem.readBytes(DATA_BASE, 4096);
    o.count = m.cpu.instructionCount;
    out.push(o as Outcome);
  }
  if (hot === 1) {
    // The code really ran as compiled blocks.
    const code = (m.mem.peekPage(Number(BigInt.asIntN(64, m.sym(fn))))?.code ?? []) as { blk: { n: number } | null }[];
    expect(code.some((i) => i !== undefined && i.blk !== null && i.blk.n > 1 && i.blk.n < Infinity)).toBe(true);
  }
  return out;
}

/**
 * Runs with blocks off and with blocks compiled: at once (traces then follow fall-throughs) and
 * after 8 executions (traces follow the branch directions taken more often); all must agree.
 */
function same(src: string, fn: string, args: bigint[] = [], budget?: number): Outcome[] {
  const interp = runOnce(src, fn, args, 0, budget);
  let jit: Outcome[] = [];
  for (const hot of [1, 8]) {
    jit = runOnce(src, fn, args, hot, budget);
    expect(jit).toEqual(interp);
  }
  return jit;
}

const D = `0x${DATA_BASE.toString(16)}`;

describe('compiled blocks agree with the interpreter', () => {
  it('ALU ops on all sizes, registers, memory and immediates, flags read back', () => {
    const ops = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test'];
    const body = ops
      .map(
        (op) => `
          ${op}q %rsi, %rax
          pushfq
          pop %r11
          add %r11, %r15
          ${op}l %esi, %ebx
          setc %cl
          add %rcx, %r15
          ${op}w %si, %dx
          seto %cl
          add %rcx, %r15
          ${op}b %bl, %ah
          sets %cl
          add %rcx, %r15
          ${op}q %rax, 16(%r10)
          ${op}l 24(%r10), %edx
          setg %cl
          add %rcx, %r15
          ${op === 'test' ? 'test' : op}q $-77, %rbx
          setbe %cl
          add %rcx, %r15
          ${op === 'test' ? 'testl $0x7fff0001, %edx' : `${op}l $0x7fff0001, %edx`}
          setl %cl
          add %rcx, %r15
          ${op}b %dh, %bl
          setle %cl
          add %rcx, %r15`,
      )
      .join('\n');
    same(
      `f: push %rbx
          push %r15
          movabs $${D}, %r10
          mov %rdi, %rax
          mov $0x80000001, %ebx
          mov $0x7fff, %edx
          xor %r15d, %r15d
          mov $40, %r9d
       1: lea 0x1e3779b9(%rsi,%rax,2), %rsi
          ror $7, %rsi
          ${body}
          dec %r9d
          jnz 1b
          mov %r15, %rax
          pop %r15
          pop %rbx
          ret`,
      'f',
      [0x0123456789abcdefn, 0xfedcba9876543210n],
    );
  });

  it('every condition code after cmp, sub, add, test, inc, dec and neg, as setcc, cmov and jcc', () => {
    const ccs = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
    const producers = [
      'cmp %rsi, %rdi', 'cmp %esi, %edi', 'cmp %si, %di', 'cmp %sil, %dil', 'sub %rsi, %rdi', 'add %esi, %edi',
      'add %rsi, %rdi', 'test %esi, %edi', 'test %rsi, %rdi', 'inc %edi', 'dec %rdi', 'neg %edi', 'neg %rdi',
      'inc %di', 'xor %esi, %edi', 'cmp %edi, %edi', 'sub %rdi, %rdi', 'add %dil, %sil', 'cmp $-1, %edi', 'shl $3, %rdi', 'sar $5, %edi', 'shr $33, %rdi', 'imul %esi, %edi', 'imul %rsi, %rdi',
    ];
    let body = '';
    let n = 0;
    for (const p of producers) {
      for (const cc of ccs) {
        body += `
          mov %r8, %rdi
          mov %r9, %rsi
          ${p}
          set${cc} %al
          add %rax, %r15
          mov %r8, %rdi
          ${p}
          cmov${cc} %rdx, %rbx
          add %rbx, %r15
          mov %r8, %rdi
          ${p}
          j${cc} 2f
          add $${++n}, %r15
       2:`;
      }
    }
    // Operand pairs: equal values, sign and carry boundaries of every size.
    const vals = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
      0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x123456789abcdef0n];
    const pairs: bigint[] = [];
    for (const a of vals) for (const b of [vals[3]!, vals[9]!, vals[13]!, a, a + 1n, a - 1n]) pairs.push(a, BigInt.asUintN(64, b));
    const src = `
      f: push %rbx
         push %r15
         push %r12
         xor %r15d, %r15d
         xor %eax, %eax
         mov $0x1234, %edx
         lea tbl(%rip), %r12
         mov $${pairs.length / 2}, %ecx
      1: xor %ebx, %ebx
         mov (%r12), %r8
         mov 8(%r12), %r9
         add $16, %r12
         ${body}
         dec %ecx
         jnz 1b
         mov %r15, %rax
         pop %r12
         pop %r15
         pop %rbx
         ret
      tbl: .quad ${pairs.map((v) => `0x${v.toString(16)}`).join(', ')}`;
    same(src, 'f');
  });

  it('shifts, imul, movzx/movsx, lea, push/pop, call/ret in hot loops', () => {
    same(
      `f: push %rbx
          push %rbp
          movabs $${D}, %r10
          xor %eax, %eax
          mov $200, %ecx
       1: mov %rcx, %rdx
          shl $5, %rdx
          shr $2, %edx
          sar $1, %rdx
          shl $40, %rdx
          sar $35, %rdx
          imul $-7, %rdx, %rbx
          imul %rdx, %rbx
          imul $1000003, %ebx, %ebp
          movzbl %cl, %esi
          movsbq %bl, %rdi
          movswl %bx, %r8d
          movslq %ebp, %r9
          mov %rbx, (%r10,%rsi,8)
          movzwl 2(%r10,%rsi,8), %r11d
          movsbl 1(%r10,%rsi,8), %edi
          lea -8(%rdi,%r11,4), %rdi
          lea (%r8,%r9), %r8d
          push %rdi
          push %r8
          call g
          pop %r8
          pop %rdi
          add %rdi, %rax
          add %r8, %rax
          add %r9, %rax
          not %rax
          neg %ebx
          adc %rbx, %rax
          movb %al, 3(%r10,%rcx)
          movw %ax, 5(%r10,%rcx)
          movl $-5, 9(%r10,%rcx)
          movq $-6, 17(%r10,%rcx)
          incq 25(%r10,%rcx)
          dec %ecx
          jnz 1b
          pop %rbp
          pop %rbx
          ret
       g: lea 1(%rdi,%rdi), %rdx
          xor %rdx, %rax
          ret`,
      'f',
    );
  });

  it('a page fault in the middle of a hot block reports the same rip, registers and flags', () => {
    const src = `
      f: movabs $${D}, %rsi
         xor %eax, %eax
         xor %ecx, %ecx
      1: add (%rsi,%rcx,8), %rax
         cmp %rax, %rcx
         inc %rcx
         add $-1, %rdx
         mov (%rsi,%rcx,8), %rdi
         jmp 1b`;
    const r = same(src, 'f');
    expect(r[0]!.fault?.kind).toBe('page-fault');
  });

  it('lea results that wrap 32 bits are used in the same block as the registers they land in', () => {
    // A register held in a JS local must carry the int32 the Int32Array would have stored.
    same(
      `f: push %rbx
          movabs $0x100000000, %rax
          mov $0xfffffff0, %esi
          xor %edx, %edx
          mov $50, %ecx
       1: lea -1(%rax), %r9
          inc %r9
          add %r9, %rdx
          lea -7(%rsi), %r10d
          cmp $-6, %r10d
          setl %bl
          movzbl %bl, %ebx
          add %rbx, %rdx
          lea 0x7ffffff0(%rsi,%rsi), %r11d
          cmp %r11d, %esi
          setg %bl
          add %rbx, %rdx
          dec %ecx
          jnz 1b
          mov %rdx, %rax
          pop %rbx
          ret`,
      'f',
    );
  });

  it('pages remembered by compiled loads and stores are dropped when unmapped', () => {
    for (const hot of [1, 0]) {
      setBlockThreshold(hot);
      const m = machine(`
        sum:  xor %eax, %eax
              xor %ecx, %ecx
        1:    add (%rdi,%rcx,8), %rax
              movb $1, (%rdi,%rcx,1)
              inc %ecx
              cmp $64, %ecx
              jne 1b
              ret`);
      const data = DATA_BASE + 0x2000n;
      expect(m.run('sum', [data])).toBe(0n);
      expect(m.run('sum', [data])).toBe(8n * 0x0101010101010101n); // the first pass set bytes 0..63
      m.mem.unmap(data, 4096);
      expect(() => m.run('sum', [data])).toThrow(CpuFault);
    }
  });

  it('pages remembered by compiled stores are dropped when they start to hold code', () => {
    for (const hot of [1, 0]) {
      setBlockThreshold(hot);
      // poke writes esi, then c3 00 00 00, at rdi: with esi = 0x0000NNb8 that is mov $NN, %eax; ret.
      const m = machine(`
        poke: mov $20, %ecx
        2:    movl %esi, (%rdi)
              movl $0xc300, 4(%rdi)
              dec %ecx
              jnz 2b
              ret
        callp: jmp *%rdi`);
      const code = DATA_BASE + 0x3000n;
      m.run('poke', [code, 0x07b8n]);
      expect(m.run('callp', [code])).toBe(7n);
      // The same store sites again: their stores must reach the decoded-instruction cache.
      m.run('poke', [code, 0x09b8n]);
      expect(m.run('callp', [code])).toBe(9n);
    }
  });

  it('a string instruction that faults part-way inside a block keeps the registers it advanced', () => {
    // rep movsb runs through its own handler, which moves rsi/rdi/rcx byte by byte; the block
    // must not overwrite that progress with its own copies of those registers.
    const src = `
      f: movabs $${D}, %rsi
         xor %eax, %eax
      1: lea 0xff00(%rsi), %rsi
         mov %rsi, %rdi
         add $-0x7f00, %rdi
         mov $0x200, %ecx
         inc %eax
         rep movsb
         jmp 1b`;
    const r = same(src, 'f');
    expect(r[0]!.fault?.kind).toBe('page-fault');
  });

  it('a fault at the head of a later pass reports the flags the previous pass left', () => {
    // The loop's flags stay in locals across the back edge; the fault report must still show them.
    const src = `
      f: movabs $${D}, %rsi
         mov $3, %edi
      1: mov (%rsi), %rax
         add $4096, %rsi
         sub $7, %rdi
         jmp 1b`;
    const r = same(src, 'f');
    expect(r[0]!.fault?.kind).toBe('page-fault');
  });

  it('the budget stops a hot loop at the same instruction', () => {
    const src = `
      f: xor %eax, %eax
      1: add $3, %eax
         xor %eax, %edx
         cmp $7, %edx
         jmp 1b`;
    for (const budget of [1, 2, 3, 5, 17, 1000, 1001, 1002, 1003, 12345]) {
      const r = same(src, 'f', [], budget);
      expect(r[0]!.fault?.kind).toBe('budget');
    }
  });

  it('a store into the running block is seen by the next instruction', () => {
    // On iterations 40 and 20 only, the store patches the immediate of the `mov $imm, %edx` right
    // after it in the same (by then compiled) block; otherwise it goes to the data area.
    const src = `
      f: lea p+1(%rip), %r8
         movabs $${D}, %r9
         xor %eax, %eax
         mov $50, %ecx
      1: mov %r9, %rsi
         cmp $40, %ecx
         cmove %r8, %rsi
         cmp $20, %ecx
         cmove %r8, %rsi
         mov %ecx, (%rsi)
      p: mov $1, %edx
         add %edx, %eax
         dec %ecx
         jnz 1b
         ret`;
    const r = same(src, 'f');
    expect(r[0]!.rax).toBe(10n + 20n * 40n + 20n * 20n);
  });

  it('ud2 and #GP inside a block', () => {
    same(`f: mov $5, %eax
             add $1, %eax
             ud2
             ret`, 'f');
    same(`f: movabs $0x8000000000000000, %rsi
             add $1, %eax
             cmp %eax, %esi
             mov (%rsi), %eax
             ret`, 'f');
    same(`f: movabs $0x8000000000000000, %rsi
             push %rsi
             sub $1, %eax
             ret`, 'f');
  });
});
