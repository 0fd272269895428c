// Compiling a daemon entry point (and everything it imports) for a child process.
// Node 20 cannot run TypeScript, tsx is not a dependency, and dist/ may be stale or broken by
// unrelated work; so each test run compiles just what its daemon needs, with the project's
// compiler settings, into a private directory under node_modules/.cache/modfs (inside the repo so
// that the project's dependencies resolve). About 2 s.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const built = new Map<string, string>();

/** Compile `entry` (a .ts path relative to the repo); returns the absolute path of its .js. */
export function compileEntry(entry: string): string {
  const src = resolve(REPO, entry);
  const hit = built.get(src);
  if (hit) return hit;
  const cache = join(REPO, 'node_modules', '.cache', 'modfs');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'test-build-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  // Under node_modules Node stops looking for the repo's package.json: say "ESM" here.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    tsc, '--ignoreConfig', '--outDir', out, '--rootDir', REPO,
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--strict', '--skipLibCheck', '--types', 'node', '--sourceMap', src,
  ];
  try {
    execFileSync(process.execPath, args, { cwd: REPO, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc ${entry} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
  const js = join(out, relative(REPO, src)).replace(/\.ts$/, '.js');
  built.set(src, js);
  return js;
}
