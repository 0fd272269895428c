// modfs shell and modfs run against a real mount: what the shell promises beyond the
// transcripts (replay.test.ts): uname, the prompt, sh -c semantics and exit statuses, dmesg's
// syslog(2) and /dev/kmsg seeks, the user's /lib/modules with a tutorial's own Makefile, sudo,
// and the fence that keeps programs the shim cannot reach (static, cleared environment) away
// from the real kernel.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KO, nonRootUser, removeScratch, scratch, startShellMount, type ShellMount } from './helpers.js';

let m: ShellMount;
beforeAll(async () => {
  m = await startShellMount();
});
afterAll(async () => {
  await m?.stop();
  removeScratch();
});

const osrelease = () => readFileSync(join(m.dir, 'proc/sys/kernel/osrelease'), 'latin1').trim();

describe('the emulated kernel is the one the shell reports', () => {
  it('uname -r and -v are the tree’s release and version, /proc paths are the tree’s', () => {
    const r = m.sh('uname -r; uname -v; cat /proc/sys/kernel/osrelease; head -c 14 /proc/version; echo');
    expect(r.code, r.stderr).toBe(0);
    const version = readFileSync(join(m.dir, 'proc/version'), 'latin1');
    const [rel, ver, os, pv] = r.stdout.split('\n');
    expect(rel).toBe(osrelease());
    expect(version).toContain(`) ${ver}\n`);
    expect(os).toBe(osrelease());
    expect(pv).toBe('Linux version ');
  });

  it('kmod finds /lib/modules/$(uname -r) as a directory of the user’s, with build pointing at the headers', () => {
    const data = scratch();
    const r = m.sh('ls -d /lib/modules/*; readlink /lib/modules/$(uname -r)/build; touch /lib/modules/$(uname -r)/mine', { dataHome: data });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`/lib/modules/${osrelease()}`);
    expect(r.stdout.split('\n')[1]).toMatch(new RegExp(`/linux-headers-${osrelease()}$`));
    expect(existsSync(join(data, 'modfs/lib/modules', osrelease(), 'mine'))).toBe(true);
    expect(existsSync(`/lib/modules/${osrelease()}/mine`)).toBe(false);
  });
});

describe('sh -c semantics', () => {
  it('passes NAME and ARGs as $0, $1..., untouched by option parsing', () => {
    const r = m.sh('', { argv: ['shell', '-m', m.dir, '-c', 'echo "$0|$1|$2"', 'a', '-b', '010'] });
    expect(r.stdout).toBe('a|-b|010\n');
  });

  it('exits with the command’s status, or dies of the same signal', () => {
    expect(m.sh('exit 7').code).toBe(7);
    const k = m.sh('kill -9 $$');
    expect(k.signal).toBe('SIGKILL');
  });

  it('modfs run runs one program without a shell', () => {
    const r = m.sh('', { argv: ['run', '-m', m.dir, '--', 'sh', '-c', 'lsmod | head -n 1; exit 3'] });
    expect(r.stdout).toBe('Module                  Size  Used by\n');
    expect(r.code).toBe(3);
  });

  it('refuses a directory that is not a modfs mount, saying so', () => {
    const d = scratch();
    const r = m.sh('', { argv: ['shell', '-m', d, '-c', 'true'] });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`modfs shell: ${d} is not a modfs mount (no ${d}/sys/kernel/modctl/load); start one with 'modfs mount DIR' or pass -m DIR\n`);
  });
});

