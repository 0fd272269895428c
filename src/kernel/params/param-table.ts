// A module's `__param` table (struct kernel_param, 40 bytes each) read back from its relocated
// memory, and the calls through each entry's kernel_param_ops that sysfs and unload make.
import type { LoadInfo } from '../loader/load-info.js';
import type { Kernel } from '../kernel.js';
import type { Module, ModuleParam } from '../module.js';
import { EPERM, errnoFromReturn, KernelError } from '../errno.js';
import { showPage, storeBuffer } from '../sysfs-buffers.js';

export const KP_SIZE = 40;
export const KP_NAME = 0;
export const KP_MOD = 8;
export const KP_OPS = 16;
export const KP_PERM = 24;
export const KP_LEVEL = 26;
export const KP_FLAGS = 27;
export const KP_ARG = 32;

export const OPS_FLAGS = 0;
export const OPS_SET = 8;
export const OPS_GET = 16;
export const OPS_FREE = 24;

export const KERNEL_PARAM_OPS_FL_NOARG = 1;
export const KERNEL_PARAM_FL_UNSAFE = 1;

export function readParams(k: Kernel, info: LoadInfo, addrOf: (i: number) => bigint): ModuleParam[] {
  const i = info.sections.findIndex((s, j) => info.alloc[j] && info.names[j] === '__param');
  if (i <= 0) return [];
  const base = addrOf(i);
  const n = Math.floor(Number(info.sections[i]!.size) / KP_SIZE);
  const out: ModuleParam[] = [];
  for (let j = 0; j < n; j++) {
    const kp = base + BigInt(j * KP_SIZE);
    out.push({
      kp,
      name: cString(k, k.mem.readU64(kp + BigInt(KP_NAME))),
      ops: k.mem.readU64(kp + BigInt(KP_OPS)),
      perm: k.mem.readU16(kp + BigInt(KP_PERM)),
      level: (k.mem.readU8(kp + BigInt(KP_LEVEL)) << 24) >> 24,
      flags: k.mem.readU8(kp + BigInt(KP_FLAGS)),
    });
  }
  return out;
}

export function opsField(k: Kernel, p: ModuleParam, off: number): bigint {
  return k.mem.readU64(p.ops + BigInt(off));
}

/** param_check_unsafe: log and taint U before an unsafe parameter is set. */
export function checkUnsafe(k: Kernel, p: ModuleParam): void {
  if (p.flags & KERNEL_PARAM_FL_UNSAFE) {
    k.log.emit(5, `Setting dangerous option ${p.name} - tainting kernel`);
    k.addTaint(6, false);
  }
}

/**
 * ops->set(val, kp) on the CPU; val is a NUL-terminated copy in kernel memory. Returns -errno or 0.
 * sysfs refuses a NULL set with EPERM; load-time parsing calls it unchecked, as 6.1 does, so a
 * value for a get-only parameter is a call to address 0: an oops (transcripts/callback_oops.txt).
 */
export function callSet(k: Kernel, p: ModuleParam, valAddr: bigint, atLoad = false): number {
  const set = opsField(k, p, OPS_SET);
  if (set === 0n && !atLoad) return -EPERM;
  checkUnsafe(k, p);
  const r = k.callModule(set, [valAddr, p.kp]);
  return -errnoFromReturn(r) || Number(BigInt.asIntN(32, r));
}

/** sysfs read of a parameter: the getter's output, or KernelError with its errno. */
export function paramShow(k: Kernel, p: ModuleParam): Uint8Array {
  const get = opsField(k, p, OPS_GET);
  if (get === 0n) throw new KernelError(EPERM);
  const page = showPage(k);
  const r = Number(BigInt.asIntN(32, k.callModule(get, [page, p.kp])));
  if (r < 0) throw new KernelError(-r);
  return k.mem.readBytes(page, Math.min(r, 4095));
}

/** sysfs write: at most 4096 bytes, NUL-terminated, newline kept. Returns bytes consumed. */
export function paramStore(k: Kernel, p: ModuleParam, data: Uint8Array): number {
  if (data.length === 0) return 0;
  const { buf, len } = storeBuffer(k, data);
  const r = callSet(k, p, buf);
  if (r < 0) throw new KernelError(-r);
  return len;
}

/** destroy_params at unload or failed load: ops->free(arg) for each parameter that has one. */
export function destroyParams(k: Kernel, mod: Module): void {
  for (const p of mod.params) {
    const free = opsField(k, p, OPS_FREE);
    if (free !== 0n) k.callModule(free, [k.mem.readU64(p.kp + BigInt(KP_ARG))]);
  }
}

export function cString(k: Kernel, addr: bigint, max = 4096): string {
  try {
    return new TextDecoder('latin1').decode(k.mem.readCString(addr, max));
  } catch {
    return '';
  }
}
