// The real kernel's output for the fault modules (transcripts/faults/, made by
// scripts/faults-oracle.sh under QEMU) and a normal form both sides are compared in: what must
// match is kept (every message, the oops layout, symbol+offset of module code, error codes,
// addresses the module chose), what cannot is masked or dropped (pids, kernel addresses, sizes
// of kallsyms ranges, the taint and module lists that depend on what ran before, the machine's
// name, the user-space register block and "? " guesses of the real unwinder, "Code:" lines).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const FAULTS_KO = resolve(ROOT, 'examples/faults/ko');

/**
 * Kernel lines the real kernel logged after `$ cmd` in transcripts/faults/<name>.txt (cmd '':
 * those before the first command, for work started in the background).
 */
export function oracleLog(name: string, cmd: string): string[] {
  const lines = readFileSync(resolve(ROOT, 'transcripts/faults', `${name}.txt`), 'utf8').split('\n');
  const start = cmd === '' ? -1 : lines.indexOf(`$ ${cmd}`);
  if (cmd !== '' && start < 0) throw new Error(`${name}.txt has no "$ ${cmd}"`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith('$ ')) break;
    if (l.startsWith('kmsg: ')) out.push(l.slice(6));
    else if (/^\[\s*\d+\.\d+\] /.test(l)) out.push(l.replace(/^\[\s*\d+\.\d+\] /, ''));
  }
  return out;
}

const DROP = [
  /^ \? /,
  /^Hardware name: /,
  /^Code: /,
  / loading out-of-tree module taints kernel\.$/,
  / module verification failed: /,
  /^note: \S+ exited with irqs disabled$/,
  /^Kernel Offset: /,
  // A real machine stops at a panic; with panic=-1 (the oracle's setting) it reboots before this.
  /^---\[ end Kernel panic - not syncing: /,
  /^Disabling lock debugging due to kernel taint$/,
];

/** The comparable form of a kernel log excerpt (see the file comment). */
export function normalize(lines: string[]): string[] {
  const out: string[] = [];
  let user = false;
  for (let l of lines) {
    if (l.startsWith('RIP: 0033:')) user = true;
    if (user) {
      if (l === ' </TASK>') user = false;
      else continue;
    }
    if (DROP.some((r) => r.test(l))) continue;
    l = l
      .replace(/PID: \d+/g, 'PID: N')
      // %p: hashed, or "(____ptrval____)" before the hash key exists (early boot under QEMU)
      .replace(/(?<=guard page was hit at |stack is |\.\.)(\(____ptrval____\)|[0-9a-f]{16})/g, 'PTR')
      .replace(/\[(\w+):\d+\]/g, '[$1:N]')
      .replace(/CPU(#|: )\d/g, 'CPU$1N')
      .replace(/CR4: [0-9a-f]{16}/, 'CR4: X')
      .replace(/stuck for \d+s/, 'stuck for Ns')
      .replace(/\[#\d+\]/, '[#N]')
      .replace(/(Tainted: |Not tainted)[A-Z ]*(?= 6\.1\.0)/, 'TAINT')
      .replace(/^Modules linked in: .*/, 'Modules linked in: ...')
      .replace(/(\+0x[0-9a-f]+)\/0x[0-9a-f]+/g, '$1/SIZE')
      .replace(/\b[0-9a-f]{16}\b/g, (h) => (/^(0000|ffff)/.test(h) && !/^0{8}/.test(h) ? 'ADDR' : h))
      .replace(/\b0x(ffff[0-9a-f]{12})\b/g, '0xADDR')
      .replace(/^CR2: \S+ CR3: \S+/, 'CR2: X CR3: X')
      .replace(/^(FS:  )\S+/, '$1X')
      .replace(/GS:\S+/, 'GS:X');
    // Register values differ between any two runs; their names and layout must not.
    if (/^(RSP|RAX|RDX|RBP|R10|R13): /.test(l)) l = l.replace(/[0-9a-f]{16}|ADDR/g, 'V').replace(/EFLAGS: [0-9a-f]{8}/, 'EFLAGS: F');
    out.push(l);
  }
  return out;
}
