// The kernel's own lib/ self-tests (lib/test_*.c from Debian's linux-source-6.1, built by kbuild
// with scripts/build-selftests.sh) loaded on modfs through a real mount: each must print what it
// printed on the real Debian 6.1 kernel under QEMU (transcripts/selftests/, recorded by
// scripts/selftests-oracle.sh with the same experiment script, experiments/selftests/selftest.sh).
// Their result lines ("all 6550 tests passed", "String selftests succeeded", ...) summarise
// thousands of checks of the kernel library modfs implements in TypeScript.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';
import { mask, ROOT, shimDir } from '../oracle/replay.js';

const BIN = join(ROOT, 'bin/modfs.js');
const TRANSCRIPTS = join(ROOT, 'transcripts/selftests');

/** What differs between two runs of the same self-test, on the real kernel as on modfs. */
const MASKS: Array<{ pattern: RegExp; replace: string; why: string }> = [
  {
    pattern: /\r/g,
    replace: '',
    why: 'the oracle records a serial console and drops every carriage return (scripts/selftests-oracle.sh, tr -d); lib_extra prints one raw',
  },
  {
    pattern: /, Time: \d+$/gm,
    replace: ', Time: N',
    why: 'test_bitmap prints how many nanoseconds bitmap_parselist and bitmap_print_to_pagebuf took',
  },
];

const tests = readdirSync(TRANSCRIPTS)
  .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt')
  .map((f) => f.slice(0, -4));

let koDir: string | undefined;
let why = '';
const shims = shimDir();
afterAll(() => rmSync(shims, { recursive: true, force: true }));

beforeAll(() => {
  // Builds once per headers/source/script change (cached under node_modules/.cache). Exit 2:
  // nothing to build with (no linux-source-6.1 or headers; .ci/run installs both), so the
  // tests say why and skip; any other failure is the build's and fails them.
  const r = spawnSync('bash', [join(ROOT, 'scripts/build-selftests.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0) koDir = r.stdout.trim();
  else if (r.status === 2) {
    why = r.stderr.trim();
    console.warn(`selftests skipped: ${why}`);
  } else throw new Error(`scripts/build-selftests.sh failed (exit ${r.status}):\n${r.stderr}`);
}, 600_000);

function normal(text: string): string {
  let t = mask(text);
  for (const m of MASKS) t = t.replace(m.pattern, m.replace);
  return t;
}

async function runOnModfs(test: string, ko: string): Promise<string> {
  // Emulate the build the modules were made for: the headers' release (the cache dir's name),
  // or the KDIR they were built against.
  const kernel = process.env.KDIR ?? basename(ko);
  const daemon = await startDaemon([BIN, 'mount', '{mount}', '--kernel', kernel]);
  try {
    const r = spawnSync('sh', [join(ROOT, 'experiments/selftests/selftest.sh')], {
      env: { ...process.env, SYS: daemon.mountDir, KO: ko, TEST: test, PATH: `${shims}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 240_000,
    });
    return (r.stdout ?? '') + (r.stderr ?? '');
  } finally {
    await daemon.stop();
  }
}

describe('the kernel lib self-tests print what they print on the real kernel', () => {
  it.each(tests)('%s', async (test) => {
    if (!koDir) {
      console.warn(`${test}: skipped: ${why}`);
      return;
    }
    const want = normal(readFileSync(join(TRANSCRIPTS, `${test}.txt`), 'utf8'));
    const got = normal(await runOnModfs(test, koDir));
    expect(got).toBe(want);
  }, 300_000);
});
