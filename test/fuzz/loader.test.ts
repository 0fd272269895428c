// Loader fuzzing, in process: thousands of mutated .ko images (byte flips, ELF/section/symbol/
// relocation header fields, .modinfo, __param, struct module, truncation, huge sizes) go through
// loadModule. Each attempt must end in a live module (then unloaded) or a KernelError carrying an
// errno the kernel really uses; never another exception, never a hang, never leaked state. After
// every batch the same Kernel must still load the pristine hello.ko and helloworld.ko.
//
// Reproduce a failure: FUZZ_SEED=<seed printed in the failure> FUZZ_CASES=<n> npx vitest run test/fuzz/loader.test.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModule } from '../../src/kernel/loader/load-module.js';
import { deleteModule } from '../../src/kernel/unload.js';
import { paramShow } from '../../src/kernel/params/param-table.js';
import {
  EBADMSG,
  EBUSY,
  EEXIST,
  EFAULT,
  EINVAL,
  EKEYREJECTED,
  ENOENT,
  ENOEXEC,
  ENOMEM,
  ENOSPC,
  EOWNERDEAD,
  EPERM,
  ERANGE,
  KernelError,
} from '../../src/kernel/errno.js';
import { ModuleState } from '../../src/kernel/module.js';
import { anatomy, mutate, Rng, type Anatomy, type Mutant } from './mutate.js';

const KO = resolve(__dirname, '../../examples/ko');
const ALLOWED = new Set([ENOEXEC, ENOENT, EINVAL, ENOMEM, EBUSY, EEXIST, ENOSPC, ERANGE, EPERM, EFAULT, EKEYREJECTED, EBADMSG, EOWNERDEAD]);
const CASES = Number(process.env.FUZZ_CASES ?? 12000);
const BATCH = 500;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2024);
/** Instructions per call into module code: mutated code that spins must stop quickly. */
const BUDGET = 5e6;
/** Wall-clock bound per attempt (a JS-side loop in the loader would blow through it). The budget
 * counts guest instructions only: a mutant that loops around printk spends ~7 s in 5e6 of them. */
const SLOW_MS = 20_000;
/** Modules stuck after an oops (or unnameable) shadow their names: start a fresh kernel after this many. */
const STUCK_LIMIT = 3;
let slowest = { ms: 0, what: '' };

const images: Anatomy[] = readdirSync(KO)
  .filter((f) => f.endsWith('.ko'))
  .sort()
  .map((f) => anatomy(f, new Uint8Array(readFileSync(join(KO, f)))));
const pristine = (name: string) => images.find((a) => a.name === name)!.bytes;

interface Outcome {
  kind: 'loaded' | 'refused';
  errno?: number;
}

function describeCase(seed: number, a: Anatomy, m: Mutant): string {
  return `seed=${seed} image=${a.name} mutation=${m.what} (FUZZ_SEED=${SEED})`;
}

/** One attempt: load, and unload what loaded. Throws (with the case in the message) on a bug. */
function attempt(k: Kernel, seed: number, a: Anatomy, m: Mutant): Outcome {
  const where = () => describeCase(seed, a, m);
  let out: Outcome;
  const t0 = performance.now();
  try {
    const mod = loadModule(k, m.bytes, {});
    out = { kind: 'loaded' };
    try {
      deleteModule(k, mod.name, false);
    } catch (e) {
      if (!(e instanceof KernelError)) throw new Error(`unload threw ${String(e)}: ${where()}`, { cause: e });
      try {
        if (k.find(mod.name) === mod) deleteModule(k, mod.name, true);
      } catch (e2) {
        if (!(e2 instanceof KernelError)) throw new Error(`forced unload threw ${String(e2)}: ${where()}`, { cause: e2 });
        // An oops in exit leaves the module GOING, as a real kernel does.
      }
    }
  } catch (e) {
    if (!(e instanceof KernelError)) {
      throw new Error(`loader threw a non-KernelError: ${(e as Error)?.stack ?? String(e)}\n  case: ${where()}`, { cause: e });
    }
    if (!ALLOWED.has(e.errno)) throw new Error(`unexpected errno ${e.errno}: ${where()}`);
    out = { kind: 'refused', errno: e.errno };
  }
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { ms, what: where() };
  if (ms > SLOW_MS) throw new Error(`attempt took ${ms.toFixed(0)} ms: ${where()}`);
  checkInvariants(k, where);
  return out;
}

/** Nothing half-built may remain: every listed module is formed, and module memory is accounted for. */
function checkInvariants(k: Kernel, where: () => string): void {
  for (const mod of k.modules) {
    if (mod.state === ModuleState.UNFORMED) throw new Error(`UNFORMED module ${mod.name} left on the list: ${where()}`);
    // delete_module copies at most 55 bytes of name, so a module whose struct name fills all 56
    // bytes (unterminated) can never be named for unload: a real kernel keeps it too.
    if (mod.state === ModuleState.LIVE && mod.name.length < 56) throw new Error(`LIVE module ${mod.name} survived unload: ${where()}`);
  }
  const allocs = k.modules.reduce((n, mod) => n + mod.allocations.length, 0);
  if (k.moduleArea.liveCount !== allocs) {
    throw new Error(`module area has ${k.moduleArea.liveCount} live allocations, modules own ${allocs}: ${where()}`);
  }
  const pcpu = k.modules.filter((mod) => mod.percpu).length;
  if (k.percpu.liveCount !== pcpu) throw new Error(`percpu has ${k.percpu.liveCount} allocations, modules own ${pcpu}: ${where()}`);
}

