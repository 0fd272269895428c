// Turning whatever a handler produced into the negative errno fuse-native expects.
// fuse-native kills the daemon if a callback gets a non-number, so every failure funnels here.

import { constants } from 'node:os';
import { FsError } from '../vfs/node.js';

export const E = constants.errno;

/** Negative errno for a thrown value. FsError keeps its number; anything else is a bug: EIO. */
export function errnoOf(err: unknown, where: string): number {
  if (err instanceof FsError && Number.isInteger(err.errno) && err.errno > 0 && err.errno < 4096) {
    return -err.errno;
  }
  // Node's own fs errors (from helpers that touch /proc) carry a negative errno already.
  const sys = (err as { errno?: unknown } | null)?.errno;
  if (!(err instanceof FsError) && typeof sys === 'number' && sys < 0 && sys > -4096) return sys;
  process.stderr.write(`modfs fuse: ${where}: ${err instanceof Error ? err.stack : String(err)}\n`);
  return -E.EIO;
}
