#!/usr/bin/env node
// Run .ko files on modfs's emulated kernel (the compiled dist/ tree: `npm run build` first) and
// print what each module's init printed, for the differential scripts (scripts/diff-*.sh,
// scripts/csmith-*.sh).
//
//   node scripts/diff-run.mjs [--budget N] [--json] a.ko [b.ko ...]
//
// Text mode prints the module's lines as they are. --json prints one JSON object per module:
// {"ko","lines","instructions","ms","error"?}. Each module gets a fresh kernel.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Kernel } = await import(join(root, 'dist/kernel/kernel.js'));
const { loadModule } = await import(join(root, 'dist/kernel/loader/load-module.js'));
const { deleteModule } = await import(join(root, 'dist/kernel/unload.js'));

const LOADER_NOISE = /^[\w-]+: (loading out-of-tree module taints kernel\.|module verification failed: .*)$/;

let budget = 2e9;
let json = false;
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--budget') budget = Number(argv[++i]);
  else if (argv[i] === '--json') json = true;
  else files.push(argv[i]);
}

for (const ko of files) {
  const t0 = performance.now();
  const k = new Kernel({ budget, kaslrPages: 1 });
  const from = k.log.nextSeq;
  const i0 = k.cpu.instructionCount;
  let error;
  let name;
  try {
    name = loadModule(k, new Uint8Array(readFileSync(ko))).name;
  } catch (e) {
    error = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  }
  const instructions = k.cpu.instructionCount - i0;
  if (name !== undefined) {
    try {
      deleteModule(k, name, false);
    } catch (e) {
      error = `unload: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const dec = new TextDecoder('latin1');
  const lines = [];
  for (const r of k.log.recordsFrom(from)) {
    const text = dec.decode(r.text).replace(/\n$/, '');
    if (!LOADER_NOISE.test(text)) lines.push(...text.split('\n'));
  }
  const ms = Math.round(performance.now() - t0);
  if (json) process.stdout.write(JSON.stringify({ ko, lines, instructions, ms, ...(error ? { error } : {}) }) + '\n');
  else {
    for (const l of lines) process.stdout.write(l + '\n');
    if (error) process.stderr.write(`${ko}: ${error}\n`);
  }
}
