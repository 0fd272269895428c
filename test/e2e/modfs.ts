// A real modfs daemon for end-to-end tests: `node bin/modfs.js mount DIR` in a child process
// (the test process must never serve a mount it touches), plus shorthands for the commands a
// tutorial reader types.
import { resolve } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { spawnSync } from 'node:child_process';
import type { RunResult } from '../helpers/shell.js';

/** bash, as the tutorials' readers use: its error messages carry the errno text (dash's echo does not). */
function bash(cmd: string, opts: { user?: string } = {}): RunResult {
  const argv = opts.user ? ['runuser', '-u', opts.user, '--', 'bash', '-c', cmd] : ['bash', '-c', cmd];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export const ROOT = resolve(__dirname, '../..');
export const KO = resolve(ROOT, 'examples/ko');
const BIN = resolve(ROOT, 'bin/modfs.js');

export interface Modfs {
  dir: string;
  daemon: Daemon;
  /** sh -c with $M (the mount) and $KO set, and modfs' CLI reachable as `modfs`. */
  sh(cmd: string, opts?: { user?: string }): RunResult;
  modfs(args: string): RunResult;
  read(path: string): string;
  /** New kernel log lines since the last call (dmesg -c), without timestamps. */
  dmesg(): string[];
  stop(): Promise<void>;
}

export interface ModfsOptions {
  /** Extra arguments to `modfs mount` (e.g. --kernel DIR). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startModfs(opts: ModfsOptions = {}): Promise<Modfs> {
  const daemon = await startDaemon([BIN, 'mount', '{mount}', ...(opts.args ?? [])], { env: opts.env });
  const dir = daemon.mountDir;
  const env = `M='${dir}' KO='${KO}' MODFS_MOUNT='${dir}'`;
  const m: Modfs = {
    dir,
    daemon,
    sh: (cmd, opts) => bash(`export ${env}; modfs() { node '${BIN}' "$@"; }; ${cmd}`, opts),
    modfs: (args) => m.sh(`modfs ${args}`),
    read: (p) => {
      const r = m.sh(`cat "$M/${p}"`);
      if (r.code !== 0) throw new Error(`cat ${p}: ${r.stderr}`);
      return r.stdout;
    },
    dmesg: () => {
      const r = m.modfs('dmesg -c');
      return r.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.replace(/^\[\s*\d+\.\d{6}\] /, ''));
    },
    stop: async () => {
      await daemon.stop();
    },
  };
  return m;
}
