// Wait queues (kernel/sched/wait.c) and the poll table's queue procedure (fs/select.c).
//
// The wait_queue_head_t is the module's own memory (spinlock, then a list head that inline
// waitqueue_active() reads); entries that module code adds are linked into that list for real.
// The sleepers that __wake_up() wakes are the file layer's (kernel/waitqueue.ts): pollers that
// found nothing ready and reads parked in an interruptible wait.
//
// Sleeping itself: a call into module code runs to completion, so a task cannot sleep inside it.
// An interruptible wait (wait_event_interruptible, wait_event_killable) whose condition is false
// ends the call as a pending signal would: prepare_to_wait_event() answers -ERESTARTSYS, the
// module returns it, and the file layer parks the request until the queue is woken, then makes
// the call again (the kernel restarts a system call interrupted that way from the start too).
// An uninterruptible wait that reaches schedule() can never be woken by anyone while it runs:
// that is the hung-task report, as for a mutex that can never be taken (locking.ts).
import type { TrapContext } from '../../cpu/types.js';
import { ERESTARTSYS } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { HungTask } from '../oops.js';

/** TASK_INTERRUPTIBLE and TASK_WAKEKILL (include/linux/sched.h): states a signal ends. */
const TASK_INTERRUPTIBLE = 0x1;
const TASK_WAKEKILL = 0x100;

export function registerWaitqueueApi(k: Kernel): void {
  const m = k.mem;
  const f = k.identity.facts;
  const wq = k.waitQueues;
  const HEAD = BigInt(f['wait_queue_head.head']);
  const E_FLAGS = BigInt(f['wait_queue_entry.flags']);
  const E_PRIVATE = BigInt(f['wait_queue_entry.private']);
  const E_FUNC = BigInt(f['wait_queue_entry.func']);
  const E_ENTRY = BigInt(f['wait_queue_entry.entry']);

  const listInit = (l: bigint) => {
    m.writeU64(l, l);
    m.writeU64(l + 8n, l);
  };
  const listEmpty = (l: bigint) => m.readU64(l) === l;
  const listAdd = (n: bigint, head: bigint) => {
    const next = m.readU64(head);
    m.writeU64(next + 8n, n);
    m.writeU64(n, next);
    m.writeU64(n + 8n, head);
    m.writeU64(head, n);
  };
  const listAddTail = (n: bigint, head: bigint) => listAdd(n, m.readU64(head + 8n));
  const listDelInit = (n: bigint) => {
    const next = m.readU64(n);
    const prev = m.readU64(n + 8n);
    if (next === 0n || prev === 0n) return;
    m.writeU64(next + 8n, prev);
    m.writeU64(prev, next);
    listInit(n);
  };

  k.exports.func('__init_waitqueue_head', (c) => {
    m.writeU32(c.arg(0), 0);
    listInit(c.arg(0) + HEAD);
  });
  const wake = (c: TrapContext) => {
    wq.wake(c.arg(0));
  };
  for (const name of ['__wake_up', '__wake_up_sync_key', '__wake_up_locked', '__wake_up_locked_key', '__wake_up_sync']) k.exports.func(name, wake);

  k.exports.func('add_wait_queue', (c) => listAdd(c.arg(1) + E_ENTRY, c.arg(0) + HEAD));
  k.exports.func('add_wait_queue_exclusive', (c) => listAddTail(c.arg(1) + E_ENTRY, c.arg(0) + HEAD));
  k.exports.func('remove_wait_queue', (c) => listDelInit(c.arg(1) + E_ENTRY));

  // The wake functions a wait entry may name: running them is waking its task (nothing to do
  // for a task that is not asleep); 1 = "woken".
  k.exports.func('autoremove_wake_function', (c) => {
    listDelInit(c.arg(0) + E_ENTRY);
    return 1;
  });
  k.exports.func('default_wake_function', () => 1);
  k.exports.func('woken_wake_function', () => 1);

  k.exports.func('init_wait_entry', (c) => {
    const e = c.arg(0);
    m.writeU32(e + E_FLAGS, Number(c.arg(1) & 0xffffffffn));
    m.writeU64(e + E_PRIVATE, k.sched.current.struct);
    m.writeU64(e + E_FUNC, k.exports.addressOf('autoremove_wake_function'));
    listInit(e + E_ENTRY);
  });

  /** The uninterruptible wait prepared by the running call, for schedule() to report. */
  let preparedUninterruptible: bigint | undefined;
  const prepare = (c: TrapContext): number => {
    const head = c.arg(0);
    const e = c.arg(1) + E_ENTRY;
    const state = Number(c.arg(2) & 0xffffffffn);
    if (listEmpty(e)) listAdd(e, head + HEAD);
    if (state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) {
      // The file layer sleeps for the task: remember the queue, and end the wait as a signal.
      wq.blocked(head);
      return -ERESTARTSYS;
    }
    preparedUninterruptible = head;
    return 0;
  };
  k.exports.func('prepare_to_wait_event', prepare);
  k.exports.func('prepare_to_wait', (c) => {
    prepare(c);
  });
  k.exports.func('prepare_to_wait_exclusive', (c) => {
    prepare(c);
    return true;
  });
  k.exports.func('finish_wait', (c) => {
    preparedUninterruptible = undefined;
    listDelInit(c.arg(1) + E_ENTRY);
  });
  const where = (c: TrapContext) => k.symbolize(c.returnAddress) ?? `0x${c.returnAddress.toString(16)}`;
  k.exports.func('schedule', (c) => {
    const head = preparedUninterruptible;
    if (head === undefined) return;
    preparedUninterruptible = undefined;
    throw new HungTask(`${where(c)} sleeps uninterruptibly on wait queue 0x${head.toString(16)}, which nothing can wake during the call`, ['schedule', where(c)]);
  });

  // might_sleep()/cond_resched() in wait_event*() call these static-call trampolines
  // (PREEMPT_DYNAMIC): one CPU that runs each call to completion has nothing else to run.
  for (const name of ['__SCT__might_resched', '__SCT__cond_resched']) if (!k.exports.has(name)) k.exports.func(name, () => 0);

  // poll_wait(): the queue procedure of the poll tables modfs hands to ->poll (fs/select.c's
  // __pollwait adds the poller to the queue; here the file layer learns the queue).
  k.exports.func('__pollwait', (c) => wq.record(c.arg(2), c.arg(1)), { hidden: true });
}
