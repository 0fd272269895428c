// The real kernel's transcripts (transcripts/, made by scripts/oracle/run.sh) replayed inside
// `modfs shell -c` with the real Debian tools: kmod's insmod, rmmod, lsmod, modinfo, modprobe and
// depmod, util-linux dmesg, coreutils, vim, all reading and writing the real paths (/proc/modules,
// /sys/module, /dev/kmsg, /lib/modules) with SYS empty, exactly as they ran on the real kernel.
// Every experiment runs on a fresh mount, as each ran in a freshly booted kernel. An experiment
// with "#@root" lines is a non-root user's: root prepares in a root shell, then the script runs in
// a `modfs shell` started by a real unprivileged user (the user-namespace path).
//
// Compared after the masks every replay uses (test/oracle/replay.ts: times, addresses, pids, stack
// dumps) and the ones below, each with its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explain } from '../oracle/replay.js';
import { KO, ROOT, nonRootUser, removeScratch, rootSetup, startShellMount } from './helpers.js';

afterAll(removeScratch);

const SHELL_EXPLAINED: Array<{ pattern: RegExp; replace: string; why: string; nonRootOnly?: boolean }> = [
  {
    pattern: new RegExp(KO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'),
    replace: '/ko',
    why: "the experiments' .ko directory is /ko in the guest and examples/ko here; modinfo prints it",
  },
  {
    pattern: / nobody nogroup$/gm,
    replace: ' root root',
    why:
      "a non-root modfs shell is a user namespace that maps only its user, so root's files (the " +
      "tree's, as every other) show as the overflow user and group; the kernel's checks still use root",
    nonRootOnly: true,
  },
];

const experiments = readdirSync(join(ROOT, 'transcripts'))
  .filter((f) => f.endsWith('.txt') && f !== 'VERSIONS.txt')
  .map((f) => f.slice(0, -4))
  .filter((n) => readdirSync(join(ROOT, 'experiments')).includes(`${n}.sh`))
  .filter((n) => {
    // Device nodes and /sys/class entries appear under the mount after the shell planned its
    // binds (src/shell/binds.ts binds what exists at launch), so these run only at $SYS.
    const why = /^# not in modfs shell: (.*)$/m.exec(readFileSync(join(ROOT, 'experiments', `${n}.sh`), 'utf8'));
    if (why) process.stdout.write(`shell replay: ${n} skipped: ${why[1]}\n`);
    return !why;
  });

function compareForm(name: string, text: string, nonRoot: boolean): string {
  let t = text;
  for (const e of SHELL_EXPLAINED) if (!e.nonRootOnly || nonRoot) t = t.replace(e.pattern, e.replace);
  return explain(name, t);
}

describe('the real tools inside modfs shell print what the real kernel made them print', () => {
  it.each(experiments)(
    '%s',
    async (name) => {
      const setup = rootSetup(name);
      const script = join(ROOT, 'experiments', `${name}.sh`);
      const m = await startShellMount();
      try {
        let out: string;
        if (setup) {
          const prep = m.sh(setup);
          expect(prep.code, prep.stderr).toBe(0);
          const r = m.sh(`SYS= KO='${KO}' TMPDIR=/tmp sh '${script}'`, { user: nonRootUser() });
          out = r.stdout + r.stderr;
        } else {
          const r = m.sh(`SYS= KO='${KO}' sh '${script}'`);
          out = r.stdout + r.stderr;
        }
        const want = compareForm(name, readFileSync(join(ROOT, 'transcripts', `${name}.txt`), 'utf8'), setup !== '');
        expect(compareForm(name, out, setup !== '')).toBe(want);
      } finally {
        await m.stop();
      }
    },
    300_000,
  );
});
