// "Your headers, your kernel": modules built with each installed Debian headers flavour (the
// current plain build, PREEMPT_RT, an older ABI whose CRCs differ, and any other release
// installed here) load on a mount that emulates that build, through the real CLI, the real FUSE
// mount and the real control files; and a module built for one flavour is refused by a mount of
// another with the kernel's own message plus modfs's hint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from '../e2e/modfs.js';
import { buildExamples } from '../helpers/kbuild.js';
import { requiredHeaders, type Headers } from './required.js';

const H = requiredHeaders();
const EXAMPLES = ['hello', 'helloworld', 'array', 'kmalloc'];
const flavours: Array<[string, Headers]> = [
  ['plain', H.plain],
  ['rt', H.rt],
  ['older ABI', H.old],
  ...H.extra.map((h) => [h.release, h] as [string, Headers]),
];

describe.each(flavours)('modules built with the %s headers', (_label, h) => {
  let m: Modfs;
  let ko: string;
  beforeAll(async () => {
    ko = buildExamples(h.dir, EXAMPLES);
    m = await startModfs({ args: ['--kernel', h.dir], env: { MODFS_KERNEL: '' } });
  }, 600_000);
  afterAll(async () => {
    await m?.stop();
  });

  it('the mount says which kernel it emulates, and the tree shows its release', () => {
    expect(m.daemon.output().stderr).toContain(`modfs: emulating Linux ${h.release} (#1 `);
    expect(m.daemon.output().stderr).toContain(`from --kernel ${h.dir}`);
    expect(m.read('proc/sys/kernel/osrelease')).toBe(`${h.release}\n`);
    expect(m.read('proc/version')).toMatch(new RegExp(`^Linux version ${h.release.replace(/[.+]/g, '\\$&')} \\(debian-kernel@lists\\.debian\\.org\\) \\(.*gcc-\\d+ .*\\) #1 SMP PREEMPT`));
  });

  it('hello loads, logs, and unloads', () => {
    m.dmesg();
    expect(m.sh(`modfs insmod '${ko}/hello.ko'`).code).toBe(0);
    expect(m.dmesg()).toEqual([
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
      'Hello, world!',
    ]);
    expect(m.read('proc/modules')).toMatch(/^hello \d+ 0 - Live 0x[0-9a-f]{16} \(OE\)\n$/);
    expect(m.sh('modfs rmmod hello').code).toBe(0);
    expect(m.dmesg()).toEqual(['GoodBye, cruel world!']);
  });

  it('parameters: load-time values, then cat and echo on the parameter files', () => {
    expect(m.sh(`echo "${ko}/helloworld.ko num=20 words=helloworld!" > "$M/sys/kernel/modctl/load"`).code).toBe(0);
    expect(m.dmesg()).toEqual(['Hello, world!', 'num = 20', 'words = helloworld!']);
    expect(m.read('sys/module/helloworld/parameters/num')).toBe('20\n');
    expect(m.sh('echo 42 > "$M/sys/module/helloworld/parameters/num"').code).toBe(0);
    expect(m.sh('echo abc > "$M/sys/module/helloworld/parameters/num"').stderr).toContain('Invalid argument');
    expect(m.sh('modfs rmmod helloworld').code).toBe(0);
    expect(m.dmesg()).toEqual(['num = 42', 'words = helloworld!', 'GoodBye, cruel world!']);
  });

  it('an array parameter and its count', () => {
    expect(m.sh(`modfs insmod '${ko}/array.ko' nums=1,2,3`).code).toBe(0);
    expect(m.read('sys/module/array/parameters/nums')).toBe('1,2,3\n');
    expect(m.read('sys/module/array/parameters/count')).toBe('3\n');
    expect(m.dmesg()).toContain('nums[2] = 3');
    expect(m.sh('modfs rmmod array').code).toBe(0);
    m.dmesg();
  });

  it('kmalloc with the build\'s kmalloc_caches and allocator names', () => {
    expect(m.sh(`modfs insmod '${ko}/kmalloc.ko' rows=2 cols=3`).code).toBe(0);
    expect(m.dmesg()).toEqual(['kmalloc: allocated a 2x3 matrix: 4 objects, 56 bytes', 'kmalloc: row 0: 0 .. 2', 'kmalloc: row 1: 3 .. 5']);
    expect(m.sh('modfs rmmod kmalloc').code).toBe(0);
    expect(m.dmesg()).toEqual(['kmalloc: freed the 2x3 matrix: 4 objects']);
  });
});

describe('a module built for another flavour', () => {
  let m: Modfs;
  let rtKo: string;
  let oldKo: string;
  beforeAll(async () => {
    rtKo = buildExamples(H.rt.dir, EXAMPLES);
    oldKo = buildExamples(H.old.dir, EXAMPLES);
    m = await startModfs({ args: ['--kernel', H.plain.dir], env: { MODFS_KERNEL: '' } });
  }, 600_000);
  afterAll(async () => {
    await m?.stop();
  });

  it('is refused as the real kernel refuses it, then modfs says which kernel it emulates', () => {
    m.dmesg();
    for (const [ko, release] of [
      [rtKo, H.rt.release],
      [oldKo, H.old.release],
    ] as const) {
      const r = m.sh(`modfs insmod '${ko}/hello.ko'`);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`insmod: ERROR: could not insert module ${ko}/hello.ko: Invalid module format\n`);
      expect(m.dmesg()).toEqual([
        'hello: disagrees about version of symbol module_layout',
        `modfs: hello was built for ${release}, but modfs emulates ${H.plain.release} (from --kernel ${H.plain.dir}); ` +
          `mount with --kernel ${release} (or --kernel HEADERS_DIR) to emulate the kernel it was built for`,
      ]);
    }
    expect(m.read('proc/modules')).toBe('');
  });
});
