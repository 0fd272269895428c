// Module stacking (seed 002): exports, holders, reference counts, and the order rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from './modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

describe('exporter and importer', () => {
  it('an unresolved import fails with ENOENT and the kernel names each symbol', () => {
    m.dmesg();
    const r = m.modfs('insmod $KO/importer.ko');
    expect(r.stderr).toMatch(/could not insert module .*importer\.ko: Unknown symbol in module/);
    expect(m.dmesg().filter((l) => l.includes('Unknown symbol'))).toEqual([
      'importer: Unknown symbol exporter_count (err -2)',
      'importer: Unknown symbol exporter_name (err -2)',
    ]);
  });

  it('links against a loaded module, which then has a holder and a reference', () => {
    expect(m.modfs('insmod $KO/exporter.ko').code).toBe(0);
    expect(m.modfs('insmod $KO/importer.ko step=5').code).toBe(0);
    expect(m.dmesg()).toContain('importer: using exporter, count is 5');
    const lines = m.read('proc/modules').split('\n');
    expect(lines[0]).toMatch(/^importer \d+ 0 - Live /);
    expect(lines[1]).toMatch(/^exporter \d+ 1 importer, Live /);
    expect(m.read('sys/module/exporter/refcnt')).toBe('1\n');
    // MODULE_VERSION gives version and (through modpost) srcversion files.
    expect(m.read('sys/module/exporter/version')).toBe('1.0\n');
    expect(m.read('sys/module/exporter/srcversion')).toBe('A4F266953A69DF3A8B4B508\n');
    expect(m.sh('test -e "$M/sys/module/importer/version"').code).toBe(1);
    expect(m.sh('readlink "$M/sys/module/exporter/holders/importer"').stdout).toBe('../../importer\n');
    expect(m.modfs('lsmod').stdout).toMatch(/\nexporter +\d+ +1 importer\n/);
  });

  it('refuses to unload a module that is in use (EAGAIN), even forced', () => {
    expect(m.modfs('rmmod exporter').stderr).toBe('rmmod: ERROR: Module exporter is in use by: importer\n');
    expect(m.sh('echo exporter > "$M/sys/kernel/modctl/unload"').stderr).toMatch(/Resource temporarily unavailable/);
    expect(m.sh('echo "-f exporter" > "$M/sys/kernel/modctl/unload"').stderr).toMatch(/Resource temporarily unavailable/);
  });

  it('unloads in dependency order and drops the reference', () => {
    expect(m.modfs('rmmod importer').code).toBe(0);
    expect(m.dmesg()).toEqual(['exporter: count(0) -> 5', 'importer: done, count is 5']);
    expect(m.read('sys/module/exporter/refcnt')).toBe('0\n');
    expect(m.sh('ls "$M/sys/module/exporter/holders"').stdout).toBe('');
    expect(m.modfs('rmmod exporter').code).toBe(0);
    expect(m.dmesg()).toEqual(['exporter: gone after 5 calls']);
  });

  it('a second module cannot export a symbol that is already exported', () => {
    expect(m.modfs('insmod $KO/exporter.ko').code).toBe(0);
    // The same image under another name: only the name differs, so its exports collide.
    const r = m.sh(`python3 - "$KO/exporter.ko" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b = b.replace(b'name=exporter', b'name=exportes').replace(b'exporter\\x00\\x00\\x00\\x00', b'exportes\\x00\\x00\\x00\\x00', 1)
open('/tmp/modfs-exportes.ko', 'wb').write(b)
PY
cat /tmp/modfs-exportes.ko > "$M/sys/kernel/modctl/load"`);
    expect(r.stderr).toMatch(/Exec format error/);
    expect(m.dmesg()).toContain('exportes: exports duplicate symbol exporter_count (owned by exporter)');
    expect(m.modfs('rmmod exporter').code).toBe(0);
    m.dmesg();
  });
});
