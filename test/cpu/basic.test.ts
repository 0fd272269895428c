import { describe, expect, it } from 'vitest';
import { machine, DATA_BASE } from './asm.js';

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

describe('X86Cpu basics', () => {
  it('adds arguments and returns rax', () => {
    const m = machine(`
      .globl add3
      add3: lea (%rdi,%rsi,1), %rax
            add %rdx, %rax
            ret`);
    expect(m.run('add3', [1n, 2n, 3n])).toBe(6n);
    expect(m.run('add3', [u64(-1n), 2n, 0n])).toBe(1n);
  });

  it('runs a loop summing 1..n with calls', () => {
    const m = machine(`
      sum:  xor %eax, %eax
      1:    test %rdi, %rdi
            je 2f
            call addi
            dec %rdi
            jmp 1b
      2:    ret
      addi: add %rdi, %rax
            ret`);
    expect(m.run('sum', [100n])).toBe(5050n);
  });

  it('passes stack arguments beyond the sixth', () => {
    const m = machine(`
      f: mov 8(%rsp), %rax
         add 16(%rsp), %rax
         imul %r9, %rax
         ret`);
    expect(m.run('f', [0n, 0n, 0n, 0n, 0n, 3n, 10n, 20n])).toBe(90n);
  });

  it('recursive fibonacci', () => {
    const m = machine(`
      fib: cmp $1, %rdi
           jbe 1f
           push %rbx
           push %rdi
           lea -1(%rdi), %rdi
           call fib
           mov %rax, %rbx
           pop %rdi
           lea -2(%rdi), %rdi
           call fib
           add %rbx, %rax
           pop %rbx
           ret
      1:   mov %rdi, %rax
           ret`);
    expect(m.run('fib', [20n])).toBe(6765n);
  });

  it('loads and stores memory with all sizes and partial registers', () => {
    const m = machine(`
      f: movabs $0x1122334455667788, %rax
         mov %rax, (%rdi)
         movb $0xaa, 1(%rdi)
         movw $0xbbcc, 2(%rdi)
         mov (%rdi), %rdx
         mov %dh, %al
         mov %al, %ah
         movzbl %ah, %ecx
         movsbq 1(%rdi), %rsi
         mov %rsi, 8(%rdi)
         mov %rdx, 16(%rdi)
         mov %rax, 24(%rdi)
         ret`);
    m.run('f', [DATA_BASE]);
    expect(m.mem.readU64(DATA_BASE + 16n).toString(16)).toBe('11223344bbccaa88');
    expect(m.mem.readU64(DATA_BASE + 8n)).toBe(u64(-0x56n));
    // al = dh = 0xaa, then ah = al
    expect(m.mem.readU64(DATA_BASE + 24n).toString(16)).toBe('112233445566aaaa');
  });
});
