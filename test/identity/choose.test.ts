// Which kernel a mount emulates (src/kernel/identity/choose.ts), every way of choosing it, with
// the real Debian headers trees installed under /usr/src (CI installs them) and the real probe.
// The default roots (/lib/modules, /usr/src, `uname -r`) are given as temporary directories of
// symlinks to those real trees, so each rule is exercised without touching the machine's own.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledIdentity, chooseIdentity, IdentityError, readHeaders } from '../../src/kernel/identity/index.js';
import { requiredHeaders } from './required.js';

const H = requiredHeaders();
const none = { env: {} as NodeJS.ProcessEnv };

function root(entries: Record<string, string>): string {
  const r = mkdtempSync(join(tmpdir(), 'modfs-identity-'));
  for (const [rel, target] of Object.entries(entries)) {
    mkdirSync(join(r, rel, '..'), { recursive: true });
    symlinkSync(target, join(r, rel));
  }
  return r;
}

const emptyRoots = () => ({ libModules: root({}), usrSrc: root({}), uname: '6.99.0-test' });

describe('--kernel and MODFS_KERNEL', () => {
  it('--kernel DIR reads that headers tree', () => {
    const id = chooseIdentity({ ...none, kernel: H.rt.dir });
    expect(id.release).toBe(H.rt.release);
    expect(id.origin).toEqual({ how: 'flag', path: H.rt.dir });
    expect(id.vermagic).toBe(`${H.rt.release} SMP preempt_rt mod_unload modversions `);
  });

  it('--kernel RELEASE names /usr/src/linux-headers-RELEASE, or /lib/modules/RELEASE/build first', () => {
    const usrSrc = root({ [`linux-headers-${H.old.release}`]: H.old.dir });
    const a = chooseIdentity({ ...none, kernel: H.old.release, libModules: root({}), usrSrc });
    expect(a.release).toBe(H.old.release);
    expect(a.origin).toEqual({ how: 'flag', path: join(usrSrc, `linux-headers-${H.old.release}`) });
    const libModules = root({ [`${H.old.release}/build`]: H.old.dir });
    const b = chooseIdentity({ ...none, kernel: H.old.release, libModules, usrSrc });
    expect(b.origin).toEqual({ how: 'flag', path: join(libModules, H.old.release, 'build') });
  });

  it('--kernel 6.1.0-56-amd64 is the bundled identity, whatever headers are installed', () => {
    const usrSrc = root({ 'linux-headers-6.1.0-56-amd64': H.plain.dir });
    const id = chooseIdentity({ ...none, kernel: '6.1.0-56-amd64', libModules: root({}), usrSrc });
    expect(id.origin.how).toBe('bundled');
    expect(id.release).toBe('6.1.0-56-amd64');
  });

  it('MODFS_KERNEL means the same, and --kernel wins over it', () => {
    const env = { MODFS_KERNEL: H.rt.dir };
    expect(chooseIdentity({ env }).origin).toEqual({ how: 'env', path: H.rt.dir });
    expect(chooseIdentity({ env, ...emptyRoots(), kernel: H.old.dir }).release).toBe(H.old.release);
    const byRelease = chooseIdentity({ env: { MODFS_KERNEL: H.old.release }, libModules: root({}), usrSrc: root({ [`linux-headers-${H.old.release}`]: H.old.dir }) });
    expect(byRelease.release).toBe(H.old.release);
  });

  it('names where it looked when a release has no headers', () => {
    expect(() => chooseIdentity({ ...none, ...emptyRoots(), kernel: '6.1.0-99-amd64' })).toThrow(IdentityError);
    expect(() => chooseIdentity({ ...none, ...emptyRoots(), kernel: '6.1.0-99-amd64' })).toThrow(/apt-get install linux-headers-6\.1\.0-99-amd64/);
    expect(() => chooseIdentity({ ...none, kernel: '/nonexistent/headers' })).toThrow(/no such directory/);
    expect(() => chooseIdentity({ ...none, kernel: '/usr' })).toThrow(/not a kernel headers tree/);
  });
});

describe('the default, as a tutorial Makefile finds its headers', () => {
  it('is /lib/modules/$(uname -r)/build when it exists', () => {
    const libModules = root({ '6.99.0-test/build': H.old.dir });
    const usrSrc = root({ [`linux-headers-${H.plain.release}`]: H.plain.dir });
    const id = chooseIdentity({ ...none, libModules, usrSrc, uname: '6.99.0-test' });
    expect(id.release).toBe(H.old.release);
    expect(id.origin).toEqual({ how: 'lib-modules', path: join(libModules, '6.99.0-test', 'build') });
  });

  it('else the newest release of the plain -amd64 flavour under /usr/src', () => {
    const usrSrc = root({
      [`linux-headers-${H.old.release}`]: H.old.dir,
      [`linux-headers-${H.plain.release}`]: H.plain.dir,
      [`linux-headers-${H.rt.release}`]: H.rt.dir,
    });
    const id = chooseIdentity({ ...none, libModules: root({}), usrSrc, uname: '6.99.0-test' });
    expect(id.release).toBe(H.plain.release);
    expect(id.origin).toEqual({ how: 'usr-src', path: join(usrSrc, `linux-headers-${H.plain.release}`) });
  });

  it('else the newest of any flavour', () => {
    const usrSrc = root({ [`linux-headers-${H.rt.release}`]: H.rt.dir });
    expect(chooseIdentity({ ...none, libModules: root({}), usrSrc, uname: '6.99.0-test' }).release).toBe(H.rt.release);
  });

  it('else the bundled identity', () => {
    const id = chooseIdentity({ ...none, ...emptyRoots() });
    expect(id.origin).toEqual({ how: 'bundled', why: 'no kernel headers installed' });
  });
});

describe('what an identity holds', () => {
  it('the bundled identity is exactly what reading the 6.1.0-56 headers gives', () => {
    const b = bundledIdentity();
    const dir = '/usr/src/linux-headers-6.1.0-56-amd64';
    const r = readHeaders(dir, { how: 'flag', path: dir });
    expect({ ...r, origin: b.origin, probeCached: undefined }).toEqual({ ...b, probeCached: undefined });
  });

  it('facts measured by the probe differ where the builds differ (PREEMPT_RT moves task_struct fields)', () => {
    const plain = chooseIdentity({ ...none, kernel: H.plain.dir });
    const rt = chooseIdentity({ ...none, kernel: H.rt.dir });
    expect(rt.facts.taskPid).not.toBe(plain.facts.taskPid);
    expect(plain.facts).toEqual(bundledIdentity().facts);
    expect(rt.config.get('PREEMPT_RT')).toBe('y');
    expect(rt.symvers.get('module_layout')!.crc).not.toBe(plain.symvers.get('module_layout')!.crc);
  });

  it('caches the probe per build: the second read does not compile', () => {
    const cache = mkdtempSync(join(tmpdir(), 'modfs-cache-'));
    const env = { MODFS_CACHE_DIR: cache };
    expect(chooseIdentity({ env, kernel: H.old.dir }).probeCached).toBe(false);
    expect(chooseIdentity({ env, kernel: H.old.dir }).probeCached).toBe(true);
  });
});
