// Turning whatever a handler produced into the errno of a FUSE answer. A request must always be
// answered (the caller sleeps until it is), so every failure funnels here: an FsError keeps its
// number, anything else is a bug in the daemon and answers EIO, logged.

import { constants } from 'node:os';
import { FsError } from '../vfs/node.js';

export const E = constants.errno;

/** Positive errno for a thrown value. The kernel refuses answers outside 1..511. */
export function errnoOf(err: unknown, where: string): number {
  if (err instanceof FsError && Number.isInteger(err.errno) && err.errno > 0 && err.errno < 512) return err.errno;
  process.stderr.write(`modfs fuse: ${where}: ${err instanceof Error ? err.stack : String(err)}\n`);
  return E.EIO;
}
