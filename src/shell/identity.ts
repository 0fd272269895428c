// The emulated kernel's identity as the mounted tree tells it: uname's release and version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KernelIdentity {
  /** uname -r: /proc/sys/kernel/osrelease. */
  release: string;
  /** uname -v: the UTS version, the last field of /proc/version; '' when it cannot be told. */
  version: string;
}

/**
 * The UTS version from a /proc/version line. The kernel prints it as
 * "Linux version %s (%s) (%s) %s" (release, builder, compiler, version: init/version.c), and the
 * compiler field has parentheses of its own, so the two groups are skipped by balance.
 */
export function utsVersion(procVersion: string, release: string): string {
  const line = procVersion.split('\n')[0] ?? '';
  const head = `Linux version ${release} `;
  if (!line.startsWith(head)) return '';
  let i = head.length;
  for (let group = 0; group < 2; group++) {
    if (line[i] !== '(') return '';
    let depth = 0;
    for (; i < line.length; i++) {
      if (line[i] === '(') depth++;
      else if (line[i] === ')' && --depth === 0) break;
    }
    if (depth !== 0) return '';
    i += 2; // ") "
  }
  return line.slice(i);
}

export function readIdentity(mount: string): KernelIdentity {
  const release = readFileSync(join(mount, 'proc/sys/kernel/osrelease'), 'latin1').trim();
  let version = '';
  try {
    version = utsVersion(readFileSync(join(mount, 'proc/version'), 'latin1'), release);
  } catch {
    /* an older tree without /proc/version: uname -v stays the host's */
  }
  return { release, version };
}
