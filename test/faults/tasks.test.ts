// Tasks (cpu/task.ts) and the ud2 hook, on hand-assembled code; and the lock reports of
// kernel/api/locking.ts through a Kernel, without a mount.
import { describe, expect, it } from 'vitest';
import { machine, DATA_BASE } from '../cpu/asm.js';
import { CpuFault } from '../../src/cpu/types.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { OopsError } from '../../src/kernel/api/sched.js';

const SRC = `
  sum:            # rdi = n: sum of 1..n, one register-heavy loop, leaves r12..r15 dirty
    push %r12
    xor %eax, %eax
    mov $7, %r12
  1: add %rdi, %rax
    imul $3, %r12
    dec %rdi
    jnz 1b
    pop %r12
    ret
  deep:           # rdi = n: recursion using the stack, returns n
    test %rdi, %rdi
    jz 2f
    push %rdi
    dec %rdi
    call deep
    pop %rdi
    inc %rax
    ret
  2: xor %eax, %eax
    ret
  warn:           # two ud2 sites; returns 5 if both are resumed
    mov $2, %eax
    ud2
    add $3, %eax
    ud2
    ret
`;

describe('cpu tasks', () => {
  it('run in slices, and calls made between slices leave the task intact', () => {
    const mc = machine(SRC);
    const t = mc.cpu.startTask(mc.sym('deep'), [800n], { budget: 10_000_000 });
    let slices = 0;
    while (!mc.cpu.stepTask(t, 1000)) {
      slices++;
      // A short synchronous call on the CPU's own stack between two slices.
      expect(mc.run('sum', [BigInt(slices % 50 + 1)])).toBe(BigInt(((slices % 50 + 1) * (slices % 50 + 2)) / 2));
    }
    expect(slices).toBeGreaterThan(5);
    expect(t.result).toBe(800n);
    mc.cpu.endTask(t);
  });

  it('two tasks interleave on their own stacks', () => {
    const mc = machine(SRC);
    const a = mc.cpu.startTask(mc.sym('deep'), [500n], { budget: 1_000_000 });
    const b = mc.cpu.startTask(mc.sym('sum'), [100000n], { budget: 1_000_000 });
    let da = false;
    let db = false;
    while (!(da && db)) {
      if (!da) da = mc.cpu.stepTask(a, 97);
      if (!db) db = mc.cpu.stepTask(b, 89);
    }
    expect(a.result).toBe(500n);
    expect(b.result).toBe(5000050000n);
  });

  it('runs out of budget across slices (the soft-lockup fault)', () => {
    const mc = machine(SRC);
    const t = mc.cpu.startTask(mc.sym('sum'), [1n << 40n], { budget: 50_000 });
    let err: unknown;
    try {
      while (!mc.cpu.stepTask(t, 7_000));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CpuFault);
    expect((err as CpuFault).kind).toBe('budget');
    expect(t.remaining).toBe(0);
  });

  it('resumes after a ud2 that onUd2 accepts (WARN), faults on one it refuses (BUG)', () => {
    const mc = machine(SRC);
    const seen: bigint[] = [];
    mc.cpu.onUd2 = (f) => {
      seen.push(f.regs.rip);
      return true;
    };
    expect(mc.run('warn')).toBe(5n);
    expect(seen).toEqual([mc.sym('warn') + 5n, mc.sym('warn') + 10n]);
    mc.cpu.onUd2 = () => false;
    expect(() => mc.run('warn')).toThrow(CpuFault);
    void DATA_BASE;
  });
});

const logText = (k: Kernel) => k.log.recordsFrom(0).map((r) => new TextDecoder('latin1').decode(r.text));

describe('locks that can never be taken are reported, not hung on', () => {
  const setup = () => {
    const k = new Kernel({ kaslrPages: 1 });
    const call = (name: string, arg: bigint) => k.callModule(k.exports.addressOf(name), [arg]);
    return { k, call, lock: k.kmalloc(64) };
  };

  it('a mutex taken twice: hung task', () => {
    const { k, call, lock } = setup();
    expect(call('mutex_lock', lock)).toBe(0n);
    expect(call('mutex_is_locked', lock)).toBe(1n);
    expect(call('mutex_trylock', lock)).toBe(0n);
    expect(() => call('mutex_lock', lock)).toThrow(OopsError);
    const log = logText(k);
    expect(log).toContain(`INFO: task modfs:${k.sched.daemon.pid} blocked for more than 120 seconds.`);
    call('mutex_unlock', lock);
    expect(call('mutex_is_locked', lock)).toBe(0n);
  });

  it('a spinlock or a write lock taken while held: soft lockup', () => {
    const { k, call, lock } = setup();
    call('_raw_spin_lock', lock);
    expect(() => call('_raw_spin_lock', lock)).toThrow(OopsError);
    expect(logText(k)).toContainEqual(expect.stringMatching(/^watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[modfs:\d+\]$/));
    const rw = lock + 16n;
    call('_raw_read_lock', rw);
    call('_raw_read_lock', rw);
    expect(k.mem.readU32(rw)).toBe(0x400);
    expect(() => call('_raw_write_lock', rw)).toThrow(OopsError);
    expect((k.taint >> 14) & 1).toBe(1);
  });

  it('semaphores count in struct semaphore', () => {
    const { k, call, lock: sem } = setup();
    k.mem.writeU32(sem + 4n, 1); // sema_init(sem, 1) is inline: count at offset 4
    expect(call('down', sem)).toBe(0n);
    expect(call('down_trylock', sem)).toBe(1n);
    expect(() => call('down', sem)).toThrow(OopsError);
    expect(logText(k)).toContainEqual(expect.stringMatching(/^INFO: task modfs:\d+ blocked for more than 120 seconds\.$/));
    call('up', sem);
    expect(call('down_trylock', sem)).toBe(0n);
  });
});
