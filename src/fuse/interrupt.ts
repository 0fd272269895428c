// Answering reads whose reader has gone away.
//
// fuse-native has no interrupt support: libfuse's high-level API relays FUSE_INTERRUPT only as a
// signal to the worker thread (option "intr"), and fuse-native's worker ignores it while it
// waits for JavaScript. Meanwhile the kernel keeps a reader that was sent a signal (even SIGKILL,
// e.g. Ctrl-C on `cat /dev/kmsg`) asleep until the request is answered. So a read that stays
// pending is watched: we find the task asleep in read(2) on that file and, once it has a signal
// queued or has vanished, call the handle's abort() and answer EINTR. The task then dies or runs
// its handler; gnulib-based tools retry EINTR, like the kernel's own restart would.

import { basename, join } from 'node:path';
import { allTids, linkOf, statusOf, syscallOf } from './procscan.js';

const READ_SYSCALLS = new Set([0 /* read */, 17 /* pread64 */, 19 /* readv */, 295 /* preadv */, 327 /* preadv2 */]);

interface Pending {
  path: string;
  since: number;
  tid?: number;
  interrupt(): void;
}

export class ReadWatcher {
  private readonly pending = new Set<Pending>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly mountpoint: string,
    private readonly intervalMs = 200,
  ) {}

  /** Watch a read until the returned function is called; `interrupt` runs at most once. */
  track(path: string, interrupt: () => void): () => void {
    const p: Pending = { path, since: Date.now(), interrupt };
    this.pending.add(p);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
    return () => this.forget(p);
  }

  get size(): number {
    return this.pending.size;
  }

  private forget(p: Pending): void {
    this.pending.delete(p);
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const now = Date.now();
    const old = [...this.pending].filter((p) => now - p.since >= this.intervalMs);
    if (old.some((p) => p.tid === undefined)) this.assign(old);
    for (const p of old) {
      if (p.tid === undefined) continue;
      const st = statusOf(p.tid);
      // Gone, or a signal is queued: the reader wants out, and nothing else will wake it.
      if (!st || st.signalPending) {
        this.forget(p);
        p.interrupt();
      }
    }
  }

  /** Pair reads not yet tied to a task with tasks asleep reading the same file. */
  private assign(old: Pending[]): void {
    const taken = new Set([...this.pending].map((p) => p.tid).filter((t) => t !== undefined));
    const readers = new Map<string, number[]>();
    for (const tid of allTids()) {
      if (taken.has(tid)) continue;
      const sc = syscallOf(tid);
      if (!sc || !READ_SYSCALLS.has(sc.nr)) continue;
      const target = linkOf(`/proc/${tid}/fd/${sc.args[0]}`);
      if (!target) continue;
      const list = readers.get(target) ?? [];
      list.push(tid);
      readers.set(target, list);
    }
    // Oldest read first; ties between two readers of one file are settled arbitrarily (a wrong
    // pairing costs a live reader one EINTR, and the dead one is freed on a later tick).
    for (const p of old.sort((a, b) => a.since - b.since)) {
      if (p.tid !== undefined) continue;
      const full = join(this.mountpoint, p.path);
      let list = readers.get(full);
      if (!list?.length) {
        const name = basename(p.path);
        list = [...readers.entries()].find(([k, v]) => v.length && basename(k) === name)?.[1];
      }
      const tid = list?.shift();
      if (tid !== undefined) p.tid = tid;
    }
  }
}
