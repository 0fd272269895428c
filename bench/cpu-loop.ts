// Interpreter speed on simple loops, in millions of guest instructions per second.
// Run: bash bench/cpu-run.sh
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Memory } from '../src/mm/memory.js';
import { X86Cpu } from '../src/cpu/x86-cpu.js';

const BASE = 0xffffffffc0000000n;
const DATA = 0xffff888000000000n;

const SRC = `
  # register-only countdown: 4 instructions per iteration
  count: xor %eax, %eax
  1:     add %rdi, %rax
         xor %rdx, %rax
         dec %rdi
         jnz 1b
         ret
  # byte checksum over a buffer: load, add, inc, cmp, branch
  csum:  xor %eax, %eax
         xor %ecx, %ecx
  2:     movzbl (%rsi,%rcx), %edx
         add %rdx, %rax
         inc %rcx
         cmp %rdi, %rcx
         jb 2b
         ret
  # calls, stack traffic and 32-bit ALU, like compiled kernel helpers
  calls: push %rbx
         mov %edi, %ebx
         xor %eax, %eax
  3:     mov %ebx, %edi
         call leaf
         sub $1, %ebx
         jne 3b
         pop %rbx
         ret
  leaf:  lea (%rdi,%rdi,2), %edx
         shr $1, %edx
         add %edx, %eax
         ret
`;

function assemble(): { bytes: Uint8Array; syms: Map<string, bigint> } {
  const dir = mkdtempSync(join(tmpdir(), 'cpubench-'));
  writeFileSync(join(dir, 'a.s'), `.text\n.globl count, csum, calls\n${SRC}\n`);
  execFileSync('as', ['--64', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
  execFileSync('ld', ['-m', 'elf_x86_64', '--no-warn-rwx-segments', '-N', '-e', '0', `-Ttext=0x${BASE.toString(16)}`, '-o', join(dir, 'a.elf'), join(dir, 'a.o')]);
  execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
  const syms = new Map<string, bigint>();
  for (const l of execFileSync('nm', [join(dir, 'a.elf')], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) \w (\S+)$/.exec(l.trim());
    if (m) syms.set(m[2]!, BigInt('0x' + m[1]!));
  }
  return { bytes: new Uint8Array(readFileSync(join(dir, 'a.bin'))), syms };
}

const { bytes, syms } = assemble();
const mem = new Memory();
mem.map(BASE, 4096);
mem.writeBytes(BASE, bytes);
mem.map(DATA, 1 << 16);
const cpu = new X86Cpu(mem);

function bench(name: string, args: bigint[]): void {
  const fn = syms.get(name)!;
  cpu.call(fn, args.map((a) => (a > 100000n ? a : a / 10n))); // warm up
  let best = 0;
  for (let rep = 0; rep < 5; rep++) {
    const before = cpu.instructionCount;
    const t0 = process.hrtime.bigint();
    cpu.call(fn, args, { budget: 2e9 });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    const n = cpu.instructionCount - before;
    best = Math.max(best, n / dt / 1e6);
  }
  console.log(`${name.padEnd(6)} ${best.toFixed(1)} MIPS`);
}

bench('count', [10_000_000n]);
bench('csum', [65536n, DATA]);
bench('calls', [3_000_000n]);
