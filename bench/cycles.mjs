// insmod+rmmod cycles per second of hello.ko through the control files: the absolute path written
// to modctl/load, the name to modctl/unload. Run alone: node bench/cycles.mjs
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, startModfs, writeOnce } from './lib.mjs';

export async function cycles(n = Number(process.env.BENCH_CYCLES ?? 200)) {
  const m = await startModfs();
  try {
    const load = join(m.dir, 'sys/kernel/modctl/load');
    const unload = join(m.dir, 'sys/kernel/modctl/unload');
    const clear = join(m.dir, 'sys/kernel/modctl/clear');
    const ko = join(KO, 'hello.ko');
    for (let i = 0; i < 10; i++) {
      writeOnce(load, ko);
      writeOnce(unload, 'hello');
    }
    const per = new Float64Array(n);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const a = process.hrtime.bigint();
      writeOnce(load, ko);
      writeOnce(unload, 'hello');
      per[i] = Number(process.hrtime.bigint() - a) / 1000;
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    writeOnce(clear, '1');
    per.sort();
    return { cycles: n, seconds: secs, perSecond: n / secs, medianUs: per[n >> 1], p90Us: per[Math.floor(n * 0.9)] };
  } finally {
    await m.stop();
  }
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await cycles(), null, 2));
}
