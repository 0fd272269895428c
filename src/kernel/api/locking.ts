// Mutexes, spinlocks, rwlocks and semaphores with one CPU's semantics, kept in the lock's own memory
// (the fields inline helpers such as mutex_is_locked()/spin_is_locked() and sema_init() use):
//  - struct mutex: `owner` (the owning task_struct) at offset 0;
//  - spinlock_t / raw_spinlock_t: the 32-bit qspinlock word at 0 (1 while held);
//  - rwlock_t: the qrwlock count at 0 (+0x200 per reader, 0xff for a writer);
//  - struct semaphore: `count` at offset 4.
// A lock that can never be released is what a real kernel turns into a report, not a hang:
// spinning on a held spinlock or rwlock is a soft lockup ("watchdog: BUG: soft lockup"); sleeping
// on a held mutex or an exhausted semaphore is a task blocked forever ("INFO: task ... blocked for
// more than 120 seconds"). modfs prints that report at once and ends the call. On one CPU, with
// tasks that never wait for each other, a lock held by another (suspended) task is reported the
// same way: modfs cannot put the caller to sleep inside a trap.
import type { TrapContext } from '../../cpu/types.js';
import type { Kernel } from '../kernel.js';
import { HungTask, SoftLockup } from '../oops.js';

const QR_BIAS = 0x200;
const QW_LOCKED = 0xff;
const SEM_COUNT = 4n;
const ETIME = 62;
const IRQ_FLAGS = 0x246;

export function registerLockingApi(k: Kernel): void {
  const m = k.mem;
  const f = (name: string, h: (c: TrapContext) => bigint | number | boolean | void) => k.exports.func(name, h);
  const where = (c: TrapContext) => k.symbolize(c.returnAddress) ?? `0x${c.returnAddress.toString(16)}`;
  const spinForever = (c: TrapContext, what: string, l: bigint): never => {
    throw new SoftLockup(`${what} ${hex(l)} is already held; ${where(c)} would spin forever`, [what, where(c)]);
  };
  const sleepForever = (c: TrapContext, what: string, l: bigint): never => {
    throw new HungTask(`${what} ${hex(l)} can never be acquired by ${where(c)}`, [what, where(c)]);
  };

  // mutex
  f('__mutex_init', (c) => m.writeU64(c.arg(0), 0n));
  const mutexLock = (c: TrapContext): number => {
    const l = c.arg(0);
    if (m.readU64(l) !== 0n) sleepForever(c, 'mutex_lock', l);
    m.writeU64(l, k.sched.current.struct);
    return 0;
  };
  for (const n of ['mutex_lock', 'mutex_lock_interruptible', 'mutex_lock_killable', 'mutex_lock_io']) f(n, mutexLock);
  f('mutex_trylock', (c) => {
    if (m.readU64(c.arg(0)) !== 0n) return 0;
    m.writeU64(c.arg(0), k.sched.current.struct);
    return 1;
  });
  f('mutex_unlock', (c) => m.writeU64(c.arg(0), 0n));
  f('mutex_is_locked', (c) => m.readU64(c.arg(0)) !== 0n);

  // spinlocks
  f('__raw_spin_lock_init', (c) => m.writeU32(c.arg(0), 0));
  const spinLock = (c: TrapContext): void => {
    const l = c.arg(0);
    if (m.readU32(l) !== 0) spinForever(c, '_raw_spin_lock', l);
    m.writeU32(l, 1);
  };
  const spinUnlock = (c: TrapContext): void => m.writeU32(c.arg(0), 0);
  for (const n of ['_raw_spin_lock', '_raw_spin_lock_irq', '_raw_spin_lock_bh']) f(n, spinLock);
  f('_raw_spin_lock_irqsave', (c) => (spinLock(c), IRQ_FLAGS));
  for (const n of ['_raw_spin_unlock', '_raw_spin_unlock_irq', '_raw_spin_unlock_bh', '_raw_spin_unlock_irqrestore']) f(n, spinUnlock);
  const spinTry = (c: TrapContext): number => (m.readU32(c.arg(0)) !== 0 ? 0 : (m.writeU32(c.arg(0), 1), 1));
  f('_raw_spin_trylock', spinTry);
  f('_raw_spin_trylock_bh', spinTry);

  // rwlocks
  f('__rwlock_init', (c) => m.writeU64(c.arg(0), 0n));
  const readLock = (c: TrapContext): void => {
    const l = c.arg(0);
    const v = m.readU32(l);
    if (v & QW_LOCKED) spinForever(c, '_raw_read_lock', l);
    m.writeU32(l, v + QR_BIAS);
  };
  const readUnlock = (c: TrapContext): void => m.writeU32(c.arg(0), Math.max(0, m.readU32(c.arg(0)) - QR_BIAS));
  const writeLock = (c: TrapContext): void => {
    const l = c.arg(0);
    if (m.readU32(l) !== 0) spinForever(c, '_raw_write_lock', l);
    m.writeU32(l, QW_LOCKED);
  };
  const writeUnlock = (c: TrapContext): void => m.writeU32(c.arg(0), m.readU32(c.arg(0)) & ~QW_LOCKED);
  for (const n of ['_raw_read_lock', '_raw_read_lock_irq', '_raw_read_lock_bh']) f(n, readLock);
  f('_raw_read_lock_irqsave', (c) => (readLock(c), IRQ_FLAGS));
  for (const n of ['_raw_read_unlock', '_raw_read_unlock_irq', '_raw_read_unlock_bh', '_raw_read_unlock_irqrestore']) f(n, readUnlock);
  for (const n of ['_raw_write_lock', '_raw_write_lock_irq', '_raw_write_lock_bh']) f(n, writeLock);
  f('_raw_write_lock_irqsave', (c) => (writeLock(c), IRQ_FLAGS));
  for (const n of ['_raw_write_unlock', '_raw_write_unlock_irq', '_raw_write_unlock_bh', '_raw_write_unlock_irqrestore']) f(n, writeUnlock);
  f('_raw_read_trylock', (c) => {
    const v = m.readU32(c.arg(0));
    if (v & QW_LOCKED) return 0;
    m.writeU32(c.arg(0), v + QR_BIAS);
    return 1;
  });
  f('_raw_write_trylock', (c) => (m.readU32(c.arg(0)) !== 0 ? 0 : (m.writeU32(c.arg(0), QW_LOCKED), 1)));

  // semaphores (sema_init is inline: it stores count itself)
  const count = (c: TrapContext) => m.readU32(c.arg(0) + SEM_COUNT);
  const setCount = (c: TrapContext, v: number) => m.writeU32(c.arg(0) + SEM_COUNT, v);
  const down = (c: TrapContext): number => {
    const n = count(c);
    if (n === 0) sleepForever(c, 'down', c.arg(0));
    setCount(c, n - 1);
    return 0;
  };
  for (const n of ['down', 'down_interruptible', 'down_killable']) f(n, down);
  f('down_trylock', (c) => {
    const n = count(c);
    if (n === 0) return 1;
    setCount(c, n - 1);
    return 0;
  });
  f('down_timeout', (c) => {
    const n = count(c);
    if (n === 0) return -ETIME;
    setCount(c, n - 1);
    return 0;
  });
  f('up', (c) => setCount(c, count(c) + 1));
}

function hex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}
