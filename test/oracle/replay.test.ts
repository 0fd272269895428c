// Ground truth: every experiment in experiments/ was run on Debian's real 6.1 kernel under QEMU
// (scripts/oracle/run.sh) and its output recorded in transcripts/. Here the same scripts run
// against a fresh modfs mount and must print the same text. Only values that differ between two
// boots of the real kernel are masked (replay.ts: timestamps, module addresses, pids); every other
// difference is either fixed in modfs or listed below with the reason.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explain, replay, ROOT, shimDir } from './replay.js';

const shims = shimDir();
afterAll(() => rmSync(shims, { recursive: true, force: true }));

const experiments = readdirSync(join(ROOT, 'transcripts'))
  .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt')
  .map((f) => f.slice(0, -4))
  .filter((n) => readdirSync(join(ROOT, 'experiments')).includes(`${n}.sh`))
  .filter((n) => {
    // These run the real tools (modprobe, depmod, sudo, vi...), which the CLI shims here do not
    // stand for; test/shell/ replays them inside `modfs shell`.
    const needsShell = /^# needs: modfs shell/m.test(readFileSync(join(ROOT, 'experiments', `${n}.sh`), 'utf8'));
    if (needsShell) process.stdout.write(`replay: ${n} skipped here: it needs modfs shell (test/shell/replay.test.ts)\n`);
    // Benchmarks print timings, not a transcript (bench/*.mjs run them).
    const bench = /^# bench:/m.test(readFileSync(join(ROOT, 'experiments', `${n}.sh`), 'utf8'));
    if (bench) process.stdout.write(`replay: ${n} skipped here: it is a benchmark\n`);
    return !needsShell && !bench;
  });


describe('modfs replays the real kernel transcripts', () => {
  it.each(experiments)('%s', async (name) => {
    const want = explain(name, readFileSync(join(ROOT, 'transcripts', `${name}.txt`), 'utf8'));
    const got = explain(name, await replay(name, shims));
    expect(got).toBe(want);
  }, 300_000);
});
