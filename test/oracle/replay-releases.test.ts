// Ground truth on other kernels: transcripts/<release>/ holds experiments recorded on that real
// kernel (RELEASE=<release> scripts/oracle/run.sh, with the examples built by its own headers).
// Here the examples are built with the same headers, a mount emulates that release, and the
// same scripts must print the same text (masks as in replay.test.ts, nothing else).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExamples, EXAMPLES, installedHeaders } from '../helpers/kbuild.js';
import { mask, replay, ROOT, shimDir } from './replay.js';

const releases = readdirSync(join(ROOT, 'transcripts'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d+\.\d+/.test(d.name) && existsSync(join(ROOT, 'transcripts', d.name, 'VERSIONS.txt')))
  .map((d) => d.name);
const headers = installedHeaders();
const shims = shimDir();
afterAll(() => rmSync(shims, { recursive: true, force: true }));

/** The example modules examples/Makefile builds (its obj-m list). */
function exampleNames(): string[] {
  const mk = readFileSync(join(EXAMPLES, 'Makefile'), 'utf8');
  const m = /obj-m\s*:=((?:[^\n]*\\\n)*[^\n]*)/.exec(mk);
  return (m?.[1] ?? '').replace(/\\\n/g, ' ').split(/\s+/).filter((w) => w.endsWith('.o')).map((w) => w.slice(0, -2));
}

describe.each(releases)('modfs replays the real %s kernel', (release) => {
  const dir = headers.get(release);
  const experiments = readdirSync(join(ROOT, 'transcripts', release))
    .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt')
    .map((f) => f.slice(0, -4));
  if (!dir) {
    it.skip(`needs linux-headers-${release} (apt-get install it; .ci/run does)`, () => {});
    return;
  }
  let ko = '';
  it.each(experiments)('%s', async (name) => {
    ko ||= buildExamples(dir, exampleNames());
    const want = mask(readFileSync(join(ROOT, 'transcripts', release, `${name}.txt`), 'utf8'));
    const got = mask(await replay(name, shims, { kernel: release, ko }));
    expect(got).toBe(want);
  }, 600_000);
});
