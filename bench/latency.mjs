// Latency of open+read+close and open+write+close of a module parameter through the modfs mount
// (daemon in a child process), and the throughput of 4 parallel readers, against a minimal C
// server on libfuse3's low-level API (bench/c-param-server.c) serving the same path with the
// same cache lifetimes and no FLUSH on close. Both servers run at once and are measured in
// alternating rounds, so the machine's drifting speed (other work shares the 2 vCPUs) hits
// both alike; the ratio quoted is the median of the per-round ratios.
// Run alone: node bench/latency.mjs (root, gcc, libfuse3-dev; builds dist/ if missing).
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, parallelReads, readOnce, startCServer, startModfs, timeIt, writeOnce } from './lib.mjs';

const FILE = 'sys/module/helloworld/parameters/num';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function latency(iter = Number(process.env.BENCH_ITER ?? 2000), rounds = Number(process.env.BENCH_ROUNDS ?? 5)) {
  const c = await startCServer();
  const m = await startModfs();
  try {
    writeOnce(join(m.dir, 'sys/kernel/modctl/load'), join(KO, 'helloworld.ko'));
    const pc = join(c.dir, FILE);
    const pm = join(m.dir, FILE);
    const per = { read: [], write: [], parallel: [] };
    for (let r = 0; r < rounds; r++) {
      const n = Math.ceil(iter / rounds);
      per.read.push({ c: timeIt(() => readOnce(pc), n), modfs: timeIt(() => readOnce(pm), n) });
      per.write.push({ c: timeIt(() => writeOnce(pc, '10\n'), n), modfs: timeIt(() => writeOnce(pm, '10\n'), n) });
      if (r < 3) per.parallel.push({ c: await parallelReads(pc, 4, 1500), modfs: await parallelReads(pm, 4, 1500) });
    }
    const sum = (list, key) => ({
      c: { median: median(list.map((x) => x.c[key])) },
      modfs: { median: median(list.map((x) => x.modfs[key])) },
      ratio: median(list.map((x) => x.modfs[key] / x.c[key])),
      rounds: list.map((x) => +(x.modfs[key] / x.c[key]).toFixed(2)),
    });
    const read = sum(per.read, 'median');
    const write = sum(per.write, 'median');
    const parallel = sum(per.parallel, 'opsPerSecond');
    writeOnce(join(m.dir, 'sys/kernel/modctl/unload'), 'helloworld');
    return {
      c: { read: read.c, write: write.c, parallel: { readers: 4, opsPerSecond: parallel.c.median } },
      modfs: { read: read.modfs, write: write.modfs, parallel: { readers: 4, opsPerSecond: parallel.modfs.median } },
      ratios: { read: read.ratio, write: write.ratio, parallel: parallel.ratio },
      perRound: { read: read.rounds, write: write.rounds, parallel: parallel.rounds },
    };
  } finally {
    await m.stop();
    await c.stop();
  }
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await latency(), null, 2));
}
