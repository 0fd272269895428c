// Reports for code that went wrong on the CPU, worded as the x86-64 kernel words them: page-fault
// oopses, invalid opcodes, BUG(), soft lockups, panics. Each ends only the call that raised it.
import { CpuFault, type Registers } from '../cpu/types.js';
import type { Kernel } from './kernel.js';
import { globalTaintString, moduleTaintLetters, TAINT } from './taint.js';

/** A kernel panic raised from TypeScript (stack protector, panic()). */
export class KernelPanic extends Error {}

const hex16 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
export const UNAME_LINE = '6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2';
const HARDWARE = 'Hardware name: modfs emulated x86-64 machine';

let oopsCount = 0;

export function headerLines(k: Kernel, comm: string): string[] {
  return [`CPU: 0 PID: ${process.pid} Comm: ${comm} ${globalTaintString(k.taint)} ${UNAME_LINE}`, HARDWARE];
}

function callTrace(k: Kernel, addrs: bigint[]): string[] {
  const out = ['Call Trace:', ' <TASK>'];
  for (const a of addrs.slice(0, 16)) {
    const s = k.symbolize(a);
    if (s) out.push(` ${s}`);
  }
  out.push(' </TASK>');
  return out;
}

export function modulesLinkedIn(k: Kernel): string {
  const mods = k.visibleModules().map((m) => {
    const t = moduleTaintLetters(m.taints);
    const st = m.state === 1 ? '+' : m.state === 2 ? '-' : '';
    return t || st ? `${m.name}(${t}${st})` : m.name;
  });
  const last = k.lastUnloaded ? ` [last unloaded: ${k.lastUnloaded}]` : '';
  return `Modules linked in: ${mods.join(' ')}${last}`;
}

function registerLines(r: Registers): string[] {
  const g = r.gpr.map(hex16);
  return [
    `RSP: 0018:${hex16(r.rsp)} EFLAGS: ${BigInt.asUintN(32, r.rflags).toString(16).padStart(8, '0')}`,
    `RAX: ${g[0]} RBX: ${g[3]} RCX: ${g[1]}`,
    `RDX: ${g[2]} RSI: ${g[6]} RDI: ${g[7]}`,
    `RBP: ${g[5]} R08: ${g[8]} R09: ${g[9]}`,
    `R10: ${g[10]} R11: ${g[11]} R12: ${g[12]}`,
    `R13: ${g[13]} R14: ${g[14]} R15: ${g[15]}`,
  ];
}

/** Turn a CpuFault (or a panic/other error raised inside a call) into the kernel's report. */
export function reportFault(k: Kernel, e: unknown, comm: string): void {
  const emit = (lvl: number, s: string) => k.log.emit(lvl, s);
  if (!(e instanceof CpuFault)) {
    const msg = e instanceof KernelPanic ? e.message : `modfs internal error: ${(e as Error)?.message ?? e}`;
    emit(0, `Kernel panic - not syncing: ${msg}`);
    for (const l of headerLines(k, comm)) emit(4, l);
    emit(0, `---[ end Kernel panic - not syncing: ${msg} ]---`);
    k.addTaint(TAINT.DIE, false);
    return;
  }
  const r = e.regs;
  const rip = k.symbolize(r.rip) ?? `0x${r.rip.toString(16)}`;
  if (e.kind === 'budget') {
    emit(0, `watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [${comm}:${process.pid}]`);
    emit(4, modulesLinkedIn(k));
    for (const l of headerLines(k, comm)) emit(4, l);
    emit(4, `RIP: 0010:${rip}`);
    for (const l of registerLines(r)) emit(4, l);
    for (const l of callTrace(k, e.backtrace)) emit(4, l);
    k.addTaint(14, false); // L: soft lockup
    return;
  }
  let oopsCode = '0000';
  if (e.kind === 'page-fault' || e.kind === 'stack-overflow') {
    const addr = e.detail.addr ?? 0n;
    const code = (e.detail.write ? 2 : 0) | (e.detail.fetch ? 0x10 : 0);
    oopsCode = code.toString(16).padStart(4, '0');
    if (e.kind === 'stack-overflow') emit(0, `BUG: stack guard page was hit at ${hex16(addr)} (stack is ${hex16(addr & ~0x3fffn)}..${hex16((addr & ~0x3fffn) + 0x3fffn)})`);
    else if (addr < 4096n) emit(1, `BUG: kernel NULL pointer dereference, address: ${hex16(addr)}`);
    else emit(1, `BUG: unable to handle page fault for address: ${hex16(addr)}`);
    emit(1, `#PF: supervisor ${e.detail.fetch ? 'instruction fetch' : e.detail.write ? 'write access' : 'read access'} in kernel mode`);
    emit(1, `#PF: error_code(0x${oopsCode}) - not-present page`);
    emit(6, 'PGD 0 P4D 0 ');
  } else if (e.kind === 'ud2') {
    const bug = k.bugAt?.(r.rip);
    emit(4, bug ? `kernel BUG at ${bug}!` : 'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI');
  } else if (e.kind === 'divide-error') {
    emit(4, 'divide error: 0000 [#1] PREEMPT SMP NOPTI');
  }
  oopsCount++;
  const what =
    e.kind === 'invalid-opcode' || e.kind === 'ud2'
      ? 'invalid opcode'
      : e.kind === 'divide-error'
        ? 'divide error'
        : e.kind === 'int3'
          ? 'int3'
          : e.kind === 'general-protection'
            ? 'general protection fault'
            : 'Oops';
  emit(4, `${what}: ${oopsCode} [#${oopsCount}] PREEMPT SMP NOPTI`);
  for (const l of headerLines(k, comm)) emit(4, l);
  emit(4, `RIP: 0010:${rip}`);
  if (e.detail.bytes) emit(4, `Code: ${[...e.detail.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  for (const l of registerLines(r)) emit(4, l);
  if (e.kind === 'page-fault') emit(4, `CR2: ${hex16(e.detail.addr ?? 0n)}`);
  for (const l of callTrace(k, e.backtrace)) emit(4, l);
  emit(4, modulesLinkedIn(k));
  emit(4, '---[ end trace 0000000000000000 ]---');
  k.addTaint(TAINT.DIE, false);
}

/** dump_stack(): the banner and the caller's frames. */
export function dumpStack(k: Kernel, comm: string, frames: string[]): void {
  for (const l of headerLines(k, comm)) k.log.emit(4, l);
  k.log.emit(4, 'Call Trace:');
  k.log.emit(4, ' <TASK>');
  for (const f of frames) k.log.emit(4, ` ${f}`);
  k.log.emit(4, ' </TASK>');
}
