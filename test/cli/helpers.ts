// Runs the real CLI (node bin/modfs.js) against a plain directory laid out like a modfs tree.
// Control files are regular files, so a test can read what a command wrote to them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/modfs.js');

/** Compiles the package once if dist/cli is missing or older than src/cli. Other layers may
 *  have type errors mid-development; tsc still emits, so only the output is checked. */
export function ensureBuilt(): void {
  const main = path.join(ROOT, 'dist/cli/main.js');
  const srcDir = path.join(ROOT, 'src/cli');
  const newest = Math.max(...fs.readdirSync(srcDir).map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs));
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= newest) return;
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!fs.existsSync(main)) throw new Error('tsc did not produce dist/cli/main.js');
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  out: Buffer;
}

export function modfs(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): RunResult {
  const env = { ...process.env, MODFS_MOUNT: undefined, ...opts.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString(), out: r.stdout };
}

export interface FakeModule {
  name: string;
  size?: number;
  refcnt?: number;
  users?: string[];
  permanent?: boolean;
  state?: string;
  /** sysfs: omit the directory entirely (module not yet in sysfs) */
  noSysfs?: boolean;
  initstate?: string | null;
  coresize?: number | null;
  sysRefcnt?: number | null;
  holders?: string[];
}

/** A temp dir shaped like the tree: proc/modules, sys/module/<m>/..., sys/kernel/modctl/{load,
 *  unload,clear}, dev/kmsg. `builtins` get a /sys/module dir without initstate. */
export function makeTree(mods: FakeModule[] = [], builtins: string[] = [], kmsg = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modfs-cli-'));
  const mk = (p: string, content?: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    if (content !== undefined) fs.writeFileSync(path.join(dir, p), content);
  };
  const lines = mods.map((m) => {
    const deps = [...(m.users ?? []).map((u) => u + ','), m.permanent ? '[permanent],' : ''].join('');
    return `${m.name} ${m.size ?? 16384} ${m.refcnt ?? 0} ${deps || '-'} ${m.state ?? 'Live'} 0xffffffffc0a1b000 (OE)`;
  });
  mk('proc/modules', lines.map((l) => l + '\n').join(''));
  for (const m of mods) {
    if (m.noSysfs) continue;
    const base = `sys/module/${m.name}`;
    if (m.initstate !== null) mk(`${base}/initstate`, `${m.initstate ?? 'live'}\n`);
    if (m.coresize !== null) mk(`${base}/coresize`, `${m.coresize ?? m.size ?? 16384}\n`);
    if (m.sysRefcnt !== null) mk(`${base}/refcnt`, `${m.sysRefcnt ?? m.refcnt ?? 0}\n`);
    fs.mkdirSync(path.join(dir, base, 'holders'), { recursive: true });
    for (const h of m.holders ?? m.users ?? []) fs.symlinkSync(`../../${h}`, path.join(dir, base, 'holders', h));
  }
  for (const b of builtins) mk(`sys/module/${b}/parameters/x`, '1\n');
  mk('sys/kernel/modctl/load', '');
  mk('sys/kernel/modctl/unload', '');
  mk('sys/kernel/modctl/clear', '');
  mk('dev/kmsg', kmsg);
  return dir;
}

export const readTree = (dir: string, p: string) => fs.readFileSync(path.join(dir, p), 'latin1');

/** A minimal ELF64 relocatable with a `.modinfo` section holding `entries` (NUL-separated). */
export function buildKo(entries: string[] | null): Buffer {
  const modinfo = Buffer.from(entries === null ? '' : entries.map((e) => e + '\0').join(''), 'latin1');
  const names = entries === null ? ['', '.shstrtab', '.text'] : ['', '.shstrtab', '.modinfo'];
  const shstr = Buffer.from(names.join('\0') + '\0');
  const off = (i: number) => names.slice(0, i).reduce((a, n) => a + n.length + 1, 0);
  const dataOff = 64;
  const shstrOff = dataOff + modinfo.length;
  const shoff = (shstrOff + shstr.length + 7) & ~7;
  const buf = Buffer.alloc(shoff + 3 * 64);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  buf.writeUInt16LE(1, 16); // ET_REL
  buf.writeUInt16LE(62, 18); // EM_X86_64
  buf.writeUInt32LE(1, 20);
  buf.writeBigUInt64LE(BigInt(shoff), 40);
  buf.writeUInt16LE(64, 52);
  buf.writeUInt16LE(64, 58);
  buf.writeUInt16LE(3, 60);
  buf.writeUInt16LE(1, 62); // shstrndx
  modinfo.copy(buf, dataOff);
  shstr.copy(buf, shstrOff);
  const sh = (i: number, name: number, type: number, offset: number, size: number) => {
    const o = shoff + i * 64;
    buf.writeUInt32LE(name, o);
    buf.writeUInt32LE(type, o + 4);
    buf.writeBigUInt64LE(BigInt(offset), o + 24);
    buf.writeBigUInt64LE(BigInt(size), o + 32);
    buf.writeBigUInt64LE(1n, o + 48);
  };
  sh(1, off(1), 3, shstrOff, shstr.length);
  sh(2, off(2), 1, dataOff, modinfo.length);
  return buf;
}

/** Whether a host tool (kmod's modinfo, ...) can be used as an oracle. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
