// modfs's commands in a pipe behave as C tools do (issue 7, item 5): when the reader goes away,
// the command dies of SIGPIPE without a word (status 141 under `set -o pipefail`, the pipeline
// itself 0), and `dmesg -w` ends as soon as its reader has gone, not at its next record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from '../e2e/modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
  for (const ko of ['hello', 'helloworld', 'exporter']) expect(m.modfs(`insmod $KO/${ko}.ko`).code).toBe(0);
});
afterAll(async () => {
  m.modfs('rmmod hello helloworld exporter');
  await m.stop();
});

/** `CMD | head -n N` with pipefail; the statuses of both ends and what the pipeline printed. */
function pipe(cmd: string, n = 1) {
  const r = m.sh(`set -o pipefail; ${cmd} | head -n ${n}; echo "status \${PIPESTATUS[0]} \${PIPESTATUS[1]}"`);
  return { out: r.stdout, err: r.stderr };
}

describe('a reader that leaves early', () => {
  // dmesg writes a record at a time, so a write always follows head's exit; the others may
  // have written everything before head left (one write for lsmod's table, as kmod's stdio
  // does), and then finish normally like the C tools.
  it.each([
    ['dmesg', 'modfs dmesg', /^status 141 0$/],
    ['dmesg -r', 'modfs dmesg -r', /^status 141 0$/],
    ['lsmod', 'modfs lsmod', /^status (0|141) 0$/],
    ['modinfo', 'modfs modinfo $KO/types.ko', /^status (0|141) 0$/],
    ['check', 'modfs check $KO/types.ko $KO/hello.ko $KO/helloworld.ko', /^status (0|141) 0$/],
  ])('%s: one line, then SIGPIPE, no stack trace', (_name, cmd, status) => {
    const r = pipe(cmd);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(status);
  });

  it('a reader that reads nothing: the first write ends the command the same way', () => {
    const r = pipe('modfs lsmod', 0);
    expect(r).toEqual({ out: 'status 141 0\n', err: '' });
  });

  it('dmesg -w ends when its reader has gone, with no new record to write', () => {
    // timeout is only the hang guard: 124 would mean dmesg -w outlived its reader.
    const r = m.sh('set -o pipefail; timeout 30 node "$BIN" dmesg -w -m "$M" | head -n 1; echo "status ${PIPESTATUS[0]} ${PIPESTATUS[1]}"'.replaceAll('"$BIN"', `'${process.cwd()}/bin/modfs.js'`));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\[\s*\d+\.\d{6}\] .*\nstatus 141 0\n$/);
  });

  it('dmesg -w still follows new records while its reader stays', () => {
    const r = m.sh(`(sleep 1; modfs rmmod hello) & timeout 5 node '${process.cwd()}/bin/modfs.js' dmesg -w -m "$M" | grep -m 1 'GoodBye'; wait`);
    expect(r.stdout).toMatch(/\] GoodBye, cruel world!\n$/);
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
  });
});
