// Shared helpers for the bench/ scripts: paths, the modfs daemon and the C libfuse server in child
// processes (this process must never serve a mount it touches), and latency statistics.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmdirSync, symlinkSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const KO = join(REPO, 'examples/ko');
export const CACHE = join(REPO, 'node_modules', '.cache', 'modfs');
const BIN = join(REPO, 'bin/modfs.js');

/** Compile dist/ when it is missing (or BENCH_BUILD=1). */
export function ensureBuilt() {
  if (process.env.BENCH_BUILD === '1' || !existsSync(join(REPO, 'dist/cli/main.js'))) {
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}

function mounted(dir) {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
}

async function startMount(cmd, args, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'modfs-bench-'));
  const proc = spawn(cmd, [...args, dir], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', process.env.BENCH_QUIET ? 'ignore' : 'inherit'] });
  let exited = false;
  proc.on('exit', () => (exited = true));
  for (let i = 0; i < 750; i++) {
    if (exited) throw new Error(`${cmd} exited before mounting`);
    if (mounted(dir)) {
      try {
        await readdir(dir);
        break;
      } catch {
        /* not yet */
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!mounted(dir)) throw new Error(`${cmd}: no mount at ${dir}`);
  return {
    dir,
    pid: proc.pid,
    stop: () =>
      new Promise((r) => {
        const done = () => {
          try {
            rmdirSync(dir);
          } catch {
            /* still busy: leave it */
          }
          r(undefined);
        };
        if (exited) return done();
        proc.on('exit', done);
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * `node bin/modfs.js mount DIR` in a child process. The benchmarks load the committed fixtures
 * (examples/ko), built for the bundled identity, so that is the kernel they mount by default.
 */
export function startModfs(args = [], env = {}) {
  return startMount(process.execPath, [BIN, 'mount', ...args], { MODFS_KERNEL: '6.1.0-56-amd64', ...env });
}

/** bench/c-param-server.c, compiled against libfuse 2 headers and the libfuse.so.2 that fuse-native ships. */
export function buildCServer() {
  const bundled = join(REPO, 'node_modules/fuse-native/prebuilds/linux-x64/libfuse.so');
  const libdir = join(CACHE, 'lib');
  mkdirSync(libdir, { recursive: true });
  if (!existsSync(join(libdir, 'libfuse.so.2'))) symlinkSync(bundled, join(libdir, 'libfuse.so.2'));
  const inc = existsSync('/usr/include/fuse/fuse.h') ? '/usr/include/fuse' : join(REPO, 'node_modules/fuse-shared-library-linux/libfuse/include');
  const exe = join(CACHE, 'c-param-server');
  execFileSync('gcc', ['-O2', '-D_FILE_OFFSET_BITS=64', '-I', inc, join(REPO, 'bench/c-param-server.c'), bundled, '-lpthread', '-o', exe], { stdio: 'inherit' });
  return { exe, libdir };
}

export async function startCServer() {
  const { exe, libdir } = buildCServer();
  return startMount(exe, ['-f', '-o', 'direct_io,default_permissions'], { LD_LIBRARY_PATH: libdir });
}

/** One write(2) of `text` to a control or attribute file (O_WRONLY, no O_TRUNC). */
export function writeOnce(path, text) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

const buf = Buffer.alloc(4096);
export function readOnce(path) {
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, buf, 0, 4096, 0);
  } finally {
    closeSync(fd);
  }
}

/** Times `fn` `iter` times after a warm-up; microseconds. */
export function timeIt(fn, iter, warm = Math.min(200, iter)) {
  for (let i = 0; i < warm; i++) fn();
  const t = new Float64Array(iter);
  for (let i = 0; i < iter; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  return { median: t[iter >> 1], p90: t[Math.floor(iter * 0.9)], iterations: iter };
}

export function vmRssKb(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Run `main` when the file is executed directly (not imported by run.js). */
export function isMain(url) {
  return process.argv[1] && resolve(process.argv[1]) === fileURLToPath(url);
}
