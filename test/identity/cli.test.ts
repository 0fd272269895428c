// `modfs kernel` makes the same choice `modfs mount` makes, from --kernel or MODFS_KERNEL, and
// says where it came from; a release without headers is refused with the package to install.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/compile.js';
import { requiredHeaders } from './required.js';

const BIN = resolve(REPO, 'bin/modfs.js');
const H = requiredHeaders();
const modfs = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('modfs kernel', () => {
  it('reports the headers named by --kernel, and by MODFS_KERNEL', () => {
    const a = modfs(['kernel', '--kernel', H.rt.release], { MODFS_KERNEL: '' });
    expect(a.status).toBe(0);
    expect(a.stdout).toContain(`release:   ${H.rt.release}\n`);
    expect(a.stdout).toContain(`vermagic:  ${H.rt.release} SMP preempt_rt mod_unload modversions \n`);
    expect(a.stdout).toMatch(/^exports: {3}\d+ exported by vmlinux, \d+ implemented by modfs$/m);
    const b = modfs(['kernel', '-F', 'from'], { MODFS_KERNEL: H.old.dir });
    expect(b.stdout).toBe(`MODFS_KERNEL=${H.old.dir}\n`);
    const c = modfs(['kernel', '-F', 'from', '--kernel', '6.1.0-56-amd64'], { MODFS_KERNEL: H.old.dir });
    expect(c.stdout).toBe('the identity bundled with modfs (--kernel 6.1.0-56-amd64)\n');
  });

  it('refuses a release it has no headers for, and a mount does too', () => {
    const r = modfs(['kernel', '--kernel', '6.1.0-99-amd64']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^modfs kernel: no headers for kernel 6\.1\.0-99-amd64: .*apt-get install linux-headers-6\.1\.0-99-amd64/);
    const m = modfs(['mount', '/tmp/modfs-never-mounted', '--kernel', '6.1.0-99-amd64']);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/^modfs mount: no headers for kernel 6\.1\.0-99-amd64/);
  });
});
