// Building real modules with a kernel headers tree's own kbuild, for tests that need modules for
// a build other than the committed fixtures' (examples/ko is built for the bundled identity).
// Results are cached per headers tree and source, under node_modules/.cache/modfs/kbuild.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO } from './compile.js';

export const EXAMPLES = resolve(REPO, 'examples');

/** Debian headers trees installed under /usr/src, by release. */
export function installedHeaders(root = '/usr/src'): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    /* none */
  }
  for (const n of names) {
    const dir = join(root, n);
    if (n.startsWith('linux-headers-') && existsSync(join(dir, 'Module.symvers')) && existsSync(join(dir, '.config'))) {
      out.set(n.slice('linux-headers-'.length), dir);
    }
  }
  return out;
}

/**
 * Build `examples/<name>.c` for each name against `kdir`; returns the directory holding the
 * .ko files. Throws with kbuild's output when the build fails.
 */
export function buildExamples(kdir: string, names: string[]): string {
  const h = createHash('sha256').update(kdir);
  for (const n of names) h.update(n).update(readFileSync(join(EXAMPLES, `${n}.c`)));
  const dir = join(REPO, 'node_modules', '.cache', 'modfs', 'kbuild', h.digest('hex').slice(0, 16));
  if (names.every((n) => existsSync(join(dir, `${n}.ko`)))) return dir;
  const work = `${dir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const n of names) copyFileSync(join(EXAMPLES, `${n}.c`), join(work, `${n}.c`));
  writeFileSync(join(work, 'Kbuild'), `obj-m := ${names.map((n) => `${n}.o`).join(' ')}\n`);
  try {
    execFileSync('make', ['-s', '-C', kdir, `M=${work}`, 'modules'], { stdio: 'pipe', timeout: 600_000 });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`kbuild against ${kdir} failed:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return dir;
}
