// Scale: with 1000 modules loaded (copies of hello.ko renamed hl000..hl999), the real `lsmod`
// (kmod) reading the tree through bind mounts over /proc (this container has no /proc/modules to
// bind over; lsmod reads only /proc/modules there) and /sys/module in a private
// mount namespace, `modfs lsmod`, one read of /proc/modules, and the daemon's RSS.
// Run alone: node bench/scale.mjs (root; BENCH_SCALE_MODULES, default 1000).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { renamedHellos } from './rss.mjs';
import { ensureBuilt, isMain, REPO, startModfs, timeIt, vmRssKb, writeOnce } from './lib.mjs';
import { readFileSync } from 'node:fs';

/** Median wall time of `script` run `n` times inside one private mount namespace. */
function timedInNamespace(mnt, cmd, n) {
  const script = `mount --bind "${mnt}/proc" /proc && mount --bind "${mnt}/sys/module" /sys/module && ` +
    `for i in $(seq ${n}); do a=$(date +%s%N); ${cmd} >/dev/null || exit 1; b=$(date +%s%N); echo $(( (b - a) / 1000 )); done`;
  const out = execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
  const us = out.trim().split('\n').map(Number).sort((a, b) => a - b);
  return { medianMs: us[us.length >> 1] / 1000, minMs: us[0] / 1000, runs: n };
}

export async function scale(n = Number(process.env.BENCH_SCALE_MODULES ?? 1000)) {
  const { dir, paths } = await renamedHellos(n);
  const m = await startModfs();
  try {
    const load = join(m.dir, 'sys/kernel/modctl/load');
    const t0 = process.hrtime.bigint();
    for (const [, p] of paths) writeOnce(load, p);
    const loadSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const lines = readFileSync(join(m.dir, 'proc/modules'), 'utf8').split('\n').filter((l) => l.startsWith('hl')).length;
    if (lines !== n) throw new Error(`only ${lines} of ${n} modules listed`);
    const lsmodLines = execFileSync('unshare', ['-m', 'sh', '-c', `mount --bind "${m.dir}/proc" /proc && mount --bind "${m.dir}/sys/module" /sys/module && lsmod`], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('hl')).length;
    if (lsmodLines !== n) throw new Error(`lsmod listed ${lsmodLines} of ${n}`);
    const lsmod = timedInNamespace(m.dir, 'lsmod', 7);
    const modfsLsmod = timedInNamespace(m.dir, `${process.execPath} ${join(REPO, 'bin/modfs.js')} lsmod -m ${m.dir}`, 3);
    const procModules = timeIt(() => readFileSync(join(m.dir, 'proc/modules')), 200, 20);
    const refcnt = timeIt(() => readFileSync(join(m.dir, 'sys/module/hl500/refcnt')), 500, 50);
    const rssKb = vmRssKb(m.pid);
    return { modules: n, loadAllSeconds: loadSecs, lsmod, modfsLsmod, procModulesUs: procModules, refcntUs: refcnt, rssKb };
  } finally {
    await m.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await scale(), null, 2));
}
