// Decoder cross-check against binutils: for every module of the differential corpus (hand-written
// and csmith), objdump -d disassembles each executable section, and the interpreter's decoder must
// find the same instruction boundaries (same length at every instruction) and the same mnemonic
// class (a coarse mapping: mov, movzx, alu:add, jcc, shift:sar, string:stos, ...).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAt, DecodeError } from '../../src/cpu/decode.js';

const DIFF = resolve(import.meta.dirname, '../../examples/diff');
const CSMITH_SAMPLE = Number(process.env.OBJDUMP_CSMITH ?? 1e9);

interface Section {
  name: string;
  offset: number;
  size: number;
}

/** Executable sections of an ELF64 relocatable file (SHF_EXECINSTR, not NOBITS). */
function execSections(b: Uint8Array): Section[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  const shstrndx = dv.getUint16(0x3e, true);
  const sh = (i: number) => shoff + i * shentsize;
  const strOff = Number(dv.getBigUint64(sh(shstrndx) + 0x18, true));
  const name = (o: number) => {
    let e = strOff + o;
    while (b[e] !== 0) e++;
    return Buffer.from(b.subarray(strOff + o, e)).toString('latin1');
  };
  const out: Section[] = [];
  for (let i = 1; i < shnum; i++) {
    const type = dv.getUint32(sh(i) + 4, true);
    const flags = dv.getBigUint64(sh(i) + 8, true);
    if (type === 8 || (flags & 4n) === 0n) continue;
    out.push({
      name: name(dv.getUint32(sh(i), true)),
      offset: Number(dv.getBigUint64(sh(i) + 0x18, true)),
      size: Number(dv.getBigUint64(sh(i) + 0x20, true)),
    });
  }
  return out;
}

interface ObjInsn {
  addr: number;
  length: number;
  text: string;
  mnemonic: string;
}

const PREFIXES = new Set(['lock', 'rep', 'repz', 'repnz', 'repe', 'repne', 'notrack', 'bnd', 'cs', 'ds', 'es', 'ss',
  'fs', 'gs', 'data16', 'data32', 'addr32', 'rex', 'rex.W', 'rex.B', 'rex.R', 'rex.X', 'rex.WB', 'rex.WR', 'rex.WX']);

/** objdump -d of every executable section, in one run: section name -> instructions. */
function objdump(file: string): Map<string, ObjInsn[]> {
  const text = execFileSync('objdump', ['-d', '-w', '-M', 'att', file], { encoding: 'latin1', maxBuffer: 1 << 28 });
  const out = new Map<string, ObjInsn[]>();
  let cur: ObjInsn[] = [];
  for (const line of text.split('\n')) {
    const s = /^Disassembly of section (.*):$/.exec(line);
    if (s) {
      cur = [];
      out.set(s[1]!, cur);
      continue;
    }
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const words = m[3]!.replace(/\s+#.*$/, '').trim().split(/\s+/);
    let k = 0;
    while (k < words.length - 1 && PREFIXES.has(words[k]!)) k++;
    cur.push({ addr: parseInt(m[1]!, 16), length: m[2]!.split(' ').length, text: m[3]!, mnemonic: words[k] ?? '' });
  }
  return out;
}

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFT = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'shl', 'sar'];
const STRING = ['movs', 'cmps', 'stos', 'lods', 'scas'];
const GRP3 = ['', '', '', '', 'mul', 'imul', 'div', 'idiv'];

