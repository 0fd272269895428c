// Mount time by kernel identity: from spawning `modfs mount` to the tree answering, for the
// bundled identity, for one read from a headers tree the first time (the probe compiles against
// the headers: a fresh cache directory each run), and for the same headers with the probe cached.
// BENCH_MOUNTS (default 5) runs of each, medians reported; BENCH_HEADERS picks the headers tree
// (default: the one `modfs mount` would choose).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, isMain, REPO, startModfs } from './lib.mjs';

async function timeMount(args, env) {
  const t0 = process.hrtime.bigint();
  const m = await startModfs(args, env);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await m.stop();
  return ms;
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

export async function mountTime() {
  const runs = Number(process.env.BENCH_MOUNTS ?? 5);
  const headers =
    process.env.BENCH_HEADERS ?? execFileSync(process.execPath, [join(REPO, 'bin/modfs.js'), 'kernel', '-F', 'headers'], { env: { ...process.env, MODFS_KERNEL: '' }, encoding: 'utf8' }).trim();
  if (!headers) throw new Error('mount-time: no kernel headers installed to read an identity from');
  const cached = mkdtempSync(join(tmpdir(), 'modfs-bench-cache-'));
  await timeMount(['--kernel', headers], { MODFS_CACHE_DIR: cached }); // fills the cache
  const out = { headers, runs, bundled: [], first: [], cached: [] };
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that the machine's drift hits all three alike.
    out.bundled.push(await timeMount(['--kernel', '6.1.0-56-amd64'], {}));
    const fresh = mkdtempSync(join(tmpdir(), 'modfs-bench-cache-'));
    out.first.push(await timeMount(['--kernel', headers], { MODFS_CACHE_DIR: fresh }));
    rmSync(fresh, { recursive: true, force: true });
    out.cached.push(await timeMount(['--kernel', headers], { MODFS_CACHE_DIR: cached }));
  }
  rmSync(cached, { recursive: true, force: true });
  return { ...out, medianMs: { bundled: median(out.bundled), first: median(out.first), cached: median(out.cached) } };
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  const r = await mountTime();
  const f = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`mount time, median of ${r.runs} (headers: ${r.headers})`);
  console.log(`  bundled identity              ${f(r.medianMs.bundled)}   (runs: ${r.bundled.map(f).join(', ')})`);
  console.log(`  headers, first time (probe)   ${f(r.medianMs.first)}   (${(r.medianMs.first / r.medianMs.bundled).toFixed(2)}x bundled)`);
  console.log(`  headers, probe cached         ${f(r.medianMs.cached)}   (${(r.medianMs.cached / r.medianMs.bundled).toFixed(2)}x bundled)`);
}
