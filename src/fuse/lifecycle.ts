// Mount lifecycle around serveFuse: a clean mountpoint before, a clean exit after.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DirNode } from '../vfs/node.js';
import { helperPath, inheritedDevice, isRoot, missingForUserMount, userMountOptions } from './mounter.js';
import { detach, serveFuse } from './serve.js';
import type { ServeOptions, Served } from './serve.js';

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount ids of everything mounted at `dir` (stacked mounts give several). */
export function mountIdsAt(dir: string, mountinfo = '/proc/self/mountinfo'): number[] {
  const want = resolve(dir);
  const ids: number[] = [];
  for (const line of readFileSync(mountinfo, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length > 4 && unescapeMountPath(f[4]) === want) ids.push(Number(f[0]));
  }
  return ids;
}

export function isMounted(dir: string): boolean {
  return mountIdsAt(dir).length > 0;
}

/**
 * Probe a directory, giving up after `ms` (a hung FUSE daemon makes it sleep forever). readdir,
 * not stat: the kernel answers stat from its attribute cache for a second after the daemon died.
 */
async function probeWithin(dir: string, ms: number): Promise<'ok' | 'dead' | 'hung' | 'missing'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const probe = readdir(dir).then(
    () => 'ok' as const,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? ('missing' as const) : ('dead' as const)),
  );
  try {
    return await Promise.race([probe, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Make `dir` ready to mount: create it if missing, and detach a mount left behind by a daemon
 * that died (stat fails with ENOTCONN, "Transport endpoint is not connected"). A live mount
 * there is an error: another daemon is serving it.
 */
export async function prepareMountpoint(dir: string): Promise<string> {
  const mnt = resolve(dir);
  for (let i = 0; i < 8; i++) {
    const state = await probeWithin(mnt, 2000);
    if (state === 'missing') {
      mkdirSync(mnt, { recursive: true });
      continue;
    }
    if (state === 'ok' && !isMounted(mnt)) return mnt;
    if (state === 'ok') throw new Error(`${mnt} is already mounted (is another modfs running?)`);
    if (state === 'hung') throw new Error(`${mnt} is mounted by a daemon that does not answer`);
    // Dead connection: detach it, then look again (mounts can be stacked).
    await detach(mnt);
  }
  if (!existsSync(mnt)) throw new Error(`cannot create ${mnt}`);
  throw new Error(`cannot clear stale mounts at ${mnt}`);
}

export interface RunOptions extends ServeOptions {
  /** How often to check that the parent still lives. Default 500 ms. */
  pollMs?: number;
  /** Exit the process when done (default true). */
  exit?: boolean;
  onReady?: (served: Served) => void;
}

/** How long an unmount may take before the daemon exits anyway (the exit aborts the connection). */
const UNMOUNT_GRACE_MS = 5000;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A non-root user: fusermount3 mounts, native/modfs-fusermount receives the descriptor and runs
 * this same command again with it inherited (see mounter.ts). This process waits for that one,
 * passes it the signals it gets, and exits as it does.
 */
async function runThroughHelper(mnt: string, opts: RunOptions): Promise<void> {
  const missing = missingForUserMount();
  if (missing.length) throw new Error(`mounting as a non-root user needs ${missing.join('; and ')}`);
  const args = [mnt, userMountOptions({ allowOther: opts.allowOther ?? false }), '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn(helperPath(), args, { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
  for (const s of STOP_SIGNALS) process.on(s, forward);
  const code = await new Promise<number>((res) => {
    child.on('error', (e) => (process.stderr.write(`modfs: ${e.message}\n`), res(1)));
    child.on('exit', (c, sig) => res(c ?? (sig ? 128 : 1)));
  });
  for (const s of STOP_SIGNALS) process.off(s, forward);
  if (opts.exit ?? true) process.exit(code);
}

/**
 * Mount `root` at `dir` and serve until SIGINT/SIGTERM/SIGHUP, an external unmount, or the
 * parent going away (`npx modfs mount` killed leaves its child orphaned: the reparenting shows in
 * getppid), then unmount and exit 0. The signal handlers go in before anything is mounted: a
 * signal that arrives while mounting still ends in a clean unmount.
 */
export async function serveUntilStopped(dir: string, root: DirNode, opts: RunOptions = {}): Promise<void> {
  const helped = inheritedDevice(dir) !== undefined;
  if (!isRoot() && !helped) {
    const mnt = await prepareMountpoint(dir);
    return runThroughHelper(mnt, opts);
  }
  let stopRequested = false;
  let stopNow: ((why: string) => void) | undefined;
  const onSignal = (): void => {
    stopRequested = true;
    stopNow?.('signal');
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const finish = (): void => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    if (opts.exit ?? true) process.exit(0);
  };

  // A helper-made mount is already live and ours: probing it from here would wait for ourselves.
  const mnt = helped ? resolve(dir) : await prepareMountpoint(dir);
  if (stopRequested) return finish();
  const parent = process.ppid;
  const served = await serveFuse(mnt, root, opts);
  opts.onReady?.(served);

  await new Promise<void>((done) => {
    let stopping = false;
    const poll = setInterval(() => {
      if (parent > 1 && process.ppid !== parent) stop('parent');
    }, opts.pollMs ?? 500);
    poll.unref();
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(poll);
      const late = setTimeout(() => {
        process.stderr.write(`modfs: unmount ${mnt} did not finish in ${UNMOUNT_GRACE_MS} ms; exiting anyway\n`);
        done();
      }, UNMOUNT_GRACE_MS);
      served.unmount().then(
        () => {
          clearTimeout(late);
          done();
        },
        (err: unknown) => {
          clearTimeout(late);
          // Already gone (external unmount) is fine; anything else is worth a line.
          if (why !== 'external') process.stderr.write(`modfs: unmount ${mnt}: ${String(err)}\n`);
          done();
        },
      );
    };
    stopNow = stop;
    void served.closed.then(() => stop('external'));
    if (stopRequested) stop('signal');
  });
  finish();
}
