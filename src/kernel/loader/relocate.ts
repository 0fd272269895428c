// apply_relocate_add for x86-64 (arch/x86/kernel/module.c, 6.1): the accepted types, the
// "location must be zero" check, and the 32/32S overflow checks, with the kernel's messages.
import {
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_NONE,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PLT32,
  SHT_REL,
  SHT_RELA,
} from '../../elf/index.js';
import type { AddressSpace } from '../../mm/types.js';
import { ENOEXEC } from '../errno.js';
import type { TaintSink } from './check-modinfo.js';
import { LoadError } from './load-error.js';
import type { LoadInfo } from './load-info.js';

const M64 = (1n << 64n) - 1n;

export function applyRelocations(
  info: LoadInfo,
  modName: string,
  mem: AddressSpace,
  loaded: (index: number) => boolean,
  sectionAddr: (index: number) => bigint,
  symValues: bigint[],
  hashPointer: (p: bigint) => bigint,
  t: TaintSink,
): void {
  const fail = (msg: string): never => {
    t.err(msg);
    throw new LoadError(ENOEXEC);
  };
  for (const sec of info.sections) {
    if (sec.type !== SHT_RELA && sec.type !== SHT_REL) continue;
    if (sec.info >= info.sections.length || !loaded(sec.info)) continue;
    if (sec.type === SHT_REL) fail(`module ${modName}: REL relocation unsupported`);
    const target = info.sections[sec.info]!;
    const base = sectionAddr(sec.info);
    for (const r of info.img.relas(sec)) {
      const width = r.type === R_X86_64_64 || r.type === R_X86_64_PC64 ? 8n : r.type === R_X86_64_NONE ? 0n : 4n;
      if (r.offset + width > target.size) {
        // The kernel would write past the section; refuse rather than corrupt a neighbour.
        fail(`module: ${modName}: relocation offset 0x${r.offset.toString(16)} outside section ${info.names[sec.info]}`);
      }
      if (r.sym >= symValues.length) fail(`module: ${modName}: relocation symbol ${r.sym} out of range`);
      const loc = base + r.offset;
      const val = (symValues[r.sym]! + r.addend) & M64;
      const nonzero = (width: 4 | 8): boolean => (width === 8 ? mem.readU64(loc) !== 0n : mem.readU32(loc) !== 0);
      const invalid = (): never =>
        fail(
          `module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type ${r.type}, loc ${hashPointer(loc).toString(16).padStart(16, '0')}, val ${val.toString(16)}`,
        );
      switch (r.type) {
        case R_X86_64_NONE:
          break;
        case R_X86_64_64:
          if (nonzero(8)) invalid();
          mem.writeU64(loc, val);
          break;
        case R_X86_64_32:
          if (nonzero(4)) invalid();
          if (val > 0xffffffffn) overflow();
          mem.writeU32(loc, Number(val));
          break;
        case R_X86_64_32S: {
          if (nonzero(4)) invalid();
          const s = BigInt.asIntN(64, val);
          if (s < -0x80000000n || s > 0x7fffffffn) overflow();
          mem.writeU32(loc, Number(val & 0xffffffffn));
          break;
        }
        case R_X86_64_PC32:
        case R_X86_64_PLT32:
          if (nonzero(4)) invalid();
          mem.writeU32(loc, Number((val - loc) & 0xffffffffn));
          break;
        case R_X86_64_PC64:
          if (nonzero(8)) invalid();
          mem.writeU64(loc, (val - loc) & M64);
          break;
        default:
          fail(`module: ${modName}: Unknown rela relocation: ${r.type}`);
      }
      function overflow(): never {
        t.err(`module: overflow in relocation type ${r.type} val ${val.toString(16)}`);
        return fail(`module: \`${modName}' likely not compiled with -mcmodel=kernel`);
      }
    }
  }
}
