// Differential test, generated corpus: csmith programs (fixed seeds, examples/diff/csmith/
// seeds.txt) built as kernel modules by Debian's 6.1 kbuild; each module's init runs the program,
// whose last act is printing its checksum, and the line must equal the native program's.
// scripts/csmith-fixtures.sh rebuilds the fixtures; scripts/csmith-soak.sh runs new seeds.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModule } from './run-module.js';

const DIR = resolve(import.meta.dirname, '../../examples/diff/csmith');
const BATCH = 25;

interface Program {
  seed: string;
  expected: string;
  instructions: number;
}

const programs: Program[] = existsSync(join(DIR, 'seeds.txt'))
  ? readFileSync(join(DIR, 'seeds.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [seed, expected, insns] = l.split('\t');
        return { seed: seed!, expected: expected!, instructions: Number(insns) };
      })
  : [];

describe('csmith corpus (examples/diff/csmith)', () => {
  it('has at least 200 programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(200);
  });

  for (let b = 0; b < programs.length; b += BATCH) {
    const batch = programs.slice(b, b + BATCH);
    describe(`seeds ${batch[0]!.seed}..${batch.at(-1)!.seed}`, () => {
      for (const p of batch) {
        it(`seed ${p.seed}`, () => {
          const image = new Uint8Array(readFileSync(join(DIR, 'ko', `cs_${p.seed}.ko`)));
          // Four times the instructions it took when the fixture was made: a runaway is a lockup report.
          // Once as the product runs it, once with every trace compiled on first sight.
          for (const hot of [undefined, 1]) {
            const run = runModule(image, Math.max(4 * p.instructions, 1_000_000), hot);
            expect(run.error).toBeUndefined();
            expect(run.lines.join('|')).toBe(p.expected);
          }
        });
      }
    });
  }
});
