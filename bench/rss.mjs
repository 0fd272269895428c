// Daemon memory: VmRSS of the modfs process idle, with 100 modules loaded, and after unloading
// them. The 100 modules are copies of hello.ko renamed hl000..hl099 (same length, so no layout
// change) in struct module's name (.gnu.linkonce.this_module + 24) and in .modinfo's name=.
// Run alone: node bench/rss.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, REPO, startModfs, vmRssKb, writeOnce } from './lib.mjs';

/** Copies of hello.ko named hl000.. in a temp dir; returns [dir, paths]. */
export async function renamedHellos(n) {
  const { ElfImage, sectionName } = await import(join(REPO, 'dist/elf/index.js'));
  const orig = new Uint8Array(readFileSync(join(KO, 'hello.ko')));
  const img = new ElfImage(orig);
  const h = img.header();
  const secs = img.sections(h);
  const sec = (name) => {
    const s = secs.find((x) => sectionName(img, secs[h.shstrndx], x) === name);
    if (!s) throw new Error(`hello.ko has no ${name}`);
    return s;
  };
  const thisModule = Number(sec('.gnu.linkonce.this_module').offset) + 24;
  const mi = sec('.modinfo');
  const modinfo = Buffer.from(orig.subarray(Number(mi.offset), Number(mi.offset + mi.size)));
  const at = modinfo.indexOf('\0name=hello\0') + 1 || (modinfo.indexOf('name=hello\0') === 0 ? 0 : -1);
  if (at < 0) throw new Error('hello.ko: no name=hello in .modinfo');
  if (Buffer.from(orig.subarray(thisModule, thisModule + 6)).toString('latin1') !== 'hello\0') throw new Error('hello.ko: unexpected struct module name');
  const dir = mkdtempSync(join(tmpdir(), 'modfs-bench-ko-'));
  const paths = [];
  for (let i = 0; i < n; i++) {
    const name = `hl${String(i).padStart(3, '0')}`;
    const b = Buffer.from(orig);
    b.write(name, thisModule, 'latin1');
    b.write(name, Number(mi.offset) + at + 5, 'latin1');
    const p = join(dir, `${name}.ko`);
    writeFileSync(p, b);
    paths.push([name, p]);
  }
  return { dir, paths };
}

const settle = () => new Promise((r) => setTimeout(r, 500));

export async function rss(n = Number(process.env.BENCH_MODULES ?? 100)) {
  const { dir, paths } = await renamedHellos(n);
  const m = await startModfs();
  try {
    await settle();
    const idle = vmRssKb(m.pid);
    const load = join(m.dir, 'sys/kernel/modctl/load');
    const unload = join(m.dir, 'sys/kernel/modctl/unload');
    const t0 = process.hrtime.bigint();
    for (const [, p] of paths) writeOnce(load, p);
    const loadSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const listed = readFileSync(join(m.dir, 'proc/modules'), 'utf8').split('\n').filter((l) => l.startsWith('hl')).length;
    if (listed !== n) throw new Error(`only ${listed} of ${n} modules listed`);
    await settle();
    const loaded = vmRssKb(m.pid);
    for (const [name] of paths) writeOnce(unload, name);
    await settle();
    const after = vmRssKb(m.pid);
    return { modules: n, idleKb: idle, loadedKb: loaded, afterUnloadKb: after, perModuleKb: (loaded - idle) / n, loadAllSeconds: loadSecs };
  } finally {
    await m.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await rss(), null, 2));
}
