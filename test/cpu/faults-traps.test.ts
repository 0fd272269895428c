import { describe, expect, it } from 'vitest';
import { CpuFault } from '../../src/cpu/types.js';
import { machine, DATA_BASE, CODE_BASE } from './asm.js';

const TRAP = 0xffffffff81000100n;
const TRAP2 = 0xffffffff81000200n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

function fault(fn: () => unknown): CpuFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
  throw new Error('no fault');
}

describe('faults', () => {
  it('NULL dereference is a page fault at address 0 with registers and backtrace', () => {
    const m = machine(`
      outer: push %rbx
             call inner
             pop %rbx
             ret
      inner: xor %eax, %eax
             mov 8(%rax), %rdx
             ret`);
    const f = fault(() => m.run('outer'));
    expect(f.kind).toBe('page-fault');
    expect(f.detail.addr).toBe(8n);
    expect(f.detail.write).toBe(false);
    expect(f.detail.fetch).toBe(false);
    expect(f.regs.rip).toBe(m.sym('inner') + 2n);
    // the return address into outer (after its call) is found on the stack
    expect(f.backtrace).toContain(m.sym('outer') + 6n);
    expect(f.detail.executed).toBe(4);
  });

  it('store to unmapped memory and call through a NULL pointer', () => {
    const m = machine(`
      st: movl $1, (%rdi)
          ret
      cn: xor %eax, %eax
          call *%rax
          ret`);
    const f = fault(() => m.run('st', [0x1234n]));
    expect(f.kind).toBe('page-fault');
    expect(f.detail).toMatchObject({ addr: 0x1234n, write: true });
    const g = fault(() => m.run('cn'));
    expect(g.kind).toBe('page-fault');
    expect(g.detail).toMatchObject({ addr: 0n, fetch: true });
    expect(g.regs.rip).toBe(0n);
    expect(g.backtrace[0]).toBe(m.sym('cn') + 4n);
  });

  it('budget exhaustion on an endless loop', () => {
    const m = machine(`spin: jmp spin`);
    const f = fault(() => m.run('spin', [], 10000));
    expect(f.kind).toBe('budget');
    expect(f.detail.executed).toBe(10000);
  });

  it('runaway recursion hits the stack guard page', () => {
    const m = machine(`rec: push %rdi
                           call rec
                           ret`);
    const f = fault(() => m.run('rec', [], 1_000_000));
    expect(f.kind).toBe('stack-overflow');
  });

  it('ud2, int3, divide error, unknown opcode, non-canonical address', () => {
    const m = machine(`
      u:  nop
          ud2
      i3: int3
      dz: xor %ecx, %ecx
          div %ecx
          ret
      do: mov $-0x80000000, %eax
          cltd
          mov $-1, %ecx
          idiv %ecx
          ret
      bad: .byte 0x0f, 0x04
      nc: movabs $0x0000800000000000, %rax
          mov (%rax), %rax
          ret`);
    const u = fault(() => m.run('u'));
    expect(u.kind).toBe('ud2');
    expect(u.regs.rip).toBe(m.sym('u') + 1n);
    expect([...u.detail.bytes!.slice(0, 2)]).toEqual([0x0f, 0x0b]);
    expect(fault(() => m.run('i3')).kind).toBe('int3');
    expect(fault(() => m.run('dz')).kind).toBe('divide-error');
    expect(fault(() => m.run('do')).kind).toBe('divide-error');
    const b = fault(() => m.run('bad'));
    expect(b.kind).toBe('invalid-opcode');
    expect([...b.detail.bytes!.slice(0, 2)]).toEqual([0x0f, 0x04]);
    expect(fault(() => m.run('nc')).kind).toBe('general-protection');
  });

  it('the cpu is usable again after a fault', () => {
    const m = machine(`
      bad: mov (%rdi), %rax
      ok:  lea 1(%rdi), %rax
           ret`);
    expect(() => m.run('bad', [0n])).toThrow(CpuFault);
    expect(m.run('ok', [41n])).toBe(42n);
  });
});

