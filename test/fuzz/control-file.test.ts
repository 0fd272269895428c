// Mutated .ko images written through a real mount: `cat mutated.ko > $M/sys/kernel/modctl/load`.
// Each write must fail with one of the kernel's errnos (its strerror text on cat's stderr) or
// succeed; the daemon must stay up and serving; afterwards a plain insmod/rmmod of hello.ko works.
//
// hello.ko itself is not mutated here: a mutant that oopses in init stays COMING under its name
// (as on a real kernel) and would make the final insmod fail with EBUSY for a legitimate reason.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KO, startModfs, type Modfs } from '../e2e/modfs.js';
import { anatomy, mutate, Rng, type Anatomy } from './mutate.js';

const CASES = Number(process.env.FUZZ_FS_CASES ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 0xc0ffee);

/** strerror texts of the errnos the emulated kernel may return from init_module. */
const ERRNO_TEXT = [
  'Exec format error',
  'No such file or directory',
  'Invalid argument',
  'Cannot allocate memory',
  'Device or resource busy',
  'File exists',
  'No space left on device',
  'Numerical result out of range',
  'Operation not permitted',
  'Bad address',
  'Key was rejected by service',
  'Bad message',
  'Owner died',
];

let m: Modfs;
let tmp: string;
beforeAll(async () => {
  m = await startModfs();
  tmp = mkdtempSync(join(tmpdir(), 'modfs-fuzz-'));
});
afterAll(async () => {
  await m?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const listed = (): string[] =>
  m
    .read('proc/modules')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]!);

describe('control file fuzz', () => {
  it(`${CASES} mutated images through $M/sys/kernel/modctl/load`, { timeout: 180_000 }, () => {
    const images: Anatomy[] = readdirSync(KO)
      .filter((f) => f.endsWith('.ko') && f !== 'hello.ko')
      .sort()
      .map((f) => anatomy(f, new Uint8Array(readFileSync(join(KO, f)))));
    const outcomes = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < CASES; i++) {
      const seed = (SEED + i * 0x9e3779b1) >>> 0;
      const r = new Rng(seed);
      const a = r.pick(images);
      const mut = mutate(a, r);
      const where = `seed=${seed} image=${a.name} mutation=${mut.what}`;
      const file = join(tmp, `case-${i}.ko`);
      writeFileSync(file, mut.bytes);
      const before = new Set(listed());
      const res = m.sh(`cat '${file}' > "$M/sys/kernel/modctl/load"`);
      if (res.code === 0) {
        outcomes.set('loaded', (outcomes.get('loaded') ?? 0) + 1);
        expect(res.stderr, where).toBe('');
      } else {
        expect(res.code, where).toBe(1);
        const text = ERRNO_TEXT.find((t) => res.stderr.includes(t));
        expect(text, `${where}: stderr ${JSON.stringify(res.stderr)}`).toBeDefined();
        outcomes.set(text!, (outcomes.get(text!) ?? 0) + 1);
      }
      // Still serving, and whatever loaded can be unloaded (forced when it has no exit).
      const after = listed();
      for (const name of after.filter((n) => !before.has(n))) {
        const u = m.sh(`echo '${name}' > "$M/sys/kernel/modctl/unload" || echo '-f ${name}' > "$M/sys/kernel/modctl/unload"`);
        // A module left COMING by an oops in init, or whose exit oopses, stays as a real kernel keeps it.
        if (u.code !== 0) expect(u.stderr, `${where}: unload ${name}`).toMatch(/Device or resource busy|Resource temporarily unavailable|No such file/);
      }
      expect(m.daemon.proc.exitCode, where).toBeNull();
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(`control file fuzz: ${CASES} cases in ${secs.toFixed(1)} s (seed ${SEED}): ${[...outcomes].map(([k, v]) => `${k}=${v}`).join(', ')}`);

    expect(m.sh('cat "$M/proc/modules" > /dev/null').code).toBe(0);
    expect(m.modfs('dmesg').code).toBe(0);
    const ins = m.modfs('insmod $KO/hello.ko');
    expect(ins.code, ins.stderr).toBe(0);
    expect(listed()).toContain('hello');
    const rm = m.modfs('rmmod hello');
    expect(rm.code, rm.stderr).toBe(0);
    expect(listed()).not.toContain('hello');
  });
});
