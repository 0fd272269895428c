// Your headers, your kernel, for the kernel's own lib self-tests: built from linux-source-6.1
// against each installed 6.1 headers flavour (the current plain build, PREEMPT_RT, an older ABI),
// they load on a mount emulating that flavour with no version check failing, and print what they
// printed on the real 6.1.0-56 kernel. One mount per flavour runs all of them in turn, so the
// once-per-boot taint lines are left out of the comparison (they appear for the first module only).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';
import { requiredHeaders, type Headers } from '../identity/required.js';
import { mask, ROOT, shimDir } from '../oracle/replay.js';

const BIN = join(ROOT, 'bin/modfs.js');
const TRANSCRIPTS = join(ROOT, 'transcripts/selftests');
const H = requiredHeaders();
const shims = shimDir();
afterAll(() => rmSync(shims, { recursive: true, force: true }));

// The kernel's 13 self-tests only; modfs's companion lib_extra prints build-specific values (the
// page->flags fields of %pGp: PREEMPT_RT has no NUMA balancing, so no lastcpupid field), which
// are the 6.1.0-56 build's in its transcript.
const tests = readdirSync(TRANSCRIPTS)
  .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt' && f !== 'lib_extra.txt')
  .map((f) => f.slice(0, -4));

/** Lines a fresh boot prints once, and test_bitmap's timings. */
function comparable(text: string): string {
  return mask(text)
    .replace(/\r/g, '')
    .replace(/, Time: \d+$/gm, ', Time: N')
    .split('\n')
    .filter((l) => !/loading out-of-tree module taints kernel\.|module verification failed: |loading test module taints kernel\./.test(l))
    .join('\n');
}

describe.each([
  ['plain', H.plain],
  ['rt', H.rt],
  ['older ABI', H.old],
] as Array<[string, Headers]>)('self-tests built with the %s headers', (_label, h) => {
  it('load without a version error and print the real kernel\'s results', async () => {
    const b = spawnSync('bash', [join(ROOT, 'scripts/build-selftests.sh')], { encoding: 'utf8', env: { ...process.env, KDIR: h.dir }, timeout: 900_000 });
    if (b.status !== 0) throw new Error(`build-selftests.sh with ${h.dir} (exit ${b.status}):\n${b.stderr}`);
    const ko = b.stdout.trim();
    const daemon = await startDaemon([BIN, 'mount', '{mount}', '--kernel', h.dir]);
    try {
      for (const test of tests) {
        const r = spawnSync('sh', [join(ROOT, 'experiments/selftests/selftest.sh')], {
          env: { ...process.env, SYS: daemon.mountDir, KO: ko, TEST: test, PATH: `${shims}:${process.env.PATH}` },
          encoding: 'utf8',
          timeout: 240_000,
        });
        const got = (r.stdout ?? '') + (r.stderr ?? '');
        expect(got, test).not.toMatch(/disagrees about version|no symbol version|version magic|Unknown symbol/);
        expect(comparable(got), test).toBe(comparable(readFileSync(join(TRANSCRIPTS, `${test}.txt`), 'utf8')));
      }
    } finally {
      await daemon.stop();
    }
  }, 1_200_000);
});