describe('traps', () => {
  it('a call to a trap address sees 8 SysV args and the return address', () => {
    const m = machine(
      `
      f: push %rbx
         sub $16, %rsp
         movq $8, 8(%rsp)
         movq $7, (%rsp)
         mov $1, %edi
         mov $2, %esi
         mov $3, %edx
         mov $4, %ecx
         mov $5, %r8d
         mov $-6, %r9
         call ext
      after:
         add $100, %rax
         add $16, %rsp
         pop %rbx
         ret`,
      { ext: TRAP },
    );
    let seen: bigint[] = [];
    let ret = 0n;
    m.cpu.registerTrap(TRAP, 'ext', (ctx) => {
      seen = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ctx.arg(k));
      ret = ctx.returnAddress;
      return -1;
    });
    expect(m.run('f')).toBe(99n);
    expect(seen).toEqual([1n, 2n, 3n, 4n, 5n, u64(-6n), 7n, 8n]);
    expect(ret).toBe(m.sym('after'));
  });

  it('a tail jmp into a trap returns to the caller of the jumping function', () => {
    const m = machine(
      `
      top: call mid
           add $1, %rax
           ret
      mid: mov $20, %edi
           jmp ext`,
      { ext: TRAP },
    );
    m.cpu.registerTrap(TRAP, 'ext', (ctx) => ctx.arg(0) * 2n);
    expect(m.run('top')).toBe(41n);
  });

  it('nested ctx.call runs module code below the current stack, re-entrantly', () => {
    const m = machine(
      `
      outer: push %rbx
             push %r12
             mov $1000, %ebx
             mov $7, %r12d
             lea cb(%rip), %rdi
             call ext
             add %rbx, %rax
             add %r12, %rax
             pop %r12
             pop %rbx
             ret
      cb:    push %rbx
             mov $5, %ebx
             lea (%rdi,%rbx), %rax
             call ext2
             pop %rbx
             ret`,
      { ext: TRAP, ext2: TRAP2 },
    );
    let depth = 0;
    m.cpu.registerTrap(TRAP, 'ext', (ctx) => {
      depth++;
      const r = ctx.call(ctx.arg(0), [10n]);
      return r + 1n;
    });
    m.cpu.registerTrap(TRAP2, 'ext2', () => undefined); // void: rax untouched
    expect(m.run('outer')).toBe(10n + 5n + 1n + 1000n + 7n);
    expect(depth).toBe(1);
  });

  it('a fault in nested code propagates as a CpuFault', () => {
    const m = machine(
      `
      outer: lea cb(%rip), %rdi
             call ext
             ret
      cb:    mov (%rdi), %rax
             ret`,
      { ext: TRAP },
    );
    m.cpu.registerTrap(TRAP, 'ext', (ctx) => ctx.call(ctx.arg(0), [0x10n]));
    const f = fault(() => m.run('outer'));
    expect(f.kind).toBe('page-fault');
    expect(f.detail.addr).toBe(0x10n);
    // cpu still works
    m.cpu.registerTrap(TRAP, 'ext', () => 3);
    expect(m.run('outer')).toBe(3n);
  });

  it('exceptions thrown by a handler propagate unchanged', () => {
    const m = machine(`f: call ext\n ret`, { ext: TRAP });
    m.cpu.registerTrap(TRAP, 'ext', () => {
      throw new RangeError('boom');
    });
    expect(() => m.run('f')).toThrow(RangeError);
  });

  it('retpoline-style indirect call through a jmp thunk', async () => {
    const { thunkBytes } = await import('../../src/cpu/thunks.js');
    const m = machine(
      `
      f: lea g(%rip), %r11
         call thunk
         add $1, %eax
         ret
      g: mov $41, %eax
         jmp ret_thunk`,
      { thunk: CODE_BASE + 0x8000n, ret_thunk: CODE_BASE + 0x8010n },
    );
    m.mem.map(CODE_BASE + 0x8000n, 4096);
    m.mem.writeBytes(CODE_BASE + 0x8000n, thunkBytes('__x86_indirect_thunk_r11')!);
    m.mem.writeBytes(CODE_BASE + 0x8010n, thunkBytes('__x86_return_thunk')!);
    expect(m.run('f')).toBe(42n);
  });
});

