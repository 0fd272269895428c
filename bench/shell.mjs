// modfs shell figures (issue 7): the real `insmod hello.ko` in the shell until "Hello, world!" is
// in the log; the real `lsmod` with 100 and 1000 modules loaded; `modprobe` of the deepest chain
// (chain_c: chain_a <- chain_b <- chain_c); and the measurements behind docs/shell.md (exec with
// and without the LD_PRELOAD shim, the seccomp fence per system call, a seccomp user-notification
// round trip, shell start-up). Times inside the shell are taken by bash's $EPOCHREALTIME, so no
// process is started to read the clock. The machine is noisy: each figure is a median with its
// range, and ratios come from the same run.
//
//   node bench/shell.mjs            (or BENCH_ONLY=shell npm run bench)
//   BENCH_SHELL_N=40 BENCH_SHELL_MANY=1000
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE, KO, REPO, ensureBuilt, isMain, startModfs } from './lib.mjs';

const BIN = join(REPO, 'bin/modfs.js');
const N = Number(process.env.BENCH_SHELL_N ?? 30);
const MANY = Number(process.env.BENCH_SHELL_MANY ?? 1000);

function stats(us) {
  const t = [...us].sort((a, b) => a - b);
  const q = (p) => t[Math.min(t.length - 1, Math.floor(p * t.length))];
  return { median: q(0.5), min: t[0], p90: q(0.9), n: t.length };
}

/** Runs a bash script inside `modfs shell`; the script prints one number (µs) per line. */
function timedInShell(dir, script, data) {
  const r = spawnSync(process.execPath, [BIN, 'shell', '-m', dir, '-c', `exec bash -c '${script.replace(/'/g, `'\\''`)}'`], {
    cwd: KO,
    env: { ...process.env, XDG_DATA_HOME: data },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`shell script failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => /^\d+(\.\d+)?$/.test(l))
    .map(Number);
}

/** `t0=now; CMD; t=now-t0` in bash, microseconds. */
const timed = (cmd) => `s=$EPOCHREALTIME; ${cmd}; e=$EPOCHREALTIME; echo $(( (\${e/./}-\${s/./}) ))`;

/** hello.ko under another name: the name in .modinfo and in struct module, same length. */
function renamedHello(name, out) {
  const b = readFileSync(join(KO, 'hello.ko'));
  for (const at of [b.indexOf('name=hello\0') + 5, b.indexOf(Buffer.from('hello\0\0\0\0\0\0\0\0'))]) {
    if (at < 5) throw new Error('hello.ko layout changed: name not found');
    b.write(name, at, 'latin1');
  }
  writeFileSync(out, b);
}

function timeSpawn(argv, n, env = {}) {
  const us = [];
  for (let i = 0; i < n; i++) {
    const a = process.hrtime.bigint();
    spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: 'ignore', cwd: KO });
    us.push(Number(process.hrtime.bigint() - a) / 1000);
  }
  return stats(us);
}

function buildC(name) {
  mkdirSync(CACHE, { recursive: true });
  const exe = join(CACHE, `shell-${name}`);
  execFileSync('gcc', ['-O2', '-o', exe, join(REPO, `bench/shell/${name}.c`)], { stdio: 'inherit' });
  return exe;
}

