import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { insmodStrerror } from '../../src/cli/insmod.js';
import { ensureBuilt, makeTree, modfs, readTree } from './helpers.js';

beforeAll(ensureBuilt);

describe('modfs insmod', () => {
  it('writes "ABSOLUTE_PATH params" to the load control, params joined by single spaces', () => {
    const dir = makeTree();
    const ko = path.join(dir, 'hello.ko');
    fs.writeFileSync(ko, 'not checked here');
    const r = modfs(['insmod', '-m', dir, 'hello.ko', 'n=010', 's=hello world', 'flag'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readTree(dir, 'sys/kernel/modctl/load')).toBe(`${ko} n=010 s=hello world flag`);
  });

  it('writes just the path without parameters, and takes the mount from $MODFS_MOUNT', () => {
    const dir = makeTree();
    const ko = path.join(dir, 'x.ko');
    fs.writeFileSync(ko, 'x');
    expect(modfs(['insmod', ko], { env: { MODFS_MOUNT: dir } }).code).toBe(0);
    expect(readTree(dir, 'sys/kernel/modctl/load')).toBe(ko);
  });

  it("gives kmod's errors before touching the tree", () => {
    const dir = makeTree();
    expect(modfs(['insmod', '-m', dir])).toMatchObject({ code: 1, stderr: 'insmod: ERROR: missing filename.\n' });
    expect(modfs(['insmod', '-m', dir, '-'])).toMatchObject({
      code: 1,
      stderr: 'insmod: ERROR: this tool does not support loading from stdin!\n',
    });
    expect(modfs(['insmod', '-m', dir, 'nope.ko'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: 'insmod: ERROR: could not load module nope.ko: No such file or directory\n',
    });
    fs.writeFileSync(path.join(dir, 'empty.ko'), '');
    expect(modfs(['insmod', '-m', dir, 'empty.ko'], { cwd: dir }).stderr).toBe(
      'insmod: ERROR: could not insert module empty.ko: Invalid parameters\n',
    );
    expect(modfs(['insmod', '-m', dir, '.'], { cwd: dir }).stderr).toBe(
      'insmod: ERROR: could not insert module .: Is a directory\n',
    );
    expect(readTree(dir, 'sys/kernel/modctl/load')).toBe('');
  });

  it('maps the errno of the write to the load control', () => {
    const dir = makeTree();
    fs.writeFileSync(path.join(dir, 'm.ko'), 'x');
    fs.rmSync(path.join(dir, 'sys/kernel/modctl/load'));
    fs.symlinkSync('/dev/full', path.join(dir, 'sys/kernel/modctl/load')); // write gives ENOSPC
    expect(modfs(['insmod', '-m', dir, 'm.ko'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: 'insmod: ERROR: could not insert module m.ko: No space left on device\n',
    });
  });

  it('refuses a directory that is not a modfs mount', () => {
    const dir = makeTree();
    fs.writeFileSync(path.join(dir, 'm.ko'), 'x');
    const r = modfs(['insmod', '-m', path.join(dir, 'proc'), path.join(dir, 'm.ko')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^insmod: ERROR: .*\/proc is not a modfs mount/);
  });

  it("uses kmod's texts for the init_module errnos", () => {
    expect([8, 2, 3, 22, 17, 16, 1, 999].map(insmodStrerror)).toEqual([
      'Invalid module format',
      'Unknown symbol in module',
      'Module has wrong symbol version',
      'Invalid parameters',
      'File exists',
      'Device or resource busy',
      'Operation not permitted',
      'Unknown error 999',
    ]);
  });
});
