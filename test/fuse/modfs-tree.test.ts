// The real modfs tree over our transport, probed as an attacker would (issue 8, item 10), and the
// transport's promises on it: rmmod seen at once by every reader, 8 readers and writers at once.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfImage, sectionName } from '../../src/elf/index.js';
import { KO, startModfs, type Modfs } from '../e2e/modfs.js';
import { sleep } from '../helpers/shell.js';

const isRoot = process.geteuid?.() === 0;
let m: Modfs;
const tmp = mkdtempSync(join(tmpdir(), 'modfs-probe-'));

/** hello.ko with its name (struct module and modinfo) replaced by `name`: 5 bytes, like "hello". */
function renamedHello(name: Buffer): string {
  if (name.length !== 5) throw new Error('the name must be 5 bytes');
  const orig = readFileSync(join(KO, 'hello.ko'));
  const img = new ElfImage(new Uint8Array(orig));
  const h = img.header();
  const secs = img.sections(h);
  const sec = (n: string) => secs.find((s) => sectionName(img, secs[h.shstrndx]!, s) === n)!;
  const b = Buffer.from(orig);
  name.copy(b, Number(sec('.gnu.linkonce.this_module').offset) + 24);
  const mi = sec('.modinfo');
  const at = b.indexOf('name=hello\0', Number(mi.offset));
  if (at < 0 || at > Number(mi.offset + mi.size)) throw new Error('no name=hello in .modinfo');
  name.copy(b, at + 5);
  const p = join(tmp, `${name.toString('hex')}.ko`);
  writeFileSync(p, b);
  return p;
}

describe.skipIf(!isRoot)('the modfs tree over our FUSE transport', () => {
  beforeAll(async () => {
    m = await startModfs();
  });
  afterAll(async () => {
    await m.stop();
  });

  it('drops a module directory at rmmod for a process that had just walked it', () => {
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    // One process walks the directory, another removes the module, the first looks again.
    const r = m.sh('stat -c %F "$M/sys/module/hello" && (node "$ROOT_BIN" rmmod -m "$M" hello) && stat "$M/sys/module/hello"'.replace('$ROOT_BIN', join(KO, '../../bin/modfs.js')));
    expect(r.stdout).toBe('directory\n');
    expect(r.stderr).toMatch(/cannot statx .*hello.*: No such file or directory/);
  });

  it('answers ENODEV on a parameter opened before rmmod, and never reaches a module loaded since', () => {
    const r = m.sh(
      'modfs insmod $KO/helloworld.ko num=7 && exec 5<"$M/sys/module/helloworld/parameters/num" 6>"$M/sys/module/helloworld/parameters/num" && ' +
        'modfs rmmod helloworld && modfs insmod $KO/helloworld.ko num=8 && ' +
        'cat <&5; echo 99 >&6; cat "$M/sys/module/helloworld/parameters/num"; modfs rmmod helloworld',
    );
    expect(r.stderr).toMatch(/cat: -: No such device/);
    expect(r.stderr).toMatch(/echo: write error: No such device/);
    expect(r.stdout).toBe('8\n');
    expect(Number(m.read('proc/sys/kernel/tainted')) & (1 << 7)).toBe(0); // no oops (taint D)
  });

  it("shows a module named with '/' as '!' in sys/module, and lists sys/module for everyone", () => {
    for (const name of ['a/bcd', '../ab']) {
      const ko = renamedHello(Buffer.from(name, 'latin1'));
      expect(m.sh(`modfs insmod ${ko}`).code).toBe(0);
      const shown = name.replace(/\//g, '!');
      expect(m.sh('ls -A "$M/sys/module"').stdout.split('\n')).toContain(shown);
      expect(m.sh('ls "$M/sys/module"', { user: 'nobody' }).code).toBe(0);
      expect(m.read(`sys/module/${shown}/initstate`)).toBe('live\n');
      expect(m.sh(`printf '%s' '${name}' > "$M/sys/kernel/modctl/unload"`).code).toBe(0);
    }
  });

  it('shows a name that is not UTF-8 byte for byte, and unloads it by those bytes', () => {
    const name = Buffer.from([0x68, 0xe9, 0x6c, 0x6c, 0x6f]); // "h\xe9llo"
    expect(m.sh(`modfs insmod ${renamedHello(name)}`).code).toBe(0);
    const raw = m.sh('cat "$M/proc/modules" | od -An -tx1 -N5').stdout.trim();
    expect(raw).toBe('68 e9 6c 6c 6f');
    expect(m.sh(`printf 'h\\351llo' > "$M/sys/kernel/modctl/unload"`).code).toBe(0);
    expect(m.read('proc/modules')).toBe('');
  });

  it('loads a large image in linear time without keeping its memory', () => {
    // hello.ko with a 48 MiB section the kernel does not load: written in 60 KiB requests.
    const junk = join(tmp, 'junk');
    writeFileSync(junk, Buffer.alloc(48 << 20, 0x5a));
    const big = join(tmp, 'big.ko');
    expect(m.sh(`objcopy --add-section .junk=${junk} $KO/hello.ko ${big}`).code).toBe(0);
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${m.daemon.proc.pid}/status`, 'utf8'))![1]);
    const before = rss();
    expect(m.sh(`cat ${big} > "$M/sys/kernel/modctl/load"`).code).toBe(0);
    expect(m.read('sys/module/hello/initstate')).toBe('live\n');
    expect(m.modfs('rmmod hello').code).toBe(0);
    // The old code kept ~130 MB more after a 64 MiB image; the buffer is now dropped after the load.
    expect(rss() - before).toBeLessThan(100 * 1024);
    // And what cannot be a module is refused at its first bytes, before it is buffered.
    const r = m.sh('head -c 67108864 /dev/zero | (printf "\\177ELF"; cat) > "$M/sys/kernel/modctl/load"');
    expect(r.stderr).toMatch(/Exec format error/);
  });

  it('shows a shell inside a removed module directory nothing of the module loaded again', () => {
    const r = m.sh(
      'modfs insmod $KO/helloworld.ko && cd "$M/sys/module/helloworld" && (cd / && modfs rmmod helloworld && modfs insmod $KO/helloworld.ko) && ' +
        'echo "[$(ls)]"; cat parameters/num; cat "$M/sys/module/helloworld/parameters/num"; cd / && modfs rmmod helloworld',
    );
    expect(r.stdout).toBe('[]\n10\n');
    expect(r.stderr).toMatch(/cat: parameters\/num: No such file or directory/);
  });

  it('serves 8 parallel readers and writers for 30 s with no error', async () => {
    expect(m.modfs('insmod $KO/helloworld.ko').code).toBe(0);
    const p = join(m.dir, 'sys/module/helloworld/parameters/num');
    const loop = (body: string) =>
      new Promise<number | null>((res) => {
        const c = spawn('bash', ['-c', `end=$((SECONDS + 30)); n=0; while [ $SECONDS -lt $end ]; do ${body} || exit 1; n=$((n + 1)); done; echo $n`], { stdio: ['ignore', 'pipe', 'inherit'] });
        c.on('exit', (code) => res(code));
      });
    const jobs = [
      ...Array.from({ length: 4 }, () => loop(`v=$(cat "${p}") && [ -n "$v" ] && cat "${m.dir}/proc/modules" >/dev/null`)),
      ...Array.from({ length: 4 }, (_, i) => loop(`echo ${i + 1} > "${p}" && cat "${m.dir}/sys/module/helloworld/refcnt" >/dev/null`)),
    ];
    expect(await Promise.all(jobs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    await sleep(10);
    expect(m.modfs('rmmod helloworld').code).toBe(0);
  }, 60_000);
});
