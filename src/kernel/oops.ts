// Reports for code that went wrong on the CPU, laid out as the x86-64 6.1 kernel lays them out
// (arch/x86/kernel/dumpstack.c, arch/x86/mm/fault.c, traps.c, lib/bug.c, kernel/panic.c,
// kernel/watchdog.c), checked line by line against the real Debian 6.1.0-56 kernel under QEMU
// (transcripts/faults/). Each report ends only the call that raised it (api/sched.ts).
//
// What differs from a real report, by design: the machine's name (Hardware name:), the values of
// FS/CR3 (no user space behind the task), and the user-space register block that a real trace
// prints before </TASK> (modfs has no user registers to show). The call trace lists the module
// frames found on the stack, then the kernel frames of the path that entered the module (the
// task's `frames`, e.g. do_one_initcall ... for init), with the offsets of the real 6.1.0-56 build.
import { CpuFault, type Registers } from '../cpu/types.js';
import type { Task } from './api/sched.js';
import type { Kernel } from './kernel.js';
import { dumpStackUname, enabled } from './identity/identity.js';
import { hashPointer } from './ptr-hash.js';
import { globalTaintString, moduleTaintLetters, TAINT } from './taint.js';

/** A kernel panic raised from TypeScript (stack protector, panic()); `lead`: the caller's frames. */
export class KernelPanic extends Error {
  constructor(
    message: string,
    readonly lead: string[] = [],
  ) {
    super(message);
  }
}

/** A spinlock taken twice on one CPU: a real kernel spins until the watchdog reports it. */
export class SoftLockup extends Error {
  /** `lead`: the innermost frames (the lock function, its caller). */
  constructor(
    message: string,
    readonly lead: string[] = [],
  ) {
    super(message);
  }
}

/** A sleeping lock that can never be released: the hung-task detector reports it after 120 s. */
export class HungTask extends Error {
  constructor(
    message: string,
    readonly lead: string[] = [],
  ) {
    super(message);
  }
}

const hex16 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
const HARDWARE = 'Hardware name: modfs emulated x86-64 machine';

/** die()'s flags after `[#n]`: preemption model, SMP, and page-table isolation off (no PTI CPU bug). */
function oopsFlags(k: Kernel): string {
  const id = k.identity;
  const preempt = enabled(id, 'PREEMPTION') ? (enabled(id, 'PREEMPT_RT') ? 'PREEMPT_RT ' : 'PREEMPT ') : '';
  const smp = enabled(id, 'SMP') ? 'SMP ' : '';
  const pti = enabled(id, 'PAGE_TABLE_ISOLATION') ? 'NOPTI' : '';
  return `${preempt}${smp}${pti}`.trimEnd();
}
const CUT_HERE = '------------[ cut here ]------------';
const END_TRACE = '---[ end trace 0000000000000000 ]---';

/** What die() remembers between oopses. */
export class OopsState {
  count = 0;
  /** Last page-fault address (CR2 keeps it until the next fault). */
  cr2 = 0n;
}

type Who = Pick<Task, 'pid' | 'comm'> & { frames?: readonly string[] };

export function headerLines(k: Kernel, who: Who): string[] {
  return [`CPU: 0 PID: ${who.pid} Comm: ${who.comm} ${globalTaintString(k.taint)} ${dumpStackUname(k.identity)}`, HARDWARE];
}

export function modulesLinkedIn(k: Kernel): string {
  const mods = k.visibleModules().map((m) => {
    const t = moduleTaintLetters(m.taints);
    const st = m.state === 1 ? '+' : m.state === 2 ? '-' : '';
    return t || st ? `${m.name}(${t}${st})` : m.name;
  });
  const last = k.lastUnloaded ? ` [last unloaded: ${k.lastUnloaded}]` : '';
  // print_modules: each name after its own space, so an empty list is just the colon.
  return `Modules linked in:${mods.map((n) => ` ${n}`).join('')}${last}`;
}

/** show_opcodes: 42 bytes before rip, <the byte at rip>, 21 after; all or nothing. */
function codeLine(k: Kernel, rip: bigint): string {
  const start = rip - 42n;
  const out: string[] = [];
  try {
    for (let i = 0; i < 64; i++) {
      const b = k.mem.readU8(start + BigInt(i)).toString(16).padStart(2, '0');
      out.push(i === 42 ? `<${b}>` : b);
    }
  } catch {
    return `Code: Unable to access opcode bytes at 0x${hex16(start)}.`;
  }
  return `Code: ${out.join(' ')}`;
}

