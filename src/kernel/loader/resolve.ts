// simplify_symbols/resolve_symbol: give every symbol its final address, reporting each
// undefined one the kernel cannot supply. All bad symbols are reported; the last error wins.
import { SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_WEAK, type ElfSymbol } from '../../elf/index.js';
import { EBUSY, EINVAL, ENOENT, ENOEXEC } from '../errno.js';
import type { Module } from '../module.js';
import { TAINT } from '../taint.js';
import { forceLoad, type TaintSink } from './check-modinfo.js';
import { LoadError } from './load-error.js';
import { modinfoGet, type LoadInfo } from './load-info.js';

export interface FoundSymbol {
  addr: bigint;
  /** null for the kernel itself. */
  owner: Module | null;
  gpl: boolean;
  /** Exporter's CRC; undefined when the exporter has none. */
  crc: number | undefined;
  namespace: string;
}

export interface SymbolSource {
  find(name: string, gplOk: boolean): FoundSymbol | undefined;
  /** Take the usage reference of `user` on `owner` (ref_module); returns a negative errno or 0. */
  refModule(user: Module, owner: Module): number;
}

export interface Versions {
  /** name -> crc from __versions; undefined when the module has no __versions section. */
  crcs: Map<string, number> | undefined;
}

export function readVersions(info: LoadInfo): Versions {
  if (!info.versIndex) return { crcs: undefined };
  const sec = info.sections[info.versIndex]!;
  const crcs = new Map<string, number>();
  const dec = new TextDecoder('latin1');
  for (let off = 0n; off + 64n <= sec.size; off += 64n) {
    const e = info.img.slice(sec.offset + off, 64);
    const nameBytes = e.subarray(8, 64);
    const end = nameBytes.indexOf(0);
    const name = dec.decode(nameBytes.subarray(0, end < 0 ? 56 : end));
    if (!crcs.has(name)) crcs.set(name, new DataView(e.buffer, e.byteOffset).getUint32(0, true));
  }
  return { crcs };
}

/**
 * check_version (Debian: a missing entry fails closed). True when the symbol may be used. `crc`
 * is undefined when the exporter has none, or the build has no MODVERSIONS (nothing to check).
 */
export function checkVersion(
  info: LoadInfo,
  versions: Versions,
  mod: Module,
  sym: string,
  crc: number | undefined,
  t: TaintSink,
): boolean {
  if (crc === undefined) return true;
  if (!versions.crcs) {
    forceLoad(mod.name, sym, t);
    return true;
  }
  const have = versions.crcs.get(sym);
  if (have === undefined) {
    t.warn(`${info.name}: no symbol version for ${sym}`);
    t.builtForOtherKernel(modinfoGet(info, 'vermagic'));
    return false;
  }
  if (have === crc) return true;
  t.warn(`${info.name}: disagrees about version of symbol ${sym}`);
  t.builtForOtherKernel(modinfoGet(info, 'vermagic'));
  return false;
}

export function resolveSymbols(
  info: LoadInfo,
  symbols: ElfSymbol[],
  mod: Module,
  versions: Versions,
  src: SymbolSource,
  sectionAddr: (index: number) => bigint,
  percpuBase: bigint,
  t: TaintSink,
): bigint[] {
  const values = symbols.map((s) => s.value);
  const strtab = info.sections[info.strIndex]!;
  const importNs = new Set(info.modinfo.filter(([k]) => k === 'import_ns').map(([, v]) => v));
  let usingGplOnly = false;
  let err = 0;
  for (const s of symbols.slice(1)) {
    let name: string;
    try {
      name = info.img.stringAt(strtab, s.nameOffset);
    } catch {
      name = '';
    }
    if (s.shndx === SHN_COMMON) {
      t.warn(`${mod.name}: please compile with -fno-common`);
      err = ENOEXEC;
    } else if (s.shndx === SHN_ABS) {
      // absolute: leave alone
    } else if (s.shndx === SHN_UNDEF) {
      const r = resolveOne(name);
      if (typeof r === 'bigint') values[s.index] = r;
      else if (r === ENOENT && (s.bind === STB_WEAK || name === '_GLOBAL_OFFSET_TABLE_')) values[s.index] = 0n;
      else {
        t.warn(`${mod.name}: Unknown symbol ${name} (err -${r})`);
        err = r;
      }
    } else if (s.shndx >= info.sections.length) {
      t.err(`${mod.name}: Symbol ${name} has an invalid section index ${s.shndx} (max ${info.sections.length - 1})`);
      err = ENOEXEC;
    } else if (info.pcpuIndex && s.shndx === info.pcpuIndex) {
      values[s.index] = s.value + percpuBase;
    } else {
      values[s.index] = s.value + sectionAddr(s.shndx);
    }
  }
  if (err) throw new LoadError(err);
  return values;

  function resolveOne(name: string): bigint | number {
    const gplOk = !(mod.taints & (1 << TAINT.PROPRIETARY_MODULE));
    const f = src.find(name, gplOk);
    if (!f) return ENOENT;
    if (f.gpl) usingGplOnly = true;
    if (f.owner && f.owner.taints & (1 << TAINT.PROPRIETARY_MODULE)) {
      if (usingGplOnly) {
        t.err(`${mod.name}: module using GPL-only symbols uses symbols ${name} from proprietary module ${f.owner.name}.`);
        return ENOENT;
      }
      if (!(mod.taints & (1 << TAINT.PROPRIETARY_MODULE))) {
        t.warn(`${mod.name}: module uses symbols ${name} from proprietary module ${f.owner.name}, inheriting taint.`);
        t.taintModule(TAINT.PROPRIETARY_MODULE, true);
      }
    }
    if (!checkVersion(info, versions, mod, name, f.crc, t)) return EINVAL;
    if (f.namespace && !importNs.has(f.namespace)) {
      t.err(`${mod.name}: module uses symbol (${name}) from namespace ${f.namespace}, but does not import it.`);
      return EINVAL;
    }
    if (f.owner) {
      const r = src.refModule(mod, f.owner);
      // An exporter still in its init after resolve_symbol_wait's 30 s (wait-exporters.ts).
      if (r === EBUSY) t.warn(`${mod.name}: gave up waiting for init of module ${f.owner.name}.`);
      if (r) return r;
    }
    return f.addr;
  }
}

