// How the kernel's printf family reaches emulated memory and kallsyms, and where its arguments
// come from: registers/stack for variadic calls, a va_list for the v* variants.
//
// Reads are not guarded: vsnprintf dereferences what it is given (only NULL, the first page and
// ERR_PTR values are caught by check_pointer), so a wild pointer is a page fault inside the
// printf call, reported as the kernel's oops.
import type { TrapContext } from '../../cpu/types.js';
import type { FormatArgs, FormatHooks, FwnodeInfo } from '../format.js';
import type { Kernel } from '../kernel.js';
import { hashPointer } from '../ptr-hash.js';

export function formatHooks(k: Kernel): FormatHooks {
  let noHash: bigint | undefined;
  return {
    readString: (addr, max) => k.mem.readCString(addr, max),
    readBytes: (addr, len) => k.mem.readBytes(addr, len),
    symbolize(addr, withOffset) {
      const s = k.symbolize(addr);
      if (!s) return null;
      return withOffset ? s : s.replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, '');
    },
    hashPointer,
    restrictedPointers: 'zero',
    noHashPointers() {
      // bool no_hash_pointers (lib/vsprintf.c), set only by the boot option: read it as modules do.
      noHash ??= k.exports.addressOf('no_hash_pointers');
      return k.mem.readU8(noHash) !== 0;
    },
    vaList: (va) => vaListCopyArgs(k, va),
    fwnode: (node) => fwnodeInfo(k, node),
    layout: { facts: k.identity.facts, flagNames: k.identity.flagNames },
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

/** The arguments of a va_copy of the va_list at `va`: the original is left as it was. */
export function vaListCopyArgs(k: Kernel, va: bigint): FormatArgs {
  let gp = k.mem.readU32(va);
  let over = k.mem.readU64(va + 8n);
  const save = k.mem.readU64(va + 16n);
  return {
    next: () => {
      if (gp < 48) {
        gp += 8;
        return k.mem.readU64(save + BigInt(gp - 8));
      }
      over += 8n;
      return k.mem.readU64(over - 8n);
    },
  };
}

/**
 * What %pfw needs of a firmware node, through its fwnode_operations as the kernel asks for it
 * (fwnode_get_name, fwnode_get_name_prefix, fwnode_get_parent then fwnode_handle_put): the ops
 * run wherever they live, the kernel's own software-node ops or a module's.
 */
function fwnodeInfo(k: Kernel, node: bigint): FwnodeInfo | null {
  const m = k.mem;
  const ops = m.readU64(node + BigInt(k.identity.facts['fwnode_handle.ops']));
  const op = (name: 'get_name' | 'get_name_prefix' | 'get_parent' | 'put') =>
    ops === 0n ? 0n : m.readU64(ops + BigInt(k.identity.facts[`fwnode_operations.${name}` as keyof typeof k.identity.facts]));
  const call = (name: 'get_name' | 'get_name_prefix' | 'get_parent', arg: bigint) => {
    const fn = op(name);
    return fn === 0n ? 0n : k.cpu.call(fn, [arg]);
  };
  const str = (p: bigint) => (p === 0n ? null : m.readCString(p, 0x7fffffff));
  const parent = call('get_parent', node);
  if (parent !== 0n) {
    const parentOps = m.readU64(parent + BigInt(k.identity.facts['fwnode_handle.ops']));
    const put = parentOps === 0n ? 0n : m.readU64(parentOps + BigInt(k.identity.facts['fwnode_operations.put']));
    if (put !== 0n) k.cpu.call(put, [parent]);
  }
  return { name: str(call('get_name', node)), prefix: str(call('get_name_prefix', node)), parent };
}
