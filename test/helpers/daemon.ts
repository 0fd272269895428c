// Running a FUSE daemon in a child process for tests. The test process must never touch a mount
// it serves itself (the FUSE thread would wait on the JavaScript thread forever), so the daemon
// always lives in another process; this waits until its mount shows up in the mount table.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DaemonOptions {
  /** Where to mount; default a fresh directory under the system temp dir. */
  mountDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for the mount (default 15 s). */
  timeoutMs?: number;
  /** Program to run; default node (process.execPath). */
  command?: string;
}

export interface Daemon {
  mountDir: string;
  proc: ChildProcess;
  /** Everything the daemon wrote so far. */
  output(): { stdout: string; stderr: string };
  /** Send a signal (default SIGTERM) and wait for the exit; resolves to the exit code or signal. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  exited: Promise<number | string>;
}

/** Ids of the mounts at `dir` in this process's mount table. */
export function mountIdsAt(dir: string): number[] {
  const want = resolve(dir);
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length > 4 && f[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) === want)
    .map((f) => Number(f[0]));
}

const FUSE_SUPER_MAGIC = 0x65735546;

/**
 * A live FUSE mount answers at `dir`. Both halves matter: a dead mount fails readdir (ENOTCONN),
 * and once the new daemon has detached that dead mount, readdir succeeds on the bare directory
 * underneath until its own mount appears, which only statfs tells apart.
 */
async function answers(dir: string): Promise<boolean> {
  try {
    await readdir(dir);
    return (await statfs(dir)).type === FUSE_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Spawn `command args...` (default: node). Any argument equal to "{mount}" becomes the mount
 * directory; with none, the directory is appended. Resolves once a new mount appears there.
 */
export async function startDaemon(args: string[], opts: DaemonOptions = {}): Promise<Daemon> {
  const made = opts.mountDir === undefined;
  const mountDir = resolve(opts.mountDir ?? mkdtempSync(join(tmpdir(), 'modfs-mnt-')));
  const argv = args.includes('{mount}') ? args.map((a) => (a === '{mount}' ? mountDir : a)) : [...args, mountDir];
  const proc = spawn(opts.command ?? process.execPath, argv, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((res) => proc.on('exit', (code, sig) => res(code ?? sig ?? -1)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    // Only an empty, unmounted directory goes; a stale mount (kill -9) stays for the test to see.
    if (made) {
      try {
        rmdirSync(mountDir);
      } catch {
        /* busy or not empty */
      }
    }
  });

  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    // Answering, then mounted: a stale mount left by a killed daemon (same dir, and possibly the
    // same recycled mount id) fails readdir with ENOTCONN until the new daemon replaces it.
    if ((await answers(mountDir)) && mountIdsAt(mountDir).length > 0) break;
    if (gone) throw new Error(`daemon exited before mounting:\n${stderr}${stdout}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`daemon did not mount ${mountDir} in time:\n${stderr}${stdout}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  return {
    mountDir,
    proc,
    exited,
    output: () => ({ stdout, stderr }),
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
      if (!gone) proc.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const res = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (res === 'timeout') proc.kill('SIGKILL');
      return res;
    },
  };
}
