// Latency of open+read+close of a small file: real sysfs, a minimal C libfuse server, and the
// modfs FUSE layer serving a modfs-style tree. A script, not a test: `node bench/fuse-read.js`.
// Needs root (mounts) and gcc. Headers come from libfuse-dev if installed, else the copy that
// fuse-shared-library ships; the C server links the libfuse.so.2 bundled with fuse-native.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE = join(REPO, 'node_modules', '.cache', 'modfs');
const ITER = Number(process.env.BENCH_ITER ?? 3000);
const FILE = 'sys/module/hello/parameters/value';

function buildJs() {
  const out = join(CACHE, 'bench-build');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '--ignoreConfig', '--outDir', out,
    '--rootDir', REPO, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict',
    '--skipLibCheck', '--types', 'node', join(REPO, 'bench/fuse-server.ts')], { stdio: 'inherit' });
  return join(out, 'bench/fuse-server.js');
}

function buildC() {
  const bundled = join(REPO, 'node_modules/fuse-native/prebuilds/linux-x64/libfuse.so');
  const libdir = join(CACHE, 'lib');
  mkdirSync(libdir, { recursive: true });
  if (!existsSync(join(libdir, 'libfuse.so.2'))) symlinkSync(bundled, join(libdir, 'libfuse.so.2'));
  const inc = existsSync('/usr/include/fuse/fuse.h') ? '/usr/include/fuse' : join(REPO, 'node_modules/fuse-shared-library-linux/libfuse/include');
  const exe = join(CACHE, 'fuse-c-server');
  execFileSync('gcc', ['-O2', '-D_FILE_OFFSET_BITS=64', '-I', inc, join(REPO, 'bench/fuse-c-server.c'), bundled, '-lpthread', '-o', exe], { stdio: 'inherit' });
  return { exe, libdir };
}

function mounted(dir) {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
}

async function start(cmd, args, env) {
  const dir = mkdtempSync(join(tmpdir(), 'modfs-bench-'));
  const proc = spawn(cmd, [...args, dir], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 500; i++) {
    if (mounted(dir)) {
      try {
        await readdir(dir);
        break;
      } catch { /* not yet */ }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { dir, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) };
}

function measure(path) {
  const buf = Buffer.alloc(4096);
  const once = () => { const fd = openSync(path, 'r'); readSync(fd, buf, 0, 4096, 0); closeSync(fd); };
  for (let i = 0; i < 200; i++) once();
  const t = new Float64Array(ITER);
  for (let i = 0; i < ITER; i++) {
    const a = process.hrtime.bigint();
    once();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  return { median: t[ITER >> 1], p90: t[Math.floor(ITER * 0.9)] };
}

function sysfsParam() {
  for (const m of readdirSync('/sys/module')) {
    try {
      for (const p of readdirSync(`/sys/module/${m}/parameters`)) {
        const f = `/sys/module/${m}/parameters/${p}`;
        try { closeSync(openSync(f, 'r')); return f; } catch { /* write-only */ }
      }
    } catch { /* no parameters */ }
  }
  return undefined;
}

const rows = [];
const report = (name, r) => rows.push(`${name.padEnd(44)} median ${r.median.toFixed(1).padStart(7)} µs   p90 ${r.p90.toFixed(1).padStart(7)} µs`);

const real = sysfsParam();
if (real) report(`real sysfs (${real.replace('/sys/module/', '')})`, measure(real));

const { exe, libdir } = buildC();
const c = await start(exe, ['-f', '-o', 'direct_io,default_permissions'], { LD_LIBRARY_PATH: libdir });
report('minimal C libfuse server, direct_io', measure(join(c.dir, FILE)));
await c.stop();

const js = buildJs();
for (const [name, env] of [
  ['modfs fuse layer (kernel cache defaults)', {}],
  ['modfs fuse layer, entry_timeout=0', { BENCH_ENTRY_TIMEOUT: '0' }],
  ['modfs fuse layer, entry_timeout=0 attr_timeout=0', { BENCH_ENTRY_TIMEOUT: '0', BENCH_ATTR_TIMEOUT: '0' }],
]) {
  const d = await start(process.execPath, [js], env);
  report(name, measure(join(d.dir, FILE)));
  await d.stop();
}
console.log(`open+read+close, ${ITER} iterations each\n${rows.join('\n')}`);
