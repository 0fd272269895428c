// Small synchronous readers of /proc used to learn who is blocked on the mount.
// fuse-native never tells handlers the requester's pid or uid (libfuse's fuse_get_context only
// works on the FUSE thread), but the requester is asleep inside a system call on our files, and
// /proc shows that system call and its arguments. Every read here is of procfs, never of the
// mount, so doing it synchronously from the serving process cannot deadlock.

import { closeSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';

/** Thread ids of every task we can see (threads matter: Node does file I/O on worker threads). */
const scratch = Buffer.alloc(8192);

/** A small /proc file in three system calls (readFileSync costs several more, per task). */
function readSmall(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, scratch, 0, scratch.length, null);
    return scratch.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

export function allTids(): number[] {
  const out: number[] = [];
  for (const name of safe(() => readdirSync('/proc'), [] as string[])) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    for (const t of safe(() => readdirSync(`/proc/${name}/task`), [] as string[])) out.push(Number(t));
  }
  return out;
}

export interface Syscall {
  nr: number;
  args: number[];
}

/** The system call a sleeping task is in, from /proc/TID/syscall; undefined if running or hidden. */
export function syscallOf(tid: number): Syscall | undefined {
  const text = safe(() => readSmall(`/proc/${tid}/syscall`), '');
  const parts = text.trim().split(' ');
  const nr = Number(parts[0]);
  if (parts.length < 7 || !Number.isInteger(nr) || nr < 0) return undefined;
  // Arguments are printed in hex; user pointers fit in a double (47 bits).
  return { nr, args: parts.slice(1, 7).map((a) => Number(BigInt.asIntN(64, BigInt(a)))) };
}

/** A NUL-terminated string from the task's memory (needs ptrace access: root or same uid). */
export function readCString(tid: number, addr: number, max = 4096): string | undefined {
  let fd = -1;
  try {
    fd = openSync(`/proc/${tid}/mem`, 'r');
    const buf = Buffer.alloc(max);
    // Read in steps so a string near the end of a mapping does not fail the whole read.
    let got = 0;
    while (got < max) {
      const n = readSync(fd, buf, got, Math.min(256, max - got), addr + got);
      if (n <= 0) break;
      const nul = buf.indexOf(0, got);
      got += n;
      if (nul !== -1 && nul < got) return buf.toString('utf8', 0, nul);
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

export interface TaskStatus {
  tgid: number;
  fsuid: number;
  fsgid: number;
  /** A signal is queued and not blocked: the task wants to leave its system call. */
  signalPending: boolean;
}

export function statusOf(tid: number): TaskStatus | undefined {
  const text = safe(() => readSmall(`/proc/${tid}/status`), '');
  if (!text) return undefined;
  const field = (name: string): string => {
    const m = new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text);
    return m ? m[1] : '';
  };
  const ids = (name: string): number[] => field(name).split(/\s+/).map(Number);
  const mask = (name: string): bigint => BigInt('0x' + (field(name) || '0'));
  const pending = (mask('SigPnd') | mask('ShdPnd')) & ~mask('SigBlk');
  return {
    tgid: Number(field('Tgid')),
    fsuid: ids('Uid')[3] ?? -1,
    fsgid: ids('Gid')[3] ?? -1,
    signalPending: pending !== 0n,
  };
}

export function linkOf(path: string): string | undefined {
  return safe(() => readlinkSync(path), undefined);
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