export async function shellBench() {
  const res = {};
  const data = mkdtempSync(join(tmpdir(), 'modfs-bench-data-'));
  const m = await startModfs();
  try {
    // 1. insmod hello.ko to "Hello, world!" in the log. insmod returns once init has run, so the
    // line is there when it exits; each round checks that it is.
    const insmod = timedInShell(
      m.dir,
      `dmesg -C; for i in $(seq ${N + 3}); do ${timed('insmod hello.ko')}; dmesg -c | grep -q "Hello, world!" || echo MISSING >&2; rmmod hello; done`,
      data,
    ).slice(3);
    res.insmod = stats(insmod);
    // the same through modfs's own CLI (one Node start per command), and the bare control file
    res.modfsInsmod = stats(
      Array.from({ length: Math.min(N, 10) }, () => {
        const a = process.hrtime.bigint();
        spawnSync(process.execPath, [BIN, 'insmod', '-m', m.dir, join(KO, 'hello.ko')]);
        const t = Number(process.hrtime.bigint() - a) / 1000;
        spawnSync(process.execPath, [BIN, 'rmmod', '-m', m.dir, 'hello']);
        return t;
      }),
    );
    res.controlFile = stats(
      timedInShell(m.dir, `for i in $(seq ${N}); do ${timed(`echo ${KO}/hello.ko > $MODFS_MOUNT/sys/kernel/modctl/load`)}; rmmod hello; done`, data),
    );

    // 3. modprobe of the deepest chain, after depmod
    const chain = timedInShell(
      m.dir,
      `D=/lib/modules/$(uname -r)/extra; mkdir -p $D; cp chain_a.ko chain_b.ko chain_c.ko diamond_*.ko $D/; depmod; ` +
        `for i in $(seq ${Math.max(5, N >> 1)}); do ${timed('modprobe chain_c')}; modprobe -r chain_c; rmmod chain_a; done`,
      data,
    );
    res.modprobeChain = stats(chain);
    res.modprobeDiamond = stats(
      timedInShell(m.dir, `for i in $(seq ${Math.max(5, N >> 1)}); do ${timed('modprobe diamond_top')}; modprobe -r diamond_top; rmmod diamond_base; done`, data),
    );

    // 2. lsmod with 100 and MANY modules loaded (renamed copies of hello.ko)
    const copies = mkdtempSync(join(tmpdir(), 'modfs-bench-ko-'));
    res.lsmod = {};
    let loaded = 0;
    for (const count of [100, MANY]) {
      const files = [];
      for (let i = loaded; i < count; i++) {
        const f = join(copies, `m${String(i).padStart(4, '0')}.ko`);
        renamedHello(`m${String(i).padStart(4, '0')}`, f);
        files.push(f);
      }
      writeFileSync(join(copies, 'list'), files.join('\n') + '\n');
      const a = process.hrtime.bigint();
      timedInShell(m.dir, `while read f; do echo "$f" > $MODFS_MOUNT/sys/kernel/modctl/load || exit 1; done < ${join(copies, 'list')}`, data);
      const loadSec = Number(process.hrtime.bigint() - a) / 1e9;
      loaded = count;
      const n = count >= 1000 ? 5 : 15;
      const lsmod = timedInShell(m.dir, `test $(lsmod | wc -l) -eq $((${count} + 1)) || echo WRONG >&2; for i in $(seq ${n}); do ${timed('lsmod > /dev/null')}; done`, data);
      const proc = timedInShell(m.dir, `for i in $(seq ${n}); do ${timed('cat /proc/modules > /dev/null')}; done`, data);
      const cli = timeSpawn([process.execPath, BIN, 'lsmod', '-m', m.dir], Math.min(n, 5));
      res.lsmod[count] = { lsmod: stats(lsmod), procModules: stats(proc), modfsLsmod: cli, loadAllSeconds: loadSec };
    }
    rmSync(copies, { recursive: true, force: true });
    timedInShell(m.dir, `for n in $(lsmod | awk 'NR>1 {print $1}'); do echo $n > $MODFS_MOUNT/sys/kernel/modctl/unload; done`, data);

    // design measurements (docs/shell.md)
    res.exec = {
      withShim: stats(timedInShell(m.dir, `for i in $(seq 200); do ${timed('/bin/true')}; done`, data)),
      withoutShim: stats(timedInShell(m.dir, `unset LD_PRELOAD; for i in $(seq 200); do ${timed('/bin/true')}; done`, data)),
      unameWithShim: stats(timedInShell(m.dir, `for i in $(seq 200); do ${timed('uname -r >/dev/null')}; done`, data)),
    };
    res.startup = {
      modfsShellTrue: timeSpawn([process.execPath, BIN, 'shell', '-m', m.dir, '-c', 'true'], 10, { XDG_DATA_HOME: data }),
      nodeVersion: timeSpawn([process.execPath, BIN, '--version'], 10),
      enterOnly: timeSpawn([join(REPO, 'native/build/modfs-enter'), '--bind', join(m.dir, 'sys/module'), '/sys/module', '--fence', '--', '/bin/true'], 50),
      trueOnly: timeSpawn(['/bin/true'], 50),
    };
    const sc = buildC('syscall-cost');
    const un = buildC('unotify-rtt');
    const run = (argv) => Number(execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' }).trim());
    const reps = (f) => stats(Array.from({ length: 5 }, f));
    res.syscall = {
      plainNs: reps(() => run([sc, '2000000'])),
      fencedNs: reps(() => run([join(REPO, 'native/build/modfs-enter'), '--fence', '--', sc, '2000000'])),
      unotifyNs: reps(() => run([un, '20000', '0'])),
      unotifyCopy5kNs: reps(() => run([un, '5000', '5360'])),
    };
  } finally {
    await m.stop();
    rmSync(data, { recursive: true, force: true });
  }
  return res;
}

export function shellRows(r) {
  const ms = (s) => `${(s.median / 1000).toFixed(1)} ms (${(s.min / 1000).toFixed(1)}–${(s.p90 / 1000).toFixed(1)})`;
  const us = (s) => `${s.median.toFixed(0)} µs (${s.min.toFixed(0)}–${s.p90.toFixed(0)})`;
  const rows = [
    ['shell: insmod hello.ko to "Hello, world!" in the log', ms(r.insmod), `modfs insmod ${ms(r.modfsInsmod)}`, `control file ${ms(r.controlFile)}`],
    ['shell: modprobe chain_c (3 modules)', ms(r.modprobeChain), `diamond_top (4) ${ms(r.modprobeDiamond)}`, ''],
  ];
  for (const [n, v] of Object.entries(r.lsmod)) {
    rows.push([`shell: lsmod with ${n} modules`, ms(v.lsmod), `cat /proc/modules ${ms(v.procModules)}`, `modfs lsmod ${ms(v.modfsLsmod)}; loading ${v.loadAllSeconds.toFixed(1)} s`]);
  }
  rows.push(['shell: exec /bin/true with / without the shim', `${us(r.exec.withShim)}`, `${us(r.exec.withoutShim)}`, `uname -r ${us(r.exec.unameWithShim)}`]);
  rows.push(['shell: start (modfs shell -c true)', ms(r.startup.modfsShellTrue), `node alone ${ms(r.startup.nodeVersion)}`, `modfs-enter ${us(r.startup.enterOnly)}, true ${us(r.startup.trueOnly)}`]);
  rows.push([
    'syscall: getppid plain / under the fence',
    `${r.syscall.plainNs.median.toFixed(0)} ns`,
    `${r.syscall.fencedNs.median.toFixed(0)} ns`,
    `seccomp-notify round trip ${(r.syscall.unotifyNs.median / 1000).toFixed(1)} µs, +5 KiB read ${(r.syscall.unotifyCopy5kNs.median / 1000).toFixed(1)} µs`,
  ]);
  return rows;
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  const r = await shellBench();
  const rows = shellRows(r);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => x[i].length)));
  for (const x of rows) console.log(`  ${x[0].padEnd(w[0])}  ${x[1].padStart(w[1])}  ${x[2].padEnd(w[2])}  ${x[3]}`);
  console.log(JSON.stringify(r));
}