/** __show_regs(SHOW_REGS_SHORT... ALL) for a kernel-mode context, from RIP to CR4. */
function regsLines(k: Kernel, r: Registers): string[] {
  const g = r.gpr.map(hex16);
  const rip = k.symbolize(r.rip) ?? `0x${BigInt.asUintN(64, r.rip).toString(16)}`;
  return [
    `RIP: 0010:${rip}`,
    codeLine(k, r.rip),
    `RSP: 0018:${hex16(r.rsp)} EFLAGS: ${BigInt.asUintN(32, r.rflags).toString(16).padStart(8, '0')}`,
    `RAX: ${g[0]} RBX: ${g[3]} RCX: ${g[1]}`,
    `RDX: ${g[2]} RSI: ${g[6]} RDI: ${g[7]}`,
    `RBP: ${g[5]} R08: ${g[8]} R09: ${g[9]}`,
    `R10: ${g[10]} R11: ${g[11]} R12: ${g[12]}`,
    `R13: ${g[13]} R14: ${g[14]} R15: ${g[15]}`,
    `FS:  0000000000000000(0000) GS:${hex16(k.cpu.gsBase)}(0000) knlGS:0000000000000000`,
    'CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033',
    `CR2: ${hex16(k.oopses.cr2)} CR3: 000000000263c000 CR4: 00000000000006f0`,
  ];
}

function callTrace(k: Kernel, addrs: readonly bigint[], who: Who, lead: readonly string[] = []): string[] {
  const out = ['Call Trace:', ' <TASK>', ...lead.map((l) => ` ${l}`)];
  for (const a of addrs.slice(0, 128)) {
    const s = k.symbolize(a);
    if (s) out.push(` ${s}`);
  }
  for (const f of who.frames ?? []) out.push(` ${f}`);
  out.push(' </TASK>');
  return out;
}

/** __warn(): the WARNING report of a WARN site; the caller printed "cut here" (or not). */
export function reportWarning(k: Kernel, f: CpuFault, who: Who, where: string, taint: number): void {
  const emit = (s: string) => k.log.emit(4, s);
  const sym = k.symbolize(f.regs.rip) ?? `0x${f.regs.rip.toString(16)}`;
  emit(`WARNING: CPU: 0 PID: ${who.pid} at ${where} ${sym}`);
  emit(modulesLinkedIn(k));
  for (const l of headerLines(k, who)) emit(l);
  for (const l of regsLines(k, f.regs)) emit(l);
  for (const l of callTrace(k, f.backtrace, who)) emit(l);
  emit(END_TRACE);
  k.addTaint(taint, false);
}