/** The pristine modules still load, show a parameter, and unload in this kernel. */
function sanity(k: Kernel, context: string): void {
  for (const [file, name, param, want] of [
    ['hello.ko', 'hello', undefined, undefined],
    ['helloworld.ko', 'helloworld', 'num', '10\n'],
  ] as const) {
    // A mutant that oopsed in init stays COMING under its name, and the kernel says EBUSY.
    const stuck = k.modules.find((m) => m.name === name);
    if (stuck) {
      expect(() => loadModule(k, pristine(file), {}), `${file} ${context}`).toThrow(KernelError);
      continue;
    }
    const mod = loadModule(k, pristine(file), {});
    expect(mod.state, `${file} ${context}`).toBe(ModuleState.LIVE);
    if (param) {
      const p = mod.params.find((x) => x.name === param);
      expect(p, `${file}: parameter ${param} ${context}`).toBeDefined();
      expect(new TextDecoder().decode(paramShow(k, p!)), `${file} ${context}`).toBe(want);
    }
    deleteModule(k, name, false);
    expect(k.find(name), context).toBeUndefined();
  }
}

describe('loader fuzz', () => {
  // FUZZ_ONLY=<case seed>: rerun one case and print its kernel log.
  it.runIf(process.env.FUZZ_ONLY)('single case', () => {
    const seed = Number(process.env.FUZZ_ONLY);
    const r = new Rng(seed);
    const a = r.pick(images);
    const m = mutate(a, r);
    const k = new Kernel({ budget: BUDGET, kaslrPages: 1 });
    let err: unknown;
    const t0 = performance.now();
    try {
      attempt(k, seed, a, m);
    } catch (e) {
      err = e;
    }
    const lines = k.log.recordsFrom(0).map((x) => String(x.text));
    console.log(`${describeCase(seed, a, m)}: ${(performance.now() - t0).toFixed(0)} ms, ${lines.length} log lines\n${lines.slice(0, 40).join('\n')}`);
    if (err) throw err;
  });

  it('pristine examples load and unload', () => {
    const k = new Kernel({ budget: BUDGET, kaslrPages: 1 });
    sanity(k, 'before fuzzing');
  });

  it(`${CASES} mutated images end in a module or a kernel errno`, { timeout: 120_000 }, () => {
    const stats = new Map<string, number>();
    const kinds = new Map<string, number>();
    const t0 = performance.now();
    const master = new Rng(SEED);
    const failures: string[] = [];
    for (let b = 0; b * BATCH < CASES; b++) {
      let k = new Kernel({ budget: BUDGET, kaslrPages: 1 + master.int(1024) });
      for (let i = b * BATCH; i < Math.min(CASES, (b + 1) * BATCH); i++) {
        const seed = (SEED + i * 0x9e3779b1) >>> 0;
        const r = new Rng(seed);
        const a = r.pick(images);
        const m = mutate(a, r);
        let o: Outcome;
        try {
          o = attempt(k, seed, a, m);
        } catch (e) {
          failures.push((e as Error).message);
          k = new Kernel({ budget: BUDGET, kaslrPages: 1 + master.int(1024) });
          continue;
        }
        if (k.modules.length >= STUCK_LIMIT) {
          // A module stuck after an oops (or unnameable) shadows its name for the rest of the
          // batch: check the kernel still works, then continue on a fresh one.
          sanity(k, `with stuck ${k.modules.map((x) => x.name).join(',')} after seed=${seed} (FUZZ_SEED=${SEED})`);
          k = new Kernel({ budget: BUDGET, kaslrPages: 1 + master.int(1024) });
        }
        const key = o.kind === 'loaded' ? 'loaded' : `errno ${o.errno}`;
        stats.set(key, (stats.get(key) ?? 0) + 1);
        const kind = m.what.split(/[ [:]/)[0]!;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      sanity(k, `after batch ${b} (FUZZ_SEED=${SEED})`);
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `loader fuzz: ${CASES} cases in ${secs.toFixed(1)} s (seed ${SEED})\n  outcomes: ${[...stats].map(([k, v]) => `${k}=${v}`).join(' ')}\n  slowest: ${slowest.ms.toFixed(0)} ms (${slowest.what})\n  mutators: ${[...kinds].map(([k, v]) => `${k}=${v}`).join(' ')}`,
    );
    expect(failures.length, `${failures.length} failing cases:\n${failures.slice(0, 200).join('\n')}`).toBe(0);
    expect(stats.get('loaded') ?? 0).toBeGreaterThan(0);
  });

  it('zero-length, header-only and huge images are refused with ENOEXEC', () => {
    const k = new Kernel({ budget: BUDGET, kaslrPages: 1 });
    const hello = pristine('hello.ko');
    for (const bytes of [new Uint8Array(0), hello.slice(0, 64), new Uint8Array(64 << 20), (() => {
      const b = new Uint8Array(64 << 20);
      b.set(hello.slice(0, 64));
      return b;
    })()]) {
      let err: unknown;
      try {
        loadModule(k, bytes, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).errno).toBe(ENOEXEC);
    }
    // A valid module with 64 MiB of trailing garbage still loads (the kernel ignores unreferenced bytes).
    const padded = new Uint8Array(hello.length + (64 << 20));
    padded.set(hello);
    const mod = loadModule(k, padded, {});
    deleteModule(k, mod.name, false);
    sanity(k, 'after huge images');
  });
});
