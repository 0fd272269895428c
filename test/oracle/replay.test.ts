// Ground truth: every experiment in experiments/ was run on Debian's real 6.1 kernel under QEMU
// (scripts/oracle/run.sh) and its output recorded in transcripts/. Here the same scripts run
// against a fresh modfs mount and must print the same text. Only values that differ between two
// boots of the real kernel are masked (replay.ts: timestamps, module addresses, pids); every other
// difference is either fixed in modfs or listed below with the reason.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mask, replay, ROOT, shimDir } from './replay.js';

/** Explained differences: applied to both sides before comparing. */
const EXPLAINED: Record<string, Array<{ pattern: RegExp; replace: string; why: string }>> = {
  '*': [
    {
      pattern: /^kmsg: CPU: 0 PID: N Comm: .*\n(?:kmsg: .*\n)*?kmsg:  <\/TASK>\n/gm,
      replace: 'kmsg: <stack dump>\n',
      why:
        "a stack dump (dump_stack or an oops) names the machine (QEMU's BIOS), the real kernel's own " +
        'functions and their offsets, user-space registers and scheduler frames that differ between boots',
    },
    {
      pattern: /^kmsg: ---\[ end trace [0-9a-f]+ \]---\n(?:kmsg: (?:RIP|Code|RSP|RAX|RDX|RBP|R10|R13|FS|CS|CR2): ?.*\n)*(?:kmsg: note: \S+ exited with irqs disabled\n)?/gm,
      replace: 'kmsg: ---[ end trace ]---\n',
      why: "after an oops the kernel repeats the registers of the dying task, which are another boot's values",
    },
  ],
};

const shims = shimDir();
afterAll(() => rmSync(shims, { recursive: true, force: true }));

const experiments = readdirSync(join(ROOT, 'transcripts'))
  .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt')
  .map((f) => f.slice(0, -4))
  .filter((n) => readdirSync(join(ROOT, 'experiments')).includes(`${n}.sh`));

function explain(name: string, text: string): string {
  let t = mask(text);
  for (const e of [...(EXPLAINED['*'] ?? []), ...(EXPLAINED[name] ?? [])]) t = t.replace(e.pattern, e.replace);
  return t;
}

describe('modfs replays the real kernel transcripts', () => {
  it.each(experiments)('%s', async (name) => {
    const want = explain(name, readFileSync(join(ROOT, 'transcripts', `${name}.txt`), 'utf8'));
    const got = explain(name, await replay(name, shims));
    expect(got).toBe(want);
  }, 300_000);
});
