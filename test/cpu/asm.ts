// Test helper: assembles GNU as source at a fixed address with the real binutils, and loads it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Memory } from '../../src/mm/memory.js';
import { X86Cpu } from '../../src/cpu/x86-cpu.js';

export const CODE_BASE = 0xffffffffc0010000n;
const DIR = join(tmpdir(), 'modfs-cpu-test');

export interface Assembled {
  bytes: Uint8Array;
  syms: Map<string, bigint>;
}

export function assemble(src: string, base = CODE_BASE, defs: Record<string, bigint> = {}): Assembled {
  mkdirSync(DIR, { recursive: true });
  const defArgs = Object.entries(defs).flatMap(([k, v]) => ['--defsym', `${k}=0x${v.toString(16)}`]);
  const key = createHash('sha1').update(src).update(base.toString()).update(defArgs.join(' ')).digest('hex');
  const s = join(DIR, `${key}.s`);
  const o = join(DIR, `${key}.o`);
  const elf = join(DIR, `${key}.elf`);
  const bin = join(DIR, `${key}.bin`);
  if (!existsSync(bin)) {
    writeFileSync(s, `.text\n${src}\n`);
    execFileSync('as', ['--64', '-o', o, s]);
    execFileSync('ld', ['-m', 'elf_x86_64', '--no-warn-rwx-segments', '-N', '-e', '0', `-Ttext=0x${base.toString(16)}`, ...defArgs, '-o', elf, o]);
    execFileSync('objcopy', ['-O', 'binary', '-j', '.text', elf, bin]);
  }
  const nm = execFileSync('nm', [elf], { encoding: 'utf8' });
  const syms = new Map<string, bigint>();
  for (const line of nm.split('\n')) {
    const m = /^([0-9a-f]+) \w (\S+)$/.exec(line.trim());
    if (m) syms.set(m[2]!, BigInt('0x' + m[1]!));
  }
  return { bytes: new Uint8Array(readFileSync(bin)), syms };
}

export interface Machine {
  mem: Memory;
  cpu: X86Cpu;
  sym(name: string): bigint;
  run(name: string, args?: bigint[], budget?: number): bigint;
}

/** Assembles `src`, maps it at CODE_BASE, plus a 64 KiB data area at DATA_BASE. */
export const DATA_BASE = 0xffff888000100000n;
export function machine(src: string, defs: Record<string, bigint> = {}): Machine {
  const { bytes, syms } = assemble(src, CODE_BASE, defs);
  const mem = new Memory();
  const size = Math.ceil((bytes.length + 1) / 4096) * 4096;
  mem.map(CODE_BASE, size);
  mem.writeBytes(CODE_BASE, bytes);
  mem.map(DATA_BASE, 0x10000);
  const cpu = new X86Cpu(mem);
  const sym = (n: string): bigint => {
    const v = syms.get(n);
    if (v === undefined) throw new Error(`no symbol ${n}`);
    return v;
  };
  return { mem, cpu, sym, run: (n, args = [], budget) => cpu.call(sym(n), args, { budget }) };
}
