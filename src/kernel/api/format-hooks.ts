// How the kernel's printf family reaches emulated memory and kallsyms, and where its arguments
// come from: registers/stack for variadic calls, a va_list for the v* variants.
import type { TrapContext } from '../../cpu/types.js';
import type { FormatArgs, FormatHooks } from '../format.js';
import type { Kernel } from '../kernel.js';
import { hashPointer } from '../ptr-hash.js';

export function formatHooks(k: Kernel): FormatHooks {
  return {
    readString(addr, max) {
      try {
        return k.mem.readCString(addr, max);
      } catch {
        return null;
      }
    },
    readBytes(addr, len) {
      try {
        return k.mem.readBytes(addr, len);
      } catch {
        return null;
      }
    },
    symbolize(addr, withOffset) {
      const s = k.symbolize(addr);
      if (!s) return null;
      return withOffset ? s : s.replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, '');
    },
    hashPointer,
    restrictedPointers: 'zero',
  };
}

/** Variadic arguments starting at SysV argument index `first`. */
export function variadicArgs(c: TrapContext, first: number): FormatArgs {
  let i = first;
  return { next: () => c.arg(i++) };
}

/** Arguments of a va_list (x86-64 SysV: gp_offset, fp_offset, overflow_arg_area, reg_save_area). */
export function vaListArgs(k: Kernel, va: bigint): FormatArgs {
  return {
    next: () => {
      const gp = k.mem.readU32(va);
      if (gp < 48) {
        k.mem.writeU32(va, gp + 8);
        return k.mem.readU64(k.mem.readU64(va + 16n) + BigInt(gp));
      }
      const over = k.mem.readU64(va + 8n);
      k.mem.writeU64(va + 8n, over + 8n);
      return k.mem.readU64(over);
    },
  };
}