describe('the interactive shell', () => {
  it('bash: the prompt says it is a modfs shell, after the user’s own start-up files', () => {
    const r = m.sh('', { argv: ['shell', '-m', m.dir], env: { SHELL: '/bin/bash' }, input: 'uname -r\nexit 4\n' });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(`${osrelease()}\n`);
    expect(r.stderr).toMatch(/^\(modfs\) .*[#$] uname -r$/m);
    expect(r.stderr).toMatch(/^modfs shell: kernel \S+ at .*; 'exit' leaves$/m);
  });

  it('a POSIX sh (dash) too', () => {
    const r = m.sh('', { argv: ['shell', '-m', m.dir], env: { SHELL: '/bin/sh' }, input: 'echo hi\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toMatch(/\(modfs\) \$ /);
  });
});

describe('the log through syslog(2) and /dev/kmsg, as util-linux dmesg uses them', () => {
  it('dmesg -C, then dmesg shows only what came after (the clear point through SEEK_DATA)', () => {
    const r = m.sh('insmod hello.ko; dmesg -C; rmmod hello; dmesg; echo ---; dmesg -S; echo ---; dmesg -r; echo ---; dmesg -c; dmesg');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.replace(/\[\s*\d+\.\d{6}\] /g, '[T] ').split('\n');
    expect(lines).toEqual([
      '[T] GoodBye, cruel world!',
      '---',
      '[T] GoodBye, cruel world!',
      '---',
      '<6>[T] GoodBye, cruel world!',
      '---',
      '[T] GoodBye, cruel world!',
      '',
    ]);
  });

  it('dmesg -W waits for new records only; dmesg -w | head ends with its reader', () => {
    // util-linux dmesg -w, as on Linux, learns that head has gone at its next write: the second
    // background load gives it one.
    const r = m.sh(
      // (a first load and clear, so that the once-per-boot taint lines are not what is new)
      'insmod hello.ko; rmmod hello; dmesg -C; ' +
        '(sleep 1; insmod hello.ko; rmmod hello) & timeout 4 dmesg -W; (sleep 1; insmod hello.ko; rmmod hello) & dmesg -w | head -n 1; wait',
    );
    const lines = r.stdout.replace(/\[\s*\d+\.\d{6}\] /g, '').split('\n');
    expect(lines).toEqual(['Hello, world!', 'GoodBye, cruel world!', 'Hello, world!', '']);
  });

  it('dmesg -l and -x filter and decode the levels', () => {
    // (a first load before the clear, so that the once-per-boot taint lines are not in it)
    const r = m.sh('insmod hello.ko; rmmod hello; dmesg -C; insmod hello.ko; rmmod hello; dmesg -x -l info,warn');
    expect(r.stdout.replace(/\[\s*\d+\.\d{6}\] /g, '')).toBe('kern  :info  : Hello, world!\nkern  :info  : GoodBye, cruel world!\n');
  });
});

describe('a tutorial’s own Makefile, make modules_install, depmod -a and modprobe', () => {
  // Seed 000's Makefile and module, as the tutorial prints them.
  const makefile = [
    'ifneq ($(KERNELRELEASE), )',
    '    obj-m := hello.o',
    'else',
    '    KERNELDIR ?= /lib/modules/$(shell uname -r)/build',
    '    PWD := $(shell pwd)',
    'modules:',
    '\t$(MAKE) -C $(KERNELDIR) M=$(PWD) modules',
    'modules_install:',
    '\t$(MAKE) -C $(KERNELDIR) M=$(PWD) modules_install',
    'clean:',
    '\trm -rf *.o *~ core .depend .*.cmd *.ko *.mod.c .tmp_versions',
    'endif',
    '',
  ].join('\n');
  const hello = [
    '#include <linux/init.h>',
    '#include <linux/module.h>',
    '',
    'static int hello_init(void)',
    '{',
    '    printk(KERN_ALERT "Hello, world!\\n");',
    '    return 0;',
    '}',
    '',
    'static void hello_exit(void)',
    '{',
    '    printk(KERN_ALERT "GoodBye, cruel world!\\n");',
    '}',
    '',
    'module_init(hello_init);',
    'module_exit(hello_exit);',
    'MODULE_AUTHOR("houmin.wei@outlook.com");',
    'MODULE_LICENSE("Dual BSD/GPL");',
    'MODULE_DESCRIPTION("A Hello, world Module");',
    '',
  ].join('\n');

  it('builds with the headers of the emulated release, installs into the user’s /lib/modules, loads by name', () => {
    if (!existsSync(`/usr/src/linux-headers-${osrelease()}/Makefile`)) {
      process.stdout.write(`skipped: no kernel headers for ${osrelease()} on this machine\n`);
      return;
    }
    const src = scratch();
    writeFileSync(join(src, 'Makefile'), makefile);
    writeFileSync(join(src, 'hello.c'), hello);
    const data = scratch();
    const hostBefore = existsSync(`/lib/modules/${osrelease()}`) ? statSync(`/lib/modules/${osrelease()}`).mtimeMs : 0;
    const r = m.sh(
      `insmod '${KO}/hello.ko'; rmmod hello; ` +
        'dmesg -C && make -s && sudo insmod hello.ko && lsmod | grep hello && sudo rmmod hello && make -s modules_install >/dev/null 2>&1; ' +
        'depmod -a && modprobe hello && modinfo -F filename hello && modprobe -r hello && dmesg -c | sed "s/^\\[ *[0-9.]*\\] //"',
      { cwd: src, dataHome: data, timeoutMs: 240_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'hello                  16384  0',
        `/lib/modules/${osrelease()}/extra/hello.ko`,
        'Hello, world!',
        'GoodBye, cruel world!',
        'Hello, world!',
        'GoodBye, cruel world!',
        '',
      ].join('\n'),
    );
    // Installed and indexed in the user's directory; the host's /lib/modules untouched.
    const mine = join(data, 'modfs/lib/modules', osrelease());
    expect(existsSync(join(mine, 'extra/hello.ko'))).toBe(true);
    expect(readFileSync(join(mine, 'modules.dep'), 'utf8')).toMatch(/^extra\/hello\.ko:$/m);
    expect(existsSync(`/lib/modules/${osrelease()}/extra/hello.ko`)).toBe(false);
    expect(existsSync(`/lib/modules/${osrelease()}`) ? statSync(`/lib/modules/${osrelease()}`).mtimeMs : 0).toBe(hostBefore);
  }, 300_000);
});

describe('sudo, which drops LD_PRELOAD, is handled', () => {
  it('as root it runs the command with the shim, sbin on PATH', () => {
    const r = m.sh('PATH=$(dirname $(command -v sudo)):/usr/bin:/bin; sudo insmod hello.ko && sudo -E lsmod | grep -c hello; sudo -u root rmmod hello; echo $?');
    expect(r.stdout).toBe('1\n0\n');
    expect(r.stderr).toBe('');
  });

  it('as root it refuses another user rather than pretend', () => {
    const r = m.sh('sudo -u nobody id');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sudo: in a modfs shell only root is available, not 'nobody'\n");
  });

  it('a non-root user is told that the shell cannot become root', () => {
    const user = nonRootUser();
    const r = m.sh('sudo insmod hello.ko', { user });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^sudo: a modfs shell started by ${user} cannot become root\\.\\n`));
    expect(r.stderr).toMatch(/Start the shell as root instead: sudo modfs shell -m /);
  });
});

describe('programs the shim cannot reach never reach the real kernel', () => {
  it('a static busybox insmod and dmesg get ENOSYS from the fence', () => {
    if (spawnSync('sh', ['-c', 'command -v busybox']).status !== 0) {
      process.stdout.write('skipped: no busybox here to stand for a static program (apt-get install busybox-static)\n');
      return;
    }
    // busybox insmod exits with the errno (38).
    const r = m.sh('busybox insmod hello.ko; echo $?; busybox dmesg; echo $?; cat /proc/modules');
    expect(r.stdout).toBe('38\n1\n');
    expect(r.stderr).toBe("insmod: can't insert 'hello.ko': kernel does not support requested operation\ndmesg: klogctl: Function not implemented\n");
  });

  it('so does kmod with a cleared environment (no LD_PRELOAD)', () => {
    const r = m.sh('env -i /sbin/insmod hello.ko; env -i /sbin/rmmod -f nosuch');
    expect(r.stderr).toBe(
      'insmod: ERROR: could not insert module hello.ko: Function not implemented\n' +
        "rmmod: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove 'nosuch': Function not implemented\n" +
        'rmmod: ERROR: could not remove module nosuch: Function not implemented\n',
    );
  });
});

describe('a non-root user', () => {
  it('is itself inside (id, the daemon’s view of the caller), and gets EPERM from insmod as without CAP_SYS_MODULE', () => {
    const user = nonRootUser();
    const r = m.sh(`id -un; cat /proc/modules; /sbin/insmod '${KO}/hello.ko'; /sbin/rmmod -f printk`, { user });
    expect(r.stdout).toBe(`${user}\n`);
    expect(r.stderr).toBe(
      `insmod: ERROR: could not insert module ${KO}/hello.ko: Operation not permitted\n` +
        "rmmod: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove 'printk': Operation not permitted\n" +
        'rmmod: ERROR: could not remove module printk: Operation not permitted\n',
    );
  });
});
