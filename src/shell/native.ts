// The native pieces `modfs shell` stands on (native/, built at install when a C compiler
// exists), and the exact message when they are missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The repository (or installed package) root. */
export const PACKAGE_ROOT = root.replace(/\/$/, '');

export const NATIVE = {
  /** The launcher: mount namespace, binds, seccomp fence (native/modfs-enter.c). */
  enter: `${PACKAGE_ROOT}/native/build/modfs-enter`,
  /** The LD_PRELOAD shim (native/modfs-preload/). */
  preload: `${PACKAGE_ROOT}/native/build/libmodfs-preload.so`,
};

/** Shell scripts the shell puts first on PATH (sudo) and its start-up files. */
export const SHELL_BIN = `${PACKAGE_ROOT}/src/shell/bin`;
export const SHELL_ENV = `${PACKAGE_ROOT}/src/shell/env`;

/** null when everything is built; else what is missing and how to get it. */
export function missingNative(have: (p: string) => boolean = existsSync): string | null {
  const missing = Object.values(NATIVE).filter((p) => !have(p));
  if (missing.length === 0) return null;
  return (
    `native helpers are not built: missing ${missing.join(' and ')}.\n` +
    `They are compiled from ${PACKAGE_ROOT}/native at 'npm install' when a C compiler and make ` +
    `exist. Install them (Debian: apt-get install gcc make libc6-dev), then run ` +
    `'npm run build:native' in ${PACKAGE_ROOT}.`
  );
}
