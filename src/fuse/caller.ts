// Who opened a file: found by looking for the task asleep in open(2) on it.
//
// fuse-native hides the FUSE request header (pid, uid, gid), so when a node needs the caller
// (the kernel hides addresses from non-root readers, deciding at open time) we scan tasks for one
// blocked in open/openat/openat2/creat whose path argument, read from /proc/TID/mem and resolved
// against its cwd, dirfd or root, names the file being opened. Its fsuid/fsgid (what the kernel
// checks) come from /proc/TID/status. If several tasks match and they disagree, the least
// privileged wins: hiding an address from root is harmless, showing one to a user is not.
// Nothing found (no root to read /proc/TID/mem, an open issued by io_uring, ...) gives uid -1.

import { basename, join, resolve } from 'node:path';
import type { Caller } from '../vfs/node.js';
import { allTids, linkOf, readCString, statusOf, syscallOf } from './procscan.js';

export const UNKNOWN_CALLER: Caller = Object.freeze({ uid: -1, gid: -1, pid: -1 });

const SYS_OPEN = 2;
const SYS_CREAT = 85;
const SYS_OPENAT = 257;
const SYS_OPENAT2 = 437;
const AT_FDCWD = -100;

/** Absolute path (in our mount namespace) that a sleeping open names, or undefined. */
function openTarget(tid: number): string | undefined {
  const sc = syscallOf(tid);
  if (!sc) return undefined;
  let dirfd: number;
  let ptr: number;
  if (sc.nr === SYS_OPEN || sc.nr === SYS_CREAT) {
    dirfd = AT_FDCWD;
    ptr = sc.args[0];
  } else if (sc.nr === SYS_OPENAT || sc.nr === SYS_OPENAT2) {
    dirfd = Number(BigInt.asIntN(32, BigInt(sc.args[0])));
    ptr = sc.args[1];
  } else {
    return undefined;
  }
  const name = readCString(tid, ptr);
  if (name === undefined) return undefined;
  if (name.startsWith('/')) return join(linkOf(`/proc/${tid}/root`) ?? '/', name);
  const base = dirfd === AT_FDCWD ? linkOf(`/proc/${tid}/cwd`) : linkOf(`/proc/${tid}/fd/${dirfd}`);
  return base === undefined ? undefined : resolve(base, name);
}

/**
 * The caller of an open of `fusePath` under `mountpoint`, or UNKNOWN_CALLER.
 * Costs one small /proc read per task on the machine, so serve.ts calls it only for paths that ask.
 */
export function findOpener(mountpoint: string, fusePath: string): Caller {
  const want = join(mountpoint, fusePath);
  const wantBase = basename(fusePath);
  let best = 0;
  let found: Caller[] = [];
  for (const tid of allTids()) {
    const target = openTarget(tid);
    if (target === undefined) continue;
    // Exact path beats a name match (a path through a symlink, or from another mount namespace).
    const rank = target === want ? 2 : basename(target) === wantBase ? 1 : 0;
    if (rank === 0 || rank < best) continue;
    const st = statusOf(tid);
    if (!st) continue;
    if (rank > best) found = [];
    best = rank;
    found.push({ uid: st.fsuid, gid: st.fsgid, pid: st.tgid });
  }
  if (found.length === 0) return UNKNOWN_CALLER;
  return found.find((c) => c.uid !== 0) ?? found[0];
}
