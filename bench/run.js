// `npm run bench`: every benchmark in bench/ against dist/ (built if missing), a summary table on
// stdout, and the raw numbers in bench/results/latest.json (gitignored). Needs root (FUSE mounts)
// and gcc (the C reference server). Knobs: BENCH_ITER (latency iterations, 2000), BENCH_CYCLES
// (insmod+rmmod cycles, 200), BENCH_MODULES (RSS test, 100), BENCH_CPU_REPS (200), BENCH_ONLY
// (comma list of latency,session,scale,cycles,rss,cpu,mips,mount,shell). BENCH_SCALE_MODULES (scale test, 1000);
// BENCH_SHELL_N, BENCH_SHELL_MANY (bench/shell.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { cpu } from './cpu.mjs';
import { cpuMips } from './cpu-mips.mjs';
import { cycles } from './cycles.mjs';
import { latency } from './latency.mjs';
import { mountTime } from './mount-time.mjs';
import { ensureBuilt, REPO } from './lib.mjs';
import { rss } from './rss.mjs';
import { scale } from './scale.mjs';
import { sessionCpu } from './session-cpu.mjs';
import { shellBench, shellRows } from './shell.mjs';

ensureBuilt();
const only = process.env.BENCH_ONLY?.split(',');
const want = (n) => !only || only.includes(n);
const machine = { cpus: cpus().length, model: cpus()[0]?.model, memGb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
const results = { date: new Date().toISOString(), machine };
if (want('latency')) results.latency = await latency();
if (want('session')) results.session = await sessionCpu();
if (want('scale')) results.scale = await scale();
if (want('cycles')) results.cycles = await cycles();
if (want('rss')) results.rss = await rss();
if (want('cpu')) results.cpu = await cpu();
if (want('mips')) results.mips = await cpuMips();
if (want('mount')) results.mount = await mountTime();
if (want('shell')) results.shell = await shellBench();

const rows = [];
const f1 = (x) => x.toFixed(1);
if (results.latency) {
  const { c, modfs, ratios, perRound } = results.latency;
  for (const op of ['read', 'write']) {
    rows.push([`open+${op}+close ${op === 'read' ? 'param num' : '"10\\n" to num'} (modfs)`, `${f1(modfs[op].median)} µs`, `rounds ${perRound[op].join(' ')}`, `${ratios[op].toFixed(2)}× C`]);
    rows.push([`open+${op}+close, minimal C libfuse3 low-level`, `${f1(c[op].median)} µs`, '', '']);
  }
  rows.push([`${modfs.parallel.readers} parallel readers (modfs)`, `${Math.round(modfs.parallel.opsPerSecond)} op/s`, `rounds ${perRound.parallel.join(' ')}`, `${ratios.parallel.toFixed(2)}× C`]);
  rows.push([`${c.parallel.readers} parallel readers, C libfuse3`, `${Math.round(c.parallel.opsPerSecond)} op/s`, '', '']);
}
if (results.session) {
  for (const op of ['read', 'write']) {
    const v = results.session[op];
    rows.push([`FUSE session in-process, open+${op}+close requests`, `${f1(v.userUsPerRequest + v.sysUsPerRequest)} µs CPU/request`, `${f1(v.usPerRequest)} µs wall`, '']);
  }
}
if (results.scale) {
  const s = results.scale;
  rows.push([`${s.modules} modules: Debian lsmod through the tree`, `${s.lsmod.medianMs.toFixed(0)} ms`, `min ${s.lsmod.minMs.toFixed(0)} ms`, '']);
  rows.push([`${s.modules} modules: modfs lsmod`, `${s.modfsLsmod.medianMs.toFixed(0)} ms`, '', '']);
  rows.push([`${s.modules} modules: one /proc/modules read`, `${(s.procModulesUs.median / 1000).toFixed(2)} ms`, `p90 ${(s.procModulesUs.p90 / 1000).toFixed(2)} ms`, '']);
  rows.push([`${s.modules} modules: one refcnt read`, `${f1(s.refcntUs.median)} µs`, '', '']);
  rows.push([`${s.modules} modules: daemon VmRSS`, `${(s.rssKb / 1024).toFixed(0)} MiB`, `load all ${f1(s.loadAllSeconds)} s`, '']);
}
if (results.cycles) {
  const y = results.cycles;
  rows.push([`insmod+rmmod hello.ko via control files`, `${f1(y.perSecond)} /s`, `median ${(y.medianUs / 1000).toFixed(2)} ms`, `p90 ${(y.p90Us / 1000).toFixed(2)} ms`]);
}
if (results.rss) {
  const r = results.rss;
  rows.push(['daemon VmRSS idle', `${(r.idleKb / 1024).toFixed(1)} MiB`, '', '']);
  rows.push([`daemon VmRSS with ${r.modules} modules`, `${(r.loadedKb / 1024).toFixed(1)} MiB`, `${f1(r.perModuleKb)} KiB/module`, `load all ${f1(r.loadAllSeconds)} s`]);
  rows.push([`daemon VmRSS after unloading them`, `${(r.afterUnloadKb / 1024).toFixed(1)} MiB`, '', '']);
}
if (results.cpu) {
  for (const [name, v] of Object.entries(results.cpu)) {
    rows.push([`cpu: ${name}.ko init+exit`, `${Math.round(v.instructionsPerCycle)} insns`, `${(v.mips).toFixed(2)} MIPS in cpu.call`, `${f1(v.loadUnloadPerSecond)} load+unload/s in-process`]);
  }
}
if (results.mount) {
  const t = results.mount.medianMs;
  rows.push(['mount, bundled identity', `${t.bundled.toFixed(0)} ms`, '', '']);
  rows.push(['mount, identity from headers, first time', `${t.first.toFixed(0)} ms`, `${(t.first / t.bundled).toFixed(2)}× bundled`, 'probe compiled']);
  rows.push(['mount, identity from headers, cached', `${t.cached.toFixed(0)} ms`, `${(t.cached / t.bundled).toFixed(2)}× bundled`, '']);
}
if (results.shell) rows.push(...shellRows(results.shell));
for (const [name, v] of Object.entries(results.mips ?? {})) rows.push([`cpu: ${name} (bench/cpu/cpubench.ko)`, `${v.mips.toFixed(1)} MIPS`, `${v.timesNative.toFixed(0)}× native gcc -O2`, v.match ? 'checksum = native' : 'CHECKSUM MISMATCH']);
const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`modfs benchmarks — ${machine.cpus} vCPUs (${machine.model}), ${machine.memGb} GiB, node ${machine.node}`);
for (const r of rows) console.log(`  ${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
mkdirSync(join(REPO, 'bench/results'), { recursive: true });
writeFileSync(join(REPO, 'bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n');
console.log('results: bench/results/latest.json');