/** Class of the interpreter's decoding, from its generic handler and sub-operation. */
function ourClass(handler: string, op: number): string {
  switch (handler) {
    case 'aluEG': case 'aluGE': case 'aluEI': return `alu:${ALU[op]}`;
    case 'shiftEI': case 'shiftECL': return `shift:${SHIFT[op]}`;
    case 'stringOp': return `string:${STRING[op]}`;
    case 'mulDivE': return GRP3[op]!;
    case 'imulGE': case 'imulGEI': return 'imul';
    case 'movEG': case 'movGE': case 'movEI': case 'movRI64': return 'mov';
    case 'pushR': case 'pushE': case 'pushI': return 'push';
    case 'popR': case 'popE': return 'pop';
    case 'jmpRel': case 'jmpE': return 'jmp';
    case 'callRel': case 'callE': return 'call';
    case 'ret': case 'retImm': return 'ret';
    case 'testEG': case 'testEI': return 'test';
    case 'incE': return 'inc';
    case 'decE': return 'dec';
    case 'notE': return 'not';
    case 'negE': return 'neg';
    case 'xchgEG': return 'xchg';
    case 'cmpxchgEG': return 'cmpxchg';
    case 'xaddEG': return 'xadd';
    case 'btEG': case 'btEI': return ['bt', 'bts', 'btr', 'btc'][op]!;
    case 'bsfBsr': return op ? 'bsr' : 'bsf';
    case 'tzLzcnt': return op ? 'lzcnt' : 'tzcnt';
    case 'shldrd': return op & 1 ? 'shrd' : 'shld';
    case 'bswapR': return 'bswap';
    case 'cbwE': return 'cbw';
    case 'cwdE': return 'cwd';
    case 'cmpxchg8b16b': return 'cmpxchg16b';
    case 'privileged': return 'privileged';
    default: return handler; // jcc, setcc, cmovcc, movzx, movsx, lea, leave, nop, ud2, int3, ...
  }
}

/** Class of an objdump (AT&T) mnemonic, in the same vocabulary. */
function objClass(mn: string): string {
  if (/^j(mp)?$/.test(mn) || mn === 'jmpq') return 'jmp';
  if (/^(jrcxz|jecxz|loop|loope|loopne)$/.test(mn)) return 'loopJrcxz';
  if (/^j[a-z]+$/.test(mn)) return 'jcc';
  if (/^cmov[a-z]+$/.test(mn)) return 'cmovcc';
  if (/^set[a-z]+$/.test(mn)) return 'setcc';
  if (/^(movz[bw][wlq]|movzx)$/.test(mn)) return 'movzx';
  if (/^(movs[bwl][wlq]|movsx|movsxd)$/.test(mn)) return 'movsx';
  if (/^(cltq|cwtl|cbtw)$/.test(mn)) return 'cbw';
  if (/^(cltd|cqto|cwtd)$/.test(mn)) return 'cwd';
  if (/^(nop[wlq]?|endbr64|prefetch\w*|lfence|mfence|sfence|clflush|clac|stac|xchg %ax,%ax)$/.test(mn)) return 'nop';
  if (/^(hlt|syscall|sysret[lq]?|wrmsr|rdmsr|clts|wbinvd|xgetbv|int|mov%cr|lgdt|lidt)$/.test(mn)) return 'privileged';
  if (/^(pushf[q]?)$/.test(mn)) return 'pushf';
  if (/^(popf[q]?)$/.test(mn)) return 'popf';
  if (/^(movabs[q]?)$/.test(mn)) return 'mov';
  if (/^cmpxchg(8b|16b)$/.test(mn)) return 'cmpxchg16b';
  if (/^(movbe[wlq]?)$/.test(mn)) return 'movbe';
  if (/^(rdtscp?|cpuid|ud2|int3|leave[q]?|cli|sti|cld|std|clc|stc|cmc|sahf|lahf|pause)$/.test(mn)) return mn.replace(/q$/, '');
  for (const [re, c] of [
    [/^(movs[bwlq]?)$/, 'string:movs'], [/^(cmps[bwlq]?)$/, 'string:cmps'], [/^(stos[bwlq]?)$/, 'string:stos'],
    [/^(lods[bwlq]?)$/, 'string:lods'], [/^(scas[bwlq]?)$/, 'string:scas'],
  ] as const) if (re.test(mn)) return c;
  const base = mn.replace(/^(call|ret|push|pop)q$/, '$1');
  if (['call', 'ret', 'push', 'pop'].includes(base)) return base;
  const ops = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
  for (const o of ops) if (new RegExp(`^${o}[bwlq]?$`).test(mn)) return `alu:${o}`;
  for (const o of ['rol', 'ror', 'rcl', 'rcr', 'shl', 'sal', 'shr', 'sar']) if (new RegExp(`^${o}[bwlq]?$`).test(mn)) return `shift:${o === 'sal' ? 'shl' : o}`;
  for (const o of ['shld', 'shrd', 'test', 'inc', 'dec', 'not', 'neg', 'mul', 'imul', 'div', 'idiv', 'xchg', 'cmpxchg',
    'xadd', 'bts', 'btr', 'btc', 'bt', 'bsf', 'bsr', 'tzcnt', 'lzcnt', 'popcnt', 'bswap', 'lea', 'mov']) {
    if (new RegExp(`^${o}[bwlq]?$`).test(mn)) return o;
  }
  return `?${mn}`;
}

