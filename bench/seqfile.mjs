// The seq_file figure: `cat` of a 10,000-line seq_file (examples/procseq.ko count=10000, 255,407
// bytes) through a modfs mount, against the same `cat` on the real 6.1 kernel under QEMU.
//
// modfs: the real /usr/bin/cat on DIR/proc/procseq, each run timed from spawn to exit (so a
// process start is in both figures), BENCH_RUNS (default 9) runs after one warm-up, median.
// Real kernel: experiments/seqfile_bench.sh boots under scripts/oracle/run.sh and times each cat
// inside the guest with date +%s%N. QEMU here is software emulation (TCG, no KVM): the guest
// runs several times slower than the same kernel on hardware, so the ratio says how modfs
// compares with an emulated machine, not with a real one. BENCH_QEMU=0 skips the boot.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, REPO, startModfs } from './lib.mjs';

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

function catMs(path) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('cat', [path], { maxBuffer: 1 << 24 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`cat ${path}: ${r.stderr}`);
  return { ms, bytes: r.stdout.length };
}

export async function modfsCat(runs) {
  const m = await startModfs();
  try {
    execFileSync(process.execPath, [join(REPO, 'bin/modfs.js'), 'insmod', '-m', m.dir, join(KO, 'procseq.ko'), 'count=10000'], { stdio: 'inherit' });
    const file = join(m.dir, 'proc/procseq');
    const { bytes } = catMs(file);
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(catMs(file).ms);
    // `cat` of a tiny file on the same mount: the process start and open/close alone.
    const floor = [];
    for (let i = 0; i < runs; i++) floor.push(catMs(join(m.dir, 'proc/procseq_stats')).ms);
    return { bytes, ms, median: median(ms), floor: median(floor) };
  } finally {
    await m.stop();
  }
}

export function qemuCat() {
  const out = mkdtempSync(join(tmpdir(), 'modfs-bench-oracle-'));
  try {
    // run.sh fails a boot whose log shows emulation noise or that never reached /init: once more.
    const boot = () =>
      spawnSync('bash', [join(REPO, 'scripts/oracle/run.sh'), 'seqfile_bench'], {
        env: { ...process.env, RELEASE: '6.1.0-56-amd64', KO_DIR: KO, JOBS: '1', OUT: out },
        stdio: ['ignore', 'ignore', 'inherit'],
      }).status;
    if (boot() !== 0 && boot() !== 0) throw new Error('seqfile: the real kernel run failed (see run.sh output above)');
    const text = readFileSync(join(out, 'seqfile_bench.txt'), 'utf8');
    const ms = [...text.matchAll(/^cat_ns (\d+)$/gm)].map((x) => Number(x[1]) / 1e6);
    const bytes = Number(/^bytes (\d+)$/m.exec(text)?.[1] ?? 0);
    return { bytes, ms, median: median(ms) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  const runs = Number(process.env.BENCH_RUNS ?? 9);
  const f = (ms) => `${ms.toFixed(1)} ms`;
  const mod = await modfsCat(runs);
  console.log(`cat of a 10,000-line seq_file (procseq count=10000, ${mod.bytes} bytes), median of ${runs}`);
  console.log(`  modfs (FUSE, x86-64 interpreter)    ${f(mod.median)}   (runs: ${mod.ms.map(f).join(', ')}; cat of a one-line file: ${f(mod.floor)})`);
  if (process.env.BENCH_QEMU !== '0') {
    const q = qemuCat();
    console.log(`  real 6.1 kernel under QEMU (TCG)    ${f(q.median)}   (runs: ${q.ms.map(f).join(', ')}; ${q.bytes} bytes)`);
    console.log(`  ratio modfs / QEMU                  ${(mod.median / q.median).toFixed(2)}x`);
    console.log('  (QEMU is software emulation here, no KVM: its guest is several times slower than hardware)');
  }
}
