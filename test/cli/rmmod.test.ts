import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeTree, modfs, readTree } from './helpers.js';

beforeAll(ensureBuilt);

const UNLOAD = 'sys/kernel/modctl/unload';

describe('modfs rmmod', () => {
  it('writes the normalised name to unload; a path to an existing .ko names its module', () => {
    const dir = makeTree([{ name: 'foo_bar' }]);
    expect(modfs(['rmmod', '-m', dir, 'foo-bar'])).toMatchObject({ code: 0, stderr: '' });
    expect(readTree(dir, UNLOAD)).toBe('foo_bar');
    fs.writeFileSync(path.join(dir, 'foo-bar.ko'), 'x');
    fs.writeFileSync(path.join(dir, UNLOAD), '');
    expect(modfs(['rmmod', '-m', dir, './foo-bar.ko'], { cwd: dir }).code).toBe(0);
    expect(readTree(dir, UNLOAD)).toBe('foo_bar');
  });

  it("runs kmod's checks with its messages, and goes on with the next name", () => {
    const dir = makeTree(
      [
        { name: 'used', users: ['u1', 'u2'], refcnt: 2 },
        { name: 'held', refcnt: 1 },
        { name: 'nounload', sysRefcnt: null },
        { name: 'ok' },
      ],
      ['printk'],
    );
    const r = modfs(['rmmod', '-m', dir, 'absent', 'printk', 'used', 'held', 'nounload', 'ok']);
    expect(r.code).toBe(1);
    // Holders come in the directory's own order (kmod's readdir), which a plain fs need not sort.
    expect(r.stderr.replace('u2 u1', 'u1 u2')).toBe(
      [
        'rmmod: ERROR: Module absent is not currently loaded',
        // as kmod 30 answered on the real kernel (transcripts/modules.txt)
        "rmmod: ERROR: ../libkmod/libkmod-module.c:1998 kmod_module_get_holders() could not open '/sys/module/printk/holders': No such file or directory",
        'rmmod: ERROR: Module unloading is not supported',
        'rmmod: ERROR: Module used is in use by: u1 u2',
        'rmmod: ERROR: Module held is in use',
        'rmmod: ERROR: Module unloading is not supported',
        '',
      ].join('\n'),
    );
    expect(readTree(dir, UNLOAD)).toBe('ok');
  });

  it('-f skips the checks and writes `-f NAME` (delete_module force; O_TRUNC cannot carry it)', () => {
    const dir = makeTree([{ name: 'held', refcnt: 1 }]);
    expect(modfs(['rmmod', '-m', dir, 'held']).code).toBe(1);
    expect(modfs(['rmmod', '-m', dir, '-f', 'held'])).toMatchObject({ code: 0, stderr: '' });
    expect(readTree(dir, UNLOAD)).toBe('-f held');
    const dir2 = makeTree([{ name: 'ok' }]);
    expect(modfs(['rmmod', '-m', dir2, 'ok']).code).toBe(0);
    expect(readTree(dir2, UNLOAD)).toBe('ok');
  });

  it('reports a failed unload write with libkmod and rmmod lines', () => {
    const dir = makeTree([{ name: 'ok' }]);
    fs.rmSync(path.join(dir, UNLOAD));
    fs.symlinkSync('/dev/full', path.join(dir, UNLOAD));
    expect(modfs(['rmmod', '-m', dir, 'ok'])).toMatchObject({
      code: 1,
      stderr:
        "rmmod: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove 'ok': No space left on device\n" +
        'rmmod: ERROR: could not remove module ok: No space left on device\n',
    });
  });

  it('needs a name', () => {
    expect(modfs(['rmmod', '-m', makeTree()])).toMatchObject({ code: 1, stderr: 'rmmod: ERROR: missing module name.\n' });
  });
});