/** Classes that name the same thing (xchg %eax,%eax style nops, 66 90 printed as xchg %ax,%ax). */
function sameClass(ours: string, theirs: string): boolean {
  return ours === theirs || (ours === 'xchg' && theirs === 'nop') || (ours === 'popcnt' && theirs === 'popcnt');
}

function modulesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ko')).sort().map((f) => join(dir, f)) : [];
}

const handWritten = modulesUnder(join(DIFF, 'ko'));
const csmith = modulesUnder(join(DIFF, 'csmith', 'ko')).slice(0, CSMITH_SAMPLE);
const examples = modulesUnder(resolve(DIFF, '../ko'));

function crossCheck(file: string): { insns: number; problems: string[] } {
  const bytes = new Uint8Array(readFileSync(file));
  const problems: string[] = [];
  let insns = 0;
  const listing = objdump(file);
  for (const sec of execSections(bytes)) {
    if (sec.size === 0) continue;
    const data = bytes.subarray(sec.offset, sec.offset + sec.size);
    const reader = { r8: (a: number) => { if (a >= data.length) throw new RangeError('end of section'); return data[a]!; } };
    const list = listing.get(sec.name);
    if (!list) problems.push(`${file}: objdump did not disassemble ${sec.name}`);
    for (const ins of list ?? []) {
      insns++;
      const where = `${file.replace(DIFF + '/', '')} ${sec.name}+0x${ins.addr.toString(16)} '${ins.text}'`;
      if (ins.mnemonic === '(bad)' || ins.mnemonic === '.byte') {
        problems.push(`${where}: objdump cannot decode it`);
        continue;
      }
      let d;
      try {
        d = decodeAt(reader, ins.addr);
      } catch (e) {
        problems.push(`${where}: ${e instanceof DecodeError ? 'invalid opcode in modfs' : String(e)}`);
        continue;
      }
      if (d.length !== ins.length) problems.push(`${where}: length ${d.length}, objdump ${ins.length}`);
      const ours = ourClass(d.handler, d.op);
      const theirs = objClass(ins.mnemonic);
      if (!sameClass(ours, theirs)) problems.push(`${where}: class ${ours} (${d.handler}/${d.op}), objdump ${theirs}`);
    }
  }
  return { insns, problems };
}

describe('decoder vs objdump -d', () => {
  for (const [label, files] of [['examples', examples], ['hand-written corpus', handWritten], ['csmith corpus', csmith]] as const) {
    it(`${label}: ${files.length} modules, same lengths and classes`, () => {
      let insns = 0;
      const problems: string[] = [];
      for (const f of files) {
        const r = crossCheck(f);
        insns += r.insns;
        problems.push(...r.problems);
      }
      expect(problems.slice(0, 40)).toEqual([]);
      expect(insns).toBeGreaterThan(files.length ? 100 : -1);
    });
  }
});
