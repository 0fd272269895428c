// The pure parts of modfs shell: which tree files cover which real paths, the UTS version out of
// /proc/version, the user's /lib/modules and its mount point, and the message when native/ is
// not built.
import { existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planBinds, type Probe } from '../../src/shell/binds.js';
import { utsVersion } from '../../src/shell/identity.js';
import { ensureMountPoint, modulesBase, prepareModulesDir } from '../../src/shell/modules-dir.js';
import { NATIVE, missingNative } from '../../src/shell/native.js';
import { removeScratch, scratch } from './helpers.js';

afterAll(removeScratch);

describe('planBinds', () => {
  function tree(): string {
    const d = scratch();
    for (const dir of ['proc/sys/kernel', 'sys/module/printk', 'sys/kernel/modctl', 'sys/kernel/debug', 'dev']) mkdirSync(join(d, dir), { recursive: true });
    for (const f of ['proc/modules', 'proc/kallsyms', 'proc/version', 'proc/sys/kernel/osrelease', 'dev/kmsg', 'sys/kernel/modctl/load']) writeFileSync(join(d, f), '');
    return d;
  }
  const host = (present: string[]): Probe => (p) => {
    if (present.includes(p)) return p.includes('.') || /modules$|kallsyms$|version$|osrelease$|kmsg$/.test(p) ? 'file' : 'dir';
    if (!p.startsWith('/') || p.startsWith('/tmp/')) return lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ? 'dir' : existsSync(p) ? 'file' : 'none';
    return 'none';
  };

  it('binds whole directories the tree owns, files one by one in /proc and /dev, never the controls', () => {
    const d = tree();
    const plan = planBinds(d, host(['/sys/module', '/sys/kernel/debug', '/proc/modules', '/proc/kallsyms', '/proc/version', '/proc/sys/kernel/osrelease', '/dev/kmsg']));
    expect(plan.binds).toEqual([
      [join(d, 'sys/module'), '/sys/module'],
      [join(d, 'sys/kernel/debug'), '/sys/kernel/debug'],
      [join(d, 'proc/kallsyms'), '/proc/kallsyms'],
      [join(d, 'proc/modules'), '/proc/modules'],
      [join(d, 'proc/sys/kernel/osrelease'), '/proc/sys/kernel/osrelease'],
      [join(d, 'proc/version'), '/proc/version'],
      [join(d, 'dev/kmsg'), '/dev/kmsg'],
    ]);
    expect(plan.rewrites).toEqual([]);
  });

  it('a file the host lacks (a kernel without modules has no /proc/modules) is redirected instead', () => {
    const d = tree();
    const plan = planBinds(d, host(['/sys/module', '/proc/kallsyms', '/proc/version', '/proc/sys/kernel/osrelease', '/dev/kmsg']));
    expect(plan.rewrites).toEqual(['/proc/modules']);
    expect(plan.binds.map(([, to]) => to)).not.toContain('/proc/modules');
    expect(plan.binds.map(([, to]) => to)).not.toContain('/sys/kernel/debug');
  });

  it("the tree's device classes cover the host's /sys/class whole", () => {
    const d = tree();
    mkdirSync(join(d, 'sys/class'));
    const plan = planBinds(d, host(['/sys/module', '/sys/class']));
    expect(plan.binds.slice(0, 2)).toEqual([
      [join(d, 'sys/module'), '/sys/module'],
      [join(d, 'sys/class'), '/sys/class'],
    ]);
  });
});

describe('utsVersion', () => {
  it('is the last field of /proc/version, past the two parenthesised groups', () => {
    const line =
      'Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)\n';
    expect(utsVersion(line, '6.1.0-56-amd64')).toBe('#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)');
  });
  it('is empty when the line is not of that form', () => {
    expect(utsVersion('Linux version 6.1.0-56-amd64 (x\n', '6.1.0-56-amd64')).toBe('');
    expect(utsVersion('Linux version 6.2 (a) (b) #1\n', '6.1.0-56-amd64')).toBe('');
  });
});

describe('the user’s /lib/modules', () => {
  it('lives under XDG_DATA_HOME, else ~/.local/share', () => {
    expect(modulesBase({ XDG_DATA_HOME: '/x/data', HOME: '/home/u' })).toBe('/x/data/modfs/lib/modules');
    expect(modulesBase({ HOME: '/home/u' })).toBe('/home/u/.local/share/modfs/lib/modules');
    expect(modulesBase({ XDG_DATA_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.local/share/modfs/lib/modules');
  });

  it('gets the release directory and its build link to the headers; an unwritable home is reported', () => {
    const data = scratch();
    const rel = '6.1.0-56-amd64';
    const md = prepareModulesDir(rel, { XDG_DATA_HOME: data });
    expect(md.base).toBe(join(data, 'modfs/lib/modules'));
    if (md.headers) expect(readlinkSync(join(md.releaseDir, 'build'))).toBe(md.headers);
    else process.stdout.write(`no headers for ${rel} here: the build link is not checked\n`);
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    const bad = prepareModulesDir(rel, { XDG_DATA_HOME: file });
    expect(bad.base).toBeNull();
    expect(bad.notes[0]).toBe(
      `cannot create ${file}/modfs/lib/modules/${rel} (ENOTDIR): /lib/modules stays the host's; set XDG_DATA_HOME to a directory you can write`,
    );
  });

  it('its mount point: root creates a missing one, a user is told exactly what is missing', () => {
    const at = join(scratch(), 'lib/modules');
    mkdirSync(join(at, '..'));
    const user = ensureMountPoint(false, at);
    expect(user.ok).toBe(false);
    expect(user.note).toBe(
      `${at} does not exist on this machine and only root can create it; inside the shell ` +
        `${at} is therefore missing (modprobe and depmod fail). Ask an administrator to run ` +
        `'mkdir ${at}' (an empty directory is enough), or install a kernel headers package.`,
    );
    const root = ensureMountPoint(true, at);
    expect(root).toEqual({ ok: true, note: `created ${at} on this machine (an empty directory: the mount point for your modules)` });
    expect(ensureMountPoint(false, at)).toEqual({ ok: true });
  });
});

describe('missingNative', () => {
  it('names what is missing and how to build it', () => {
    expect(missingNative(() => true)).toBeNull();
    const msg = missingNative((p) => p !== NATIVE.preload);
    expect(msg).toMatch(/^native helpers are not built: missing \S+\/native\/build\/libmodfs-preload\.so\.\n/);
    expect(msg).toMatch(/apt-get install gcc make libc6-dev\), then run 'npm run build:native'/);
  });
});
