// A real mount and real `modfs shell -c` runs for the shell tests: the daemon in a child
// process (helpers/daemon.ts), the shell started as `node bin/modfs.js shell`, as root or, through
// runuser, as a real unprivileged user. Each run gets its own XDG_DATA_HOME, so the /lib/modules
// it binds is a fresh directory of the user's and the tests never touch the host's.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { ensureUser, type RunResult } from '../helpers/shell.js';

export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'bin/modfs.js');
export const KO = join(ROOT, 'examples/ko');

export interface ShellOptions {
  /** Run the shell as this user (runuser -u), else as root. */
  user?: string;
  /** XDG_DATA_HOME for the run (default: a fresh one, removed afterwards). */
  dataHome?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
  /** argv after `modfs` instead of `shell -m DIR -c CMD` (then cmd is unused). */
  argv?: string[];
}

export interface ShellMount {
  dir: string;
  daemon: Daemon;
  /** `modfs shell -m DIR -c cmd`, to completion. */
  sh(cmd: string, opts?: ShellOptions): RunResult & { signal: string | null };
  stop(): Promise<void>;
}

const made: string[] = [];

/** Removes every directory scratch() made (each test file's afterAll). */
export function removeScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh directory owned by `user` (root when absent), for XDG_DATA_HOME or scratch files. */
export function scratch(user?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'modfs-shell-test-'));
  made.push(d);
  if (user) {
    const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
    chownSync(d, uid, gid);
  }
  return d;
}

export function nonRootUser(): string {
  return ensureUser('modfs-test');
}

export async function startShellMount(): Promise<ShellMount> {
  const daemon = await startDaemon([BIN, 'mount', '{mount}']);
  const dir = daemon.mountDir;
  return {
    dir,
    daemon,
    sh(cmd, opts = {}) {
      const data = opts.dataHome ?? scratch(opts.user);
      const env = { ...process.env, XDG_DATA_HOME: data, ...(opts.env ?? {}) };
      const modfsArgv = opts.argv ?? ['shell', '-m', dir, '-c', cmd];
      const argv = opts.user
        ? ['runuser', '-u', opts.user, '--', 'env', `XDG_DATA_HOME=${data}`, ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`), process.execPath, BIN, ...modfsArgv]
        : [process.execPath, BIN, ...modfsArgv];
      const r = spawnSync(argv[0]!, argv.slice(1), {
        cwd: opts.cwd ?? KO,
        env,
        encoding: 'utf8',
        input: opts.input ?? '',
        timeout: opts.timeoutMs ?? 120_000,
      });
      if (opts.dataHome === undefined) rmSync(data, { recursive: true, force: true });
      return { code: r.status ?? -1, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    async stop() {
      await daemon.stop();
    },
  };
}

/** The "#@root CMD" lines of an experiment: what root prepares before the user's part. */
export function rootSetup(experiment: string): string {
  return readFileSync(join(ROOT, 'experiments', `${experiment}.sh`), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#@root '))
    .map((l) => l.slice('#@root '.length))
    .join('\n');
}
