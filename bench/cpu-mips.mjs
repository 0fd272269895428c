// Interpreter speed on compute-heavy module code, and how far it is from the host CPU.
//
// bench/cpu/cpubench.ko (source: bench/cpu/cpubench.c + workloads.h; rebuild with
// bash bench/cpu/build.sh) runs one workload in its init: CRC-32, a sieve, a quicksort, 64-bit
// hashing, a matrix multiply. Each is loaded through the real loader (loadModule on a fresh
// Kernel) with work=N reps=M, and timed inside cpu.call; MIPS = guest instructions
// (X86Cpu.instructionCount) per second. The SAME C (bench/cpu/native.c includes workloads.h) is
// compiled with gcc -O2 (no SSE, as the kernel builds it) and timed natively; "x native" is the
// interpreter's time over the native time for the same work. Both print the workload's checksum,
// which must match.
//
// Run: node bench/cpu-mips.mjs   (compiles src/ to a scratch dir first, so it measures the tree
// as it is; MODFS_DIST=dist uses an existing build instead). Knobs: BENCH_MIPS_INSNS (guest
// instructions per measured run, default 30M), BENCH_MIPS_RUNS (best of, for both the interpreter
// and native, default 3),
// BENCH_MIPS_ONLY (comma list of workload names).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMain, REPO } from './lib.mjs';

const WORKLOADS = ['crc32', 'sieve', 'sort', 'hash', 'matmul'];
const NATIVE_FLAGS = ['-O2', '-fno-strict-aliasing', '-fno-strict-overflow', '-mno-sse', '-mno-mmx', '-mno-sse2', '-mno-avx', '-mno-red-zone'];

function compileSrc() {
  if (process.env.MODFS_DIST) return { dir: join(REPO, process.env.MODFS_DIST), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'modfs-mips-'));
  try {
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', dir], { stdio: 'inherit' });
  } catch {
    // tsc exits non-zero on type errors but still emits; a missing file below is the real failure
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function buildNative() {
  const dir = mkdtempSync(join(tmpdir(), 'modfs-mips-native-'));
  const exe = join(dir, 'native');
  execFileSync('gcc', [...NATIVE_FLAGS, '-o', exe, join(REPO, 'bench/cpu/native.c')]);
  return { exe, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function cpuMips(opts = {}) {
  const insnsTarget = Number(opts.insns ?? process.env.BENCH_MIPS_INSNS ?? 30e6);
  const runs = Number(opts.runs ?? process.env.BENCH_MIPS_RUNS ?? 3);
  const only = (opts.only ?? process.env.BENCH_MIPS_ONLY)?.split(',');
  const src = compileSrc();
  const native = buildNative();
  try {
    const imp = (p) => import(pathToFileURL(join(src.dir, p)).href);
    const { Kernel } = await imp('kernel/kernel.js');
    const { loadModule } = await imp('kernel/loader/load-module.js');
    const { deleteModule } = await imp('kernel/unload.js');
    const bytes = new Uint8Array(readFileSync(join(REPO, 'bench/cpu/cpubench.ko')));
    const dec = new TextDecoder('latin1');

    /** One load+init+unload; instructions and seconds spent in top-level cpu.call, the checksum. */
    const runOnce = (work, reps) => {
      const k = new Kernel({ kaslrPages: 1, budget: 4e9 });
      const c = k.cpu;
      const orig = c.call.bind(c);
      let ns = 0n;
      let depth = 0;
      c.call = (fn, args, o) => {
        const a = depth === 0 ? process.hrtime.bigint() : 0n;
        depth++;
        try {
          return orig(fn, args, o);
        } finally {
          depth--;
          if (depth === 0) ns += process.hrtime.bigint() - a;
        }
      };
      const from = k.log.nextSeq;
      const i0 = c.instructionCount;
      const mod = loadModule(k, bytes, { args: `work=${work} reps=${reps}` });
      const insns = c.instructionCount - i0;
      let sum;
      for (const r of k.log.recordsFrom(from)) {
        const m = /cpubench: \S+ x\d+ = ([0-9a-f]{8})/.exec(dec.decode(r.text));
        if (m) sum = m[1];
      }
      deleteModule(k, mod.name, true);
      return { insns, seconds: Number(ns) / 1e9, sum };
    };

    const out = {};
    for (let w = 0; w < WORKLOADS.length; w++) {
      const name = WORKLOADS[w];
      if (only && !only.includes(name)) continue;
      const probe = runOnce(w, 2); // also warms up the JIT
      const perRep = (probe.insns - runOnce(w, 1).insns);
      const reps = Math.max(1, Math.round(insnsTarget / perRep));
      let best = null;
      for (let r = 0; r < runs; r++) {
        const x = runOnce(w, reps);
        if (best === null || x.seconds < best.seconds) best = x;
      }
      // Best of the same number of native runs: a run of a few milliseconds is easily disturbed.
      let nSum;
      let nativeSeconds = Infinity;
      for (let r = 0; r < runs; r++) {
        const [sum, ns] = execFileSync(native.exe, [String(w), String(reps)], { encoding: 'utf8' }).trim().split(/\s+/);
        nSum = sum;
        nativeSeconds = Math.min(nativeSeconds, Number(ns) / 1e9);
      }
      out[name] = {
        reps,
        instructions: best.insns,
        mips: best.insns / best.seconds / 1e6,
        seconds: best.seconds,
        nativeSeconds,
        timesNative: best.seconds / nativeSeconds,
        checksum: best.sum,
        nativeChecksum: nSum,
        match: best.sum === nSum,
      };
    }
    return out;
  } finally {
    src.cleanup();
    native.cleanup();
  }
}

export function printMips(res) {
  console.log('workload   guest insns      MIPS   interp ms   native ms   x native   checksum');
  for (const [name, v] of Object.entries(res)) {
    console.log(
      `${name.padEnd(8)} ${String(v.instructions).padStart(13)} ${v.mips.toFixed(1).padStart(9)} ${(v.seconds * 1e3).toFixed(1).padStart(11)} ${(v.nativeSeconds * 1e3).toFixed(3).padStart(11)} ${v.timesNative.toFixed(0).padStart(10)}   ${v.checksum} ${v.match ? '= native' : `!= native ${v.nativeChecksum}`}`,
    );
  }
  const vals = Object.values(res);
  const geo = (f) => Math.exp(vals.reduce((s, v) => s + Math.log(f(v)), 0) / vals.length);
  if (vals.length > 1) console.log(`geomean  ${' '.repeat(13)} ${geo((v) => v.mips).toFixed(1).padStart(9)} ${' '.repeat(23)} ${geo((v) => v.timesNative).toFixed(0).padStart(10)}`);
}

if (isMain(import.meta.url)) {
  const res = await cpuMips();
  printMips(res);
  if (Object.values(res).some((v) => !v.match)) process.exitCode = 1;
}
