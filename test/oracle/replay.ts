// Replays experiments/*.sh against a fresh modfs mount, with kmod-like shims on PATH, and
// returns the transcript in the same format the real kernel's run produced.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDaemon } from '../helpers/daemon.js';

export const ROOT = resolve(__dirname, '../..');
const BIN = resolve(ROOT, 'bin/modfs.js');

/** A directory with insmod/rmmod/lsmod/dmesg that run modfs' CLI against $SYS. */
export function shimDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modfs-shims-'));
  for (const tool of ['insmod', 'rmmod', 'lsmod', 'dmesg']) {
    const f = join(dir, tool);
    writeFileSync(f, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" ${tool} -m "$SYS" "$@"\n`);
    chmodSync(f, 0o755);
  }
  // devctl makes the ioctl and poll calls of the device experiments; the oracle builds the same
  // source into its initramfs (scripts/oracle/run.sh).
  const cc = spawnSync('cc', ['-O2', '-o', join(dir, 'devctl'), resolve(ROOT, 'scripts/oracle/devctl.c')], { encoding: 'utf8' });
  if (cc.status !== 0) process.stdout.write(`replay: devctl not built (device experiments will differ): ${cc.stderr ?? cc.error}\n`);
  return dir;
}

export interface ReplayOptions {
  /** --kernel for the mount (default: the bundled build, via MODFS_KERNEL in vitest.config). */
  kernel?: string;
  /** Directory of the .ko files (default examples/ko, the bundled build's fixtures). */
  ko?: string;
}

export async function replay(name: string, shims: string, opts: ReplayOptions = {}): Promise<string> {
  const daemon = await startDaemon([BIN, 'mount', '{mount}', ...(opts.kernel ? ['--kernel', opts.kernel] : [])]);
  try {
    // The oracle runs each script with /usr/bin/dash, so the shell's comm is "dash" (a module that
    // logs current->comm for a redirection's open shows it); Debian's sh is the same program.
    const r = spawnSync(existsSync('/usr/bin/dash') ? '/usr/bin/dash' : 'sh', [join(ROOT, 'experiments', `${name}.sh`)], {
      env: { ...process.env, SYS: daemon.mountDir, KO: opts.ko ?? join(ROOT, 'examples/ko'), PATH: `${shims}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 240_000,
    });
    return (r.stdout ?? '') + (r.stderr ?? '');
  } finally {
    await daemon.stop();
  }
}

/** What legitimately differs between two boots: times, addresses, pids. */
export function mask(text: string): string {
  return text
    .replace(/\[\s*\d+\.\d{6}\]/g, '[TIME]')
    .replace(/0xffffffffc[0-9a-f]{7}/g, '0xADDR')
    // the same module addresses (KASLR) as a page fault's address and CR2 print them, without 0x
    .replace(/\bffffffffc[0-9a-f]{7}\b/g, 'ADDR')
    .replace(/\bPID: \d+/g, 'PID: N');
}

/** Files a module left behind at unload fault when read: the fault is in the freed module area. */
const LEFT_BEHIND = [
  {
    pattern: /\bffffffffc[0-9a-f]{7}\b/g,
    replace: 'MODADDR',
    why: 'the fault address is in the freed module area, whose base is randomised at each boot (KASLR)',
  },
  {
    pattern: /^kmsg: PGD .*$/gm,
    replace: 'kmsg: PGD <page-table walk>',
    why:
      "the real kernel walks the page tables of the module area's former mapping and prints their " +
      'physical addresses (different at each boot); modfs has no page tables to walk',
  },
];

/** Explained differences: applied to both sides before comparing. */
export const EXPLAINED: Record<string, Array<{ pattern: RegExp; replace: string; why: string }>> = {
  '*': [
    {
      pattern: /^kmsg: CPU: 0 PID: N Comm: .*\n(?:kmsg: .*\n)*?kmsg:  <\/TASK>\n/gm,
      replace: 'kmsg: <stack dump>\n',
      why:
        "a stack dump (dump_stack or an oops) names the machine (QEMU's BIOS), the real kernel's own " +
        'functions and their offsets, user-space registers and scheduler frames that differ between boots',
    },
    {
      pattern: /^kmsg: ---\[ end trace [0-9a-f]+ \]---\n(?:kmsg: (?:RIP|Code|RSP|RAX|RDX|RBP|R10|R13|FS|CS|CR2): ?.*\n)*(?:kmsg: note: \S+ exited with irqs disabled\n)?/gm,
      replace: 'kmsg: ---[ end trace ]---\n',
      why: "after an oops the kernel repeats the registers of the dying task, which are another boot's values",
    },
    {
      pattern: /^kmsg: PGD [0-9a-f]+ P4D [0-9a-f]+ PUD [0-9a-f]+ PMD [0-9a-f]+ PTE 0$/gm,
      replace: 'kmsg: PGD <page-table walk> PTE 0',
      why: 'a page fault in the module area prints the physical addresses of the page tables walked, which differ between boots (modfs prints stand-ins)',
    },
  ],
  kobjleak: LEFT_BEHIND,
  dbgleak: LEFT_BEHIND,
};

// A device node of modfs is a regular file (a FUSE mount cannot hold a character device that
// reaches the module: the host kernel would open its own driver for that number), so ls -l shows
// '-' and the size where the real system shows 'c' and "MAJOR, MINOR" (the number itself is
// compared through /sys/class/.../dev and /proc/devices).
const DEVICE_NODE_LS = {
  pattern: /^c([rwxsStT-]{9}) (\d+) (\S+) (\S+) +\d+, +\d+ DATE (.*)$/gm,
  replace: '-$1 $2 $3 $4 0 DATE $5',
  why: 'device nodes are regular files on the FUSE mount: ls -l shows - and size 0 for c and MAJOR, MINOR',
};
EXPLAINED.chardev = [DEVICE_NODE_LS];
EXPLAINED.miscdev = [
  DEVICE_NODE_LS,
  { pattern: /^Hello, pid \d+ \(/gm, replace: 'Hello, pid N (', why: "the reader's pid differs between boots" },
];
EXPLAINED.chardev_bad = [
  {
    pattern: /^read\(4\) = 104$/gm,
    replace: 'read(4) = 4',
    why:
      'a read handler returning more than the count reaches the caller unchecked on the real kernel; through FUSE ' +
      'the reply cannot exceed the request, so modfs returns the count',
  },
];

/** Both sides of a comparison: masked, then every explained difference replaced. */
export function explain(name: string, text: string): string {
  let t = mask(text);
  for (const e of [...(EXPLAINED['*'] ?? []), ...(EXPLAINED[name] ?? [])]) t = t.replace(e.pattern, e.replace);
  return t;
}