describe('segments, strings, misc', () => {
  it('%gs-relative loads: stack canary and absolute per-cpu offset', () => {
    const m = machine(`
      f: mov %gs:0x28, %rax
         mov %gs:cur, %rdx
         add %rdx, %rax
         addl $1, %gs:0x30
         ret
      .set cur, 0x40`);
    m.cpu.gsBase = DATA_BASE;
    m.mem.writeU64(DATA_BASE + 0x28n, 0x1111n);
    m.mem.writeU64(DATA_BASE + 0x40n, 0x2222n);
    expect(m.run('f')).toBe(0x3333n);
    expect(m.mem.readU32(DATA_BASE + 0x30n)).toBe(1);
  });

  it('rep movs / rep stos / repne scas / repe cmps, forward and backward', () => {
    const m = machine(`
      cpy: mov %rdx, %rcx
           rep movsb
           mov %rcx, %rax
           ret
      set: mov %rsi, %rax
           mov %rdx, %rcx
           rep stosq
           ret
      len: xor %eax, %eax
           mov $-1, %rcx
           repne scasb
           not %rcx
           lea -1(%rcx), %rax
           ret
      cmp: mov %rdx, %rcx
           repe cmpsb
           mov %rcx, %rax
           ret
      bwd: std
           lea -1(%rsi,%rdx), %rsi
           lea -1(%rdi,%rdx), %rdi
           mov %rdx, %rcx
           rep movsb
           cld
           ret
      cpyl: mov %rdx, %rcx
           rep movsl
           ret`);
    const src = DATA_BASE + 0x100n;
    const dst = DATA_BASE + 0x2ff0n; // crosses a page boundary
    const bytes = Uint8Array.from({ length: 300 }, (_, k) => (k * 7 + 1) & 0xff);
    m.mem.writeBytes(src, bytes);
    expect(m.run('cpy', [dst, src, 300n])).toBe(0n);
    expect([...m.mem.readBytes(dst, 300)]).toEqual([...bytes]);
    m.run('set', [dst, 0xabcdn, 10n]);
    expect(m.mem.readU64(dst + 72n)).toBe(0xabcdn);
    expect(m.mem.readU8(dst + 80n)).toBe(bytes[80]);
    m.mem.writeBytes(DATA_BASE + 0x500n, new TextEncoder().encode('hello world\0'));
    expect(m.run('len', [DATA_BASE + 0x500n])).toBe(11n);
    m.mem.writeBytes(DATA_BASE + 0x600n, new TextEncoder().encode('hello there'));
    expect(m.run('cmp', [DATA_BASE + 0x600n, DATA_BASE + 0x500n, 11n])).toBe(4n);
    m.run('bwd', [DATA_BASE + 0x101n, DATA_BASE + 0x100n, 50n]);
    expect([...m.mem.readBytes(DATA_BASE + 0x101n, 50)]).toEqual([...bytes.slice(0, 50)]);
    // overlapping forward copy replicates like the element loop
    m.mem.writeU8(DATA_BASE + 0x800n, 0x5a);
    m.run('cpy', [DATA_BASE + 0x801n, DATA_BASE + 0x800n, 20n]);
    expect([...m.mem.readBytes(DATA_BASE + 0x800n, 21)]).toEqual(new Array(21).fill(0x5a));
    const now = m.mem.readBytes(src, 80);
    m.run('cpyl', [dst + 1n, src, 20n]);
    expect([...m.mem.readBytes(dst + 1n, 80)]).toEqual([...now]);
  });

  it('a faulting rep movs leaves rcx/rsi/rdi at the faulting element', () => {
    const m = machine(`cpy: mov %rdx, %rcx\n rep movsb\n ret`);
    const f = fault(() => m.run('cpy', [DATA_BASE + 0xfff0n, DATA_BASE, 0x20n]));
    expect(f.kind).toBe('page-fault');
    expect(f.detail.addr).toBe(DATA_BASE + 0x10000n);
    expect(f.regs.gpr[1]).toBe(0x10n);
  });

  it('pushf/popf, cli/sti, lock prefixes, nops, endbr64, cpuid, rdtsc', () => {
    const m = machine(`
      f: endbr64
         cli
         pushfq
         pop %rax
         sti
         nopw 0x0(%rax,%rax,1)
         nopl 0x0(%rax)
         xchg %ax, %ax
         pause
         lock incl (%rdi)
         lock xaddl %edx, (%rdi)
         lock cmpxchgq %rsi, 8(%rdi)
         mfence
         and $0x200, %eax
         ret
      id: push %rbx
          xor %eax, %eax
          cpuid
          mov %ebx, %eax
          pop %rbx
          ret
      ts: rdtsc
          shl $32, %rdx
          or %rdx, %rax
          ret`);
    m.mem.writeU32(DATA_BASE, 5);
    expect(m.run('f', [DATA_BASE, 9n, 10n])).toBe(0n);
    expect(m.mem.readU32(DATA_BASE)).toBe(16);
    expect(m.mem.readU64(DATA_BASE + 8n)).toBe(0n); // rax (0x200) != 0 -> not exchanged
    expect(m.run('id')).toBe(0x756e6547n);
    const t1 = m.run('ts');
    const t2 = m.run('ts');
    expect(t2 > t1).toBe(true);
  });

  it('self-modifying code is seen after a store to a code page', () => {
    const m = machine(`
      f: mov $1, %eax
         ret`);
    expect(m.run('f')).toBe(1n);
    m.mem.writeU8(m.sym('f') + 1n, 2);
    expect(m.run('f')).toBe(2n);
  });
});