/** Turn a CpuFault, panic or lock-up raised inside a call into the kernel's report. */
export function reportFault(k: Kernel, e: unknown, who: Who): void {
  const st = k.oopses;
  const emit = (lvl: number, s: string) => k.log.emit(lvl, s);
  if (e instanceof HungTask) {
    emit(3, `INFO: task ${who.comm}:${who.pid} blocked for more than 120 seconds.`);
    emit(3, `      ${globalTaintString(k.taint)} ${dumpStackUname(k.identity)}`);
    emit(3, '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.');
    emit(6, `task:${who.comm.padEnd(15)} state:D stack:0     pid:${String(who.pid).padEnd(5)} ppid:1      flags:0x00004000`);
    for (const l of callTrace(k, [], who, e.lead)) emit(4, l);
    emit(4, `modfs: ${e.message}`);
    return;
  }
  if (e instanceof SoftLockup) {
    emit(0, `watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [${who.comm}:${who.pid}]`);
    emit(4, modulesLinkedIn(k));
    for (const l of headerLines(k, who)) emit(4, l);
    for (const l of callTrace(k, [], who, e.lead)) emit(4, l);
    emit(4, `modfs: ${e.message}`);
    k.addTaint(TAINT_SOFTLOCKUP, false);
    return;
  }
  if (!(e instanceof CpuFault)) {
    const msg = e instanceof KernelPanic ? e.message : `modfs internal error: ${(e as Error)?.message ?? e}`;
    emit(0, `Kernel panic - not syncing: ${msg}`);
    for (const l of headerLines(k, who)) emit(4, l);
    const lead = e instanceof KernelPanic ? e.lead : [];
    for (const l of callTrace(k, [], who, ['dump_stack_lvl+0x44/0x5c', 'panic+0x118/0x2f4', ...lead])) emit(4, l);
    emit(0, `---[ end Kernel panic - not syncing: ${msg} ]---`);
    k.addTaint(TAINT.DIE, false);
    return;
  }
  const r = e.regs;
  if (e.kind === 'budget') {
    emit(0, `watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [${who.comm}:${who.pid}]`);
    emit(4, modulesLinkedIn(k));
    for (const l of headerLines(k, who)) emit(4, l);
    for (const l of regsLines(k, r)) emit(4, l);
    for (const l of callTrace(k, e.backtrace, who)) emit(4, l);
    k.addTaint(TAINT_SOFTLOCKUP, false);
    return;
  }
  let head: string;
  let code = 0;
  if (e.kind === 'page-fault' || e.kind === 'stack-overflow') {
    const addr = BigInt.asUintN(64, e.detail.addr ?? 0n);
    code = (e.detail.write ? 2 : 0) | (e.detail.fetch ? 0x10 : 0);
    st.cr2 = addr;
    if (e.kind === 'stack-overflow') {
      // Stacks are THREAD_SIZE-aligned with the guard page right below; %p hashes the pointers.
      const base = (addr + 0x1000n) & ~0x3fffn;
      const p = (v: bigint) => hashPointer(v).toString(16).padStart(16, '0');
      emit(0, `BUG: TASK stack guard page was hit at ${p(addr)} (stack is ${p(base)}..${p(base + 0x3fffn)})`);
      head = `stack guard page: 0000`;
    } else {
      if (addr < 4096n) emit(1, `BUG: kernel NULL pointer dereference, address: ${hex16(addr)}`);
      else emit(1, `BUG: unable to handle page fault for address: ${hex16(addr)}`);
      emit(1, `#PF: supervisor ${e.detail.fetch ? 'instruction fetch' : e.detail.write ? 'write access' : 'read access'} in kernel mode`);
      emit(1, `#PF: error_code(0x${code.toString(16).padStart(4, '0')}) - not-present page`);
      emit(6, 'PGD 0 P4D 0 ');
      head = `Oops: ${code.toString(16).padStart(4, '0')}`;
    }
  } else if (e.kind === 'ud2' || e.kind === 'invalid-opcode') {
    const bug = e.kind === 'ud2' ? k.bugs.at(r.rip) : undefined;
    if (bug) {
      emit(4, CUT_HERE);
      emit(0, `kernel BUG at ${bug}!`);
    }
    head = 'invalid opcode: 0000';
  } else if (e.kind === 'divide-error') {
    head = 'divide error: 0000';
  } else if (e.kind === 'int3') {
    head = 'int3: 0000';
  } else {
    const a = e.detail.addr;
    head = a !== undefined ? `general protection fault, probably for non-canonical address 0x${hex16(a)}: 0000` : 'general protection fault: 0000';
  }
  st.count++;
  emit(4, `${head} [#${st.count}] ${oopsFlags(k)}`);
  for (const l of headerLines(k, who)) emit(4, l);
  const regs = regsLines(k, r);
  for (const l of regs) emit(4, l);
  for (const l of callTrace(k, e.backtrace, who)) emit(4, l);
  emit(4, modulesLinkedIn(k));
  if (e.kind === 'page-fault') emit(4, `CR2: ${hex16(e.detail.addr ?? 0n)}`);
  emit(4, END_TRACE);
  // oops_end's summary of the registers, repeated after the trace.
  for (const l of regs) emit(4, l);
  k.addTaint(TAINT.DIE, false);
  if (e.kind === 'stack-overflow') {
    // The guard page is hit inside the double-fault handler, and an oops there is fatal: the real
    // machine stops here. modfs prints the panic and carries on.
    emit(0, 'Kernel panic - not syncing: Fatal exception in interrupt');
    emit(0, '---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---');
  }
}

const TAINT_SOFTLOCKUP = 14;

/** dump_stack(): the banner and the caller's frames. */
export function dumpStack(k: Kernel, who: Who, frames: string[]): void {
  for (const l of headerLines(k, who)) k.log.emit(4, l);
  k.log.emit(4, 'Call Trace:');
  k.log.emit(4, ' <TASK>');
  for (const f of frames) k.log.emit(4, ` ${f}`);
  for (const f of who.frames ?? []) k.log.emit(4, ` ${f}`);
  k.log.emit(4, ' </TASK>');
}
