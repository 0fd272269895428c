import { beforeAll, describe, expect, it } from 'vitest';
import { lsmodLine } from '../../src/cli/lsmod.js';
import { ensureBuilt, makeTree, modfs } from './helpers.js';

beforeAll(ensureBuilt);

describe('modfs lsmod', () => {
  it("prints kmod's table: /proc/modules order, sysfs size, refcnt and holders", () => {
    const dir = makeTree([
      { name: 'u', size: 16384 },
      { name: 't', size: 20480, coresize: 16384, refcnt: 1, users: ['u'] },
      { name: 'x', size: 12288, permanent: true },
      { name: 'a_module_name_longer_than_19', size: 1234567 },
      { name: 'loading', state: 'Loading', size: 8192, noSysfs: true },
      { name: 'nocore', size: 4096, coresize: null },
    ]);
    const r = modfs(['lsmod', '-m', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Module                  Size  Used by',
        'u                      16384  0',
        't                      16384  1 u',
        'x                      12288  0',
        'a_module_name_longer_than_19  1234567  0',
        'loading                   -2  -2',
        'nocore                  4096  0',
        '',
      ].join('\n'),
    );
  });

  it('joins several holders with commas and no trailing comma', () => {
    expect(lsmodLine('base', 8192, 2, ['a', 'b'])).toBe('base                    8192  2 a,b');
  });

  it('says so when the mount is missing', () => {
    const r = modfs(['lsmod', '-m', '/nonexistent-modfs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lsmod: ERROR: \/nonexistent-modfs is not a modfs mount/);
  });
});
