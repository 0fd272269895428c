// Running real commands (cat, echo, vi, stat) against a mount from a test.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sh -c cmd` to completion. Safe only when this process does not serve the mount. */
export function sh(cmd: string, opts: { cwd?: string; user?: string; timeoutMs?: number } = {}): RunResult {
  const argv = opts.user ? ['runuser', '-u', opts.user, '--', 'sh', '-c', cmd] : ['sh', '-c', cmd];
  const r = spawnSync(argv[0], argv.slice(1), { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 20_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Start a command in the background, collecting its output. */
export function bg(cmd: string, opts: { cwd?: string } = {}): { proc: ChildProcess; out: () => string; done: Promise<number | string> } {
  const proc = spawn('sh', ['-c', `exec ${cmd}`], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | string>((r) => proc.on('exit', (c, s) => r(c ?? s ?? -1)));
  return { proc, out: () => out, done };
}

/** Make sure a system user exists (for non-root checks); returns its name. */
export function ensureUser(name = 'modfs-test'): string {
  if (sh(`id -u ${name}`).code !== 0) {
    const r = sh(`useradd -M -r -s /usr/sbin/nologin ${name}`);
    if (r.code !== 0 && sh(`id -u ${name}`).code !== 0) throw new Error(`useradd failed: ${r.stderr}`);
  }
  return name;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
