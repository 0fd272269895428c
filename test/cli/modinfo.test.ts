import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKo, ensureBuilt, hasTool, modfs } from './helpers.js';

const ENTRIES = [
  'parmtype=count:int',
  'parm=count:how many (default 1)',
  'parmtype=flag:bool',
  'description=A test module',
  'author=Zoë Tester',
  'license=GPL',
  'parm=orphan:described but untyped',
  'a_very_long_tag_name=x',
  'fifteen_chars_x=y',
  'depends=',
  'name=t',
  'vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions ',
];

let dir: string;
let ko: string;
beforeAll(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modfs-modinfo-'));
  ko = path.join(dir, 'my-test.ko');
  // .modinfo holds bytes; write the UTF-8 of the author as kbuild would.
  fs.writeFileSync(ko, buildKo(ENTRIES.map((e) => Buffer.from(e, 'utf8').toString('latin1'))));
});

describe('modfs modinfo FILE', () => {
  it('prints kmod format: filename first, aligned tags, merged parm lines last in reverse order', () => {
    const r = modfs(['modinfo', ko]);
    expect(r.code).toBe(0);
    expect(r.out.toString('utf8')).toBe(
      [
        `filename:       ${ko}`,
        'description:    A test module',
        'author:         Zoë Tester',
        'license:        GPL',
        'a_very_long_tag_name:     x', // printf("%-*s", 15 - 20) pads by 5
        'fifteen_chars_x:y',
        'depends:        ',
        'name:           t',
        'vermagic:       6.1.0-56-amd64 SMP preempt mod_unload modversions ',
        'parm:           orphan:described but untyped',
        'parm:           flag:bool',
        'parm:           count:how many (default 1) (int)',
        '',
      ].join('\n'),
    );
  });

  it('-F selects values, -F parm uses the "name: (type)" form, -F filename only the path', () => {
    expect(modfs(['modinfo', '-F', 'license', ko]).stdout).toBe('GPL\n');
    expect(modfs(['modinfo', '-F', 'parm', ko]).stdout).toBe(
      'orphan:described but untyped\nflag: (bool)\ncount:how many (default 1) (int)\n',
    );
    expect(modfs(['modinfo', '--field', 'filename', ko]).stdout).toBe(`${ko}\n`);
    expect(modfs(['modinfo', '-F', 'nosuch', ko])).toMatchObject({ code: 0, stdout: '' });
    expect(modfs(['modinfo', '-l', ko]).stdout).toBe('GPL\n');
  });

  it('-0 separates with NUL and prints tag=value', () => {
    const out = modfs(['modinfo', '-0', ko]).stdout;
    expect(out.startsWith(`filename:       ${ko}\0description=A test module\0`)).toBe(true);
    expect(out.endsWith('parm:           count:how many (default 1) (int)\0')).toBe(true);
  });

  it("gives kmod's errors", () => {
    expect(modfs(['modinfo'])).toMatchObject({ code: 1, stderr: 'modinfo: ERROR: missing module or filename.\n' });
    expect(modfs(['modinfo', 'nosuch'])).toMatchObject({ code: 1, stderr: 'modinfo: ERROR: Module nosuch not found.\n' });
    expect(modfs(['modinfo', path.join(dir, 'gone.ko')]).stderr).toBe(
      `modinfo: ERROR: Module ${path.join(dir, 'gone.ko')} not found.\n`,
    );
    const junk = path.join(dir, 'junk-mod.ko');
    fs.writeFileSync(junk, Buffer.alloc(200, 0x41));
    const r = modfs(['modinfo', junk]);
    expect(r).toMatchObject({ code: 1, stdout: `filename:       ${junk}\n` });
    expect(r.stderr).toBe("modinfo: ERROR: could not get modinfo from 'junk_mod': Exec format error\n");
    const bare = path.join(dir, 'bare.ko');
    fs.writeFileSync(bare, buildKo(null));
    expect(modfs(['modinfo', bare]).stderr).toBe(
      "modinfo: ERROR: could not get modinfo from 'bare': No such file or directory\n",
    );
    const empty = path.join(dir, 'empty.ko');
    fs.writeFileSync(empty, '');
    expect(modfs(['modinfo', empty]).stderr).toBe("modinfo: ERROR: could not get modinfo from 'empty': Invalid argument\n");
  });

  it('needs no mount for a file', () => {
    expect(modfs(['modinfo', '-m', '/nonexistent', '-F', 'name', ko]).stdout).toBe('t\n');
  });

  // The oracle: kmod's own modinfo, when installed, must print the same bytes.
  it.skipIf(!hasTool('modinfo'))('matches the host kmod modinfo byte for byte', () => {
    const bare = path.join(dir, 'bare2.ko');
    fs.writeFileSync(bare, buildKo(null));
    const cases = [[ko], ['-0', ko], ['-F', 'parm', ko], ['-F', 'author', ko], ['-p', '-0', ko], [ko, ko], [bare]];
    for (const args of cases) {
      const want = spawnSync('modinfo', args);
      const got = modfs(['modinfo', ...args]);
      expect(got.out.equals(want.stdout), args.join(' ')).toBe(true);
      expect(got.stderr, args.join(' ')).toBe(want.stderr.toString());
      expect(got.code, args.join(' ')).toBe(want.status);
    }
  });
});
