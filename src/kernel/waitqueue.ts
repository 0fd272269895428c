// Who is waiting on which wait queue. A wait_queue_head_t lives in module (or kernel) memory;
// what sleeps on it here is not a task but a callback of the file layer: a poll(2) that found
// nothing ready (vfs asks again once woken), or a read parked until the module's condition may
// have changed. __wake_up() on a head calls and forgets every callback waiting on it, the way a
// wake-up makes each sleeper run again and re-check its condition.
//
// poll_wait() is inline in module code: it calls pt->_qproc(file, head, pt). The poll table
// modfs passes has _qproc = __pollwait (api/waitqueue.ts), which records the head in the table's
// collection (collect/collected), so the caller learns which queues the file's poll uses.

export class WaitQueues {
  private readonly waiters = new Map<bigint, Set<() => void>>();
  private readonly tables = new Map<bigint, bigint[]>();
  /** Heads an interruptible wait of the running call wanted to sleep on (see sleepsOn). */
  private sleeps: bigint[] = [];

  /** Wait for the next wake-up of `head`; returns the function that stops waiting. */
  wait(head: bigint, cb: () => void): () => void {
    let set = this.waiters.get(head);
    if (!set) this.waiters.set(head, (set = new Set()));
    set.add(cb);
    return () => {
      const s = this.waiters.get(head);
      if (!s) return;
      s.delete(cb);
      if (!s.size) this.waiters.delete(head);
    };
  }

  /** Wait on every head in `heads` at once (the first wake-up ends all of them). */
  waitAny(heads: readonly bigint[], cb: () => void): () => void {
    const stops: Array<() => void> = [];
    const stop = () => {
      for (const s of stops.splice(0)) s();
    };
    for (const h of new Set(heads)) {
      stops.push(
        this.wait(h, () => {
          stop();
          cb();
        }),
      );
    }
    return stop;
  }

  /** __wake_up: every waiter of `head` runs once and stops waiting. */
  wake(head: bigint): number {
    const set = this.waiters.get(head);
    if (!set) return 0;
    this.waiters.delete(head);
    for (const cb of set) cb();
    return set.size;
  }

  /** Anyone waiting on `head` (waitqueue_active for the file layer's sleepers). */
  active(head: bigint): boolean {
    return (this.waiters.get(head)?.size ?? 0) > 0;
  }

  /** Run `f` with the poll table at `pt` recording the heads its poll_wait() calls name. */
  collect<T>(pt: bigint, f: () => T): { result: T; heads: bigint[] } {
    const heads: bigint[] = [];
    this.tables.set(pt, heads);
    try {
      return { result: f(), heads };
    } finally {
      this.tables.delete(pt);
    }
  }

  /** prepare_to_wait_event in an interruptible state: the running call would sleep on `head`. */
  blocked(head: bigint): void {
    this.sleeps.push(head);
  }

  /**
   * Run a call into module code; `heads` are the queues it wanted to sleep on (its result is
   * then -ERESTARTSYS, and the caller may wait on them and make the call again).
   */
  sleepsOn<T>(f: () => T): { ok: true; result: T; heads: bigint[] } | { ok: false; error: unknown; heads: bigint[] } {
    const outer = this.sleeps;
    const heads: bigint[] = [];
    this.sleeps = heads;
    try {
      return { ok: true, result: f(), heads };
    } catch (error) {
      return { ok: false, error, heads };
    } finally {
      this.sleeps = outer;
    }
  }

  /** __pollwait: the poll table `pt` met `head` (ignored outside collect). */
  record(pt: bigint, head: bigint): void {
    this.tables.get(pt)?.push(head);
  }
}
