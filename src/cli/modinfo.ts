// modfs modinfo FILE|NAME...: kmod modinfo. A FILE is read here (its .modinfo through src/elf);
// a NAME would need the file the module came from, which the tree does not expose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from './command.js';
import { ElfImage, readModinfo, sectionName } from '../elf/index.js';
import { EINVAL, ENOENT, ENOEXEC, ErrnoError, errnoOf, kmodError, pathToModname, strerror } from './client.js';

interface Args {
  m?: string;
  modules?: string[];
  F?: string;
  '0'?: boolean;
  a?: boolean;
  d?: boolean;
  l?: boolean;
  p?: boolean;
  n?: boolean;
}

interface Param {
  name: string;
  desc?: string;
  type?: string;
}

/** kmod merges `parm=` (description) and `parmtype=` by name into one entry per parameter;
 *  new names go to the head of its list, so they print in reverse order of first mention. */
function collectParams(info: Array<[string, string]>): Param[] {
  const params: Param[] = [];
  for (const [key, value] of info) {
    if (key !== 'parm' && key !== 'parmtype') continue;
    const colon = value.indexOf(':');
    if (colon < 0) {
      kmodError('modinfo', `Found invalid "${key}=${value}": missing ':'`);
      continue;
    }
    const name = value.slice(0, colon);
    let p = params.find((x) => x.name === name);
    if (!p) params.unshift((p = { name }));
    if (key === 'parm') p.desc = value.slice(colon + 1);
    else p.type = value.slice(colon + 1);
  }
  return params;
}

/** `name:desc (type)`, `name:desc`, or with -F parm `name: (type)` / else `name:type`. */
function paramText(p: Param, fieldOnly: boolean): string {
  if (p.desc === undefined) return fieldOnly ? `${p.name}: (${p.type})` : `${p.name}:${p.type}`;
  return p.type !== undefined ? `${p.name}:${p.desc} (${p.type})` : `${p.name}:${p.desc}`;
}

/** The `filename:` line kmod prints before it reads the file (so it precedes a read error). */
export function modinfoHeader(filename: string, field: string | undefined, sep: string): string {
  if (field === 'filename') return filename + sep;
  return field === undefined ? `${'filename:'.padEnd(16)}${filename}${sep}` : '';
}

/** kmod's modinfo lines for a file's .modinfo pairs. Strings are byte strings (latin1), as
 *  .modinfo is bytes; `field` is -F, `sep` is '\n' or '\0' (-0). */
export function modinfoBody(info: Array<[string, string]>, field: string | undefined, sep: string): string {
  if (field === 'filename') return '';
  if (field === 'parm') return collectParams(info).map((p) => paramText(p, true) + sep).join('');
  if (field !== undefined) return info.filter(([k]) => k === field).map(([, v]) => v + sep).join('');
  let out = '';
  for (const [key, value] of info) {
    if (key === 'parm' || key === 'parmtype') continue;
    if (sep === '\0') out += `${key}=${value}${sep}`;
    // printf("%s:%-*s", key, 15 - keylen, ""): a negative width still pads, by its magnitude.
    else out += `${key}:${' '.repeat(Math.abs(15 - key.length))}${value}${sep}`;
  }
  // Parameters come last, one merged line each.
  for (const p of collectParams(info)) out += `${'parm:'.padEnd(16)}${paramText(p, false)}${sep}`;
  return out;
}

/** kmod treats an argument as a file only if it is a regular file with a module extension. */
function isModuleFile(arg: string): boolean {
  try {
    return fs.statSync(arg).isFile() && /\.ko(\.(gz|xz|zst))?$/.test(arg);
  } catch {
    return false;
  }
}

function modinfoFile(arg: string, field: string | undefined, sep: string): boolean {
  const abs = path.resolve(arg);
  process.stdout.write(Buffer.from(modinfoHeader(latin1(abs), field, sep), 'latin1'));
  if (field === 'filename') return true;
  let info: Array<[string, string]>;
  try {
    const bytes = fs.readFileSync(abs);
    if (bytes.length === 0) throw new ErrnoError(EINVAL, 'empty'); // kmod's mmap of 0 bytes
    try {
      if (!isElf(bytes)) throw new Error('no ELF magic');
      info = readModinfo(bytes);
    } catch {
      throw new ErrnoError(ENOEXEC, 'not ELF');
    }
    // kmod fails when the section is missing (an empty one is fine).
    if (info.length === 0 && !hasModinfoSection(bytes)) throw new ErrnoError(ENOENT, 'no .modinfo');
  } catch (err) {
    const e = err instanceof ErrnoError ? err.errno : errnoOf(err);
    kmodError('modinfo', `could not get modinfo from '${pathToModname(arg)}': ${strerror(e)}`);
    return false;
  }
  process.stdout.write(Buffer.from(modinfoBody(info, field, sep), 'latin1'));
  return true;
}

const isElf = (b: Uint8Array) => b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

function hasModinfoSection(bytes: Uint8Array): boolean {
  const img = new ElfImage(bytes);
  const h = img.header();
  const secs = img.sections(h);
  const shstr = secs[h.shstrndx];
  return shstr !== undefined && secs.some((s) => sectionName(img, shstr, s) === '.modinfo');
}

/** A JS (UTF-16) string as the latin1 string of its UTF-8 bytes, to mix with .modinfo text. */
function latin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function modinfo(argv: Args): number {
  const args = argv.modules ?? [];
  if (args.length === 0) return kmodError('modinfo', 'missing module or filename.'), 1;
  const field =
    argv.F ?? (argv.a ? 'author' : argv.d ? 'description' : argv.l ? 'license' : argv.p ? 'parm' : argv.n ? 'filename' : undefined);
  const sep = argv['0'] ? '\0' : '\n';
  let ok = true;
  for (const arg of args) {
    if (isModuleFile(arg)) {
      ok = modinfoFile(arg, field, sep) && ok;
    } else {
      // kmod looks names up in /lib/modules indexes; modfs modules live only in the tree, which
      // does not record the file a module was loaded from.
      kmodError('modinfo', `Module ${arg} not found.`);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

const command: Command<Args> = {
  command: 'modinfo [modules..]',
  describe: 'Show information about a module file (kmod modinfo)',
  builder: (y) =>
    y
      .positional('modules', { type: 'string', array: true, describe: '.ko files' })
      .option('F', { alias: 'field', type: 'string', describe: 'print only this field' })
      .option('0', { alias: 'null', type: 'boolean', describe: 'use \\0 instead of \\n' })
      .option('a', { alias: 'author', type: 'boolean', describe: "print only 'author'" })
      .option('d', { alias: 'description', type: 'boolean', describe: "print only 'description'" })
      .option('l', { alias: 'license', type: 'boolean', describe: "print only 'license'" })
      .option('p', { alias: 'parameters', type: 'boolean', describe: "print only 'parm'" })
      .option('n', { alias: 'filename', type: 'boolean', describe: "print only 'filename'" }),
  handler: (argv) => {
    process.exitCode = modinfo(argv);
  },
};
export default command;
