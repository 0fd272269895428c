// Shared helpers for the bench/ scripts: paths, the modfs daemon and the C libfuse server in child
// processes (this process must never serve a mount it touches), and latency statistics.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmdirSync, writeSync } from 'node:fs';
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
 * BENCH_NODE_FLAGS adds flags for the daemon's node (`--cpu-prof --cpu-prof-dir=DIR` to profile);
 * BENCH_DIST runs another build's daemon (DIR/cli/main.js), to compare two builds in one run.
 */
export function startModfs(args = [], env = {}, nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), dist = process.env.BENCH_DIST) {
  const main = dist ? join(resolve(dist), 'cli/main.js') : BIN;
  return startMount(process.execPath, [...nodeFlags, main, 'mount', ...args], { MODFS_KERNEL: '6.1.0-56-amd64', ...env });
}

/**
 * `n` processes each doing open+read+close of `path` for `ms`; total operations per second.
 * The readers are plain Node processes, the same for every server measured.
 */
export async function parallelReads(path, n = 4, ms = 2000) {
  const code = `const fs=require('fs');const b=Buffer.alloc(4096);const end=Date.now()+${ms};let c=0;` +
    `while(Date.now()<end){const fd=fs.openSync(${JSON.stringify(path)},'r');fs.readSync(fd,b,0,4096,0);fs.closeSync(fd);c++}console.log(c)`;
  const t0 = process.hrtime.bigint();
  const counts = await Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => {
    const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (c) => (c === 0 ? res(Number(out)) : rej(new Error(`reader exited ${c}`))));
  })));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { readers: n, opsPerSecond: counts.reduce((a, b) => a + b, 0) / secs };
}

/** bench/c-param-server.c, a minimal libfuse3 low-level server (Debian's libfuse3-dev). */
export function buildCServer() {
  mkdirSync(CACHE, { recursive: true });
  const exe = join(CACHE, 'c-param-server');
  const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'fuse3'], { encoding: 'utf8' }).trim().split(/\s+/);
  execFileSync('gcc', ['-O2', join(REPO, 'bench/c-param-server.c'), ...flags, '-o', exe], { stdio: 'inherit' });
  return exe;
}

export async function startCServer() {
  return startMount(buildCServer(), []);
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
