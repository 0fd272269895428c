// Differential test, hand-written corpus: every examples/diff/<name>.c was built by Debian's 6.1
// kbuild as <name>.ko (-O2) and <name>_os.ko (-Os), and natively by gcc; the native program's
// stdout is examples/diff/expected/<name>.txt (scripts/diff-build.sh makes all of them). Each
// module runs in a fresh emulated kernel and must print exactly the native lines, in order.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModule } from './run-module.js';

const DIR = resolve(import.meta.dirname, '../../examples/diff');
const BUDGET = 200_000_000;

const modules = readdirSync(join(DIR, 'ko'))
  .filter((f) => f.endsWith('.ko'))
  .map((f) => f.slice(0, -3))
  .sort();

describe('differential corpus (examples/diff)', () => {
  it('has every corpus program at -O2 and -Os', () => {
    const sources = readdirSync(DIR).filter((f) => f.endsWith('.c') && !f.endsWith('_os.c') && !f.endsWith('.mod.c'));
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const s of sources) {
      const n = s.slice(0, -2);
      expect(modules).toContain(n);
      expect(modules).toContain(`${n}_os`);
    }
  });

  for (const name of modules) {
    it(`${name}.ko prints what the native build prints`, () => {
      const expected = readFileSync(join(DIR, 'expected', `${name.replace(/_os$/, '')}.txt`), 'latin1')
        .replace(/\n$/, '')
        .split('\n');
      // Once as the product runs it, once with every trace compiled on first sight.
      for (const hot of [undefined, 1]) {
        const run = runModule(new Uint8Array(readFileSync(join(DIR, 'ko', `${name}.ko`))), BUDGET, hot);
        expect(run.error).toBeUndefined();
        expect(run.lines).toEqual(expected);
      }
    });
  }
});
