// Latency of open+read+close and open+write+close of a module parameter through the modfs mount
// (daemon in a child process), and the throughput of 4 parallel readers, against a minimal C
// server on libfuse3's low-level API serving the same path with the same cache lifetimes.
// Run alone: node bench/latency.mjs (root, gcc; builds dist/ if missing).
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, parallelReads, readOnce, startCServer, startModfs, timeIt, writeOnce } from './lib.mjs';

const FILE = 'sys/module/helloworld/parameters/num';

export async function latency(iter = Number(process.env.BENCH_ITER ?? 2000)) {
  const out = {};
  const c = await startCServer();
  try {
    const p = join(c.dir, FILE);
    out.c = { read: timeIt(() => readOnce(p), iter), write: timeIt(() => writeOnce(p, '10\n'), iter), parallel: await parallelReads(p) };
  } finally {
    await c.stop();
  }
  const m = await startModfs();
  try {
    writeOnce(join(m.dir, 'sys/kernel/modctl/load'), join(KO, 'helloworld.ko'));
    const p = join(m.dir, FILE);
    out.modfs = { read: timeIt(() => readOnce(p), iter), write: timeIt(() => writeOnce(p, '10\n'), iter), parallel: await parallelReads(p) };
    writeOnce(join(m.dir, 'sys/kernel/modctl/unload'), 'helloworld');
  } finally {
    await m.stop();
  }
  return out;
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await latency(), null, 2));
}
