// Interpreter speed on real module code: guest instructions per second while module init (and
// exit) runs, measured in process on dist/ (no FUSE). Only the time inside cpu.call is counted.
// These inits are short and call into the emulated kernel (printk, kmalloc) often, so this is
// a "typical module" figure; bench/cpu-loop.ts measures tight loops.
// Run alone: node bench/cpu.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, REPO } from './lib.mjs';

export async function cpu(reps = Number(process.env.BENCH_CPU_REPS ?? 200), modules = ['hello', 'types', 'kmalloc', 'helloworld', 'callback']) {
  const { Kernel } = await import(join(REPO, 'dist/kernel/kernel.js'));
  const { loadModule } = await import(join(REPO, 'dist/kernel/loader/load-module.js'));
  const { deleteModule } = await import(join(REPO, 'dist/kernel/unload.js'));
  const out = {};
  for (const name of modules) {
    const bytes = new Uint8Array(readFileSync(join(KO, `${name}.ko`)));
    const k = new Kernel({ kaslrPages: 1 });
    const c = k.cpu;
    const orig = c.call.bind(c);
    let ns = 0n;
    let calls = 0;
    c.call = (fn, args, opts) => {
      const a = process.hrtime.bigint();
      try {
        return orig(fn, args, opts);
      } finally {
        ns += process.hrtime.bigint() - a;
        calls++;
      }
    };
    const i0 = c.instructionCount;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) {
      const mod = loadModule(k, bytes, {});
      deleteModule(k, mod.name, true);
      k.log.clear?.();
    }
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const insns = c.instructionCount - i0;
    out[name] = {
      instructionsPerCycle: insns / reps,
      cpuCalls: calls,
      secondsInCpu: Number(ns) / 1e9,
      mips: calls ? insns / (Number(ns) / 1e3) : NaN,
      loadUnloadPerSecond: reps / wall,
    };
  }
  return out;
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await cpu(), null, 2));
}
