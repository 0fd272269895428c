// kernel/params.c's exported operations: param_set_*/param_get_* functions run in TypeScript
// through traps, and the param_ops_* / param_array_ops structs as data whose function pointers
// are those traps. Every type goes through this one table, from load-time parsing and sysfs alike.
import type { TrapContext } from '../../cpu/types.js';
import { EINVAL, ENOMEM, ENOSPC, EROFS } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { kstrtobool, kstrtoint, kstrtoll, kstrtos16, kstrtou16, kstrtou8, kstrtouint, kstrtoull, type KResult } from '../kstrtox.js';
import { KERNEL_PARAM_OPS_FL_NOARG, KP_ARG, KP_LEVEL, KP_NAME, KP_SIZE, OPS_FREE, OPS_GET, OPS_SET } from '../params/param-table.js';

const PAGE = 4096;
const enc = new TextEncoder();
const latin1 = new TextDecoder('latin1');

interface IntType {
  name: string;
  size: 1 | 2 | 4 | 8;
  parse: (s: Uint8Array) => KResult<bigint | number>;
  show: (raw: bigint) => string;
}

const signedOf = (bits: number) => (raw: bigint) => BigInt.asIntN(bits, raw).toString();
const unsignedOf = (bits: number) => (raw: bigint) => BigInt.asUintN(bits, raw).toString();

const INT_TYPES: IntType[] = [
  { name: 'byte', size: 1, parse: (s) => kstrtou8(s, 0), show: unsignedOf(8) },
  { name: 'short', size: 2, parse: (s) => kstrtos16(s, 0), show: signedOf(16) },
  { name: 'ushort', size: 2, parse: (s) => kstrtou16(s, 0), show: unsignedOf(16) },
  { name: 'int', size: 4, parse: (s) => kstrtoint(s, 0), show: signedOf(32) },
  { name: 'uint', size: 4, parse: (s) => kstrtouint(s, 0), show: unsignedOf(32) },
  { name: 'long', size: 8, parse: (s) => kstrtoll(s, 0), show: signedOf(64) },
  { name: 'ulong', size: 8, parse: (s) => kstrtoull(s, 0), show: unsignedOf(64) },
  { name: 'ullong', size: 8, parse: (s) => kstrtoull(s, 0), show: unsignedOf(64) },
  // %#08x: the kernel's '#' always writes 0x and the width of 8 counts it.
  { name: 'hexint', size: 4, parse: (s) => kstrtouint(s, 0), show: (r) => '0x' + BigInt.asUintN(32, r).toString(16).padStart(6, '0') },
];

export function registerParamApi(k: Kernel): void {
  const mem = k.mem;
  const arg = (kp: bigint) => mem.readU64(kp + BigInt(KP_ARG));
  const str = (p: bigint) => mem.readCString(p, 1 << 20);
  const kpName = (kp: bigint) => latin1.decode(mem.readCString(mem.readU64(kp + BigInt(KP_NAME)), 256));
  const readInt = (addr: bigint, size: number): bigint =>
    size === 1 ? BigInt(mem.readU8(addr)) : size === 2 ? BigInt(mem.readU16(addr)) : size === 4 ? BigInt(mem.readU32(addr)) : mem.readU64(addr);
  const writeInt = (addr: bigint, size: number, v: bigint) => {
    if (size === 1) mem.writeU8(addr, Number(BigInt.asUintN(8, v)));
    else if (size === 2) mem.writeU16(addr, Number(BigInt.asUintN(16, v)));
    else if (size === 4) mem.writeU32(addr, Number(BigInt.asUintN(32, v)));
    else mem.writeU64(addr, BigInt.asUintN(64, v));
  };
  /** scnprintf(buffer, PAGE_SIZE, ...) of an already formatted string. */
  const put = (buf: bigint, s: string | Uint8Array): number => {
    const b = typeof s === 'string' ? enc.encode(s) : s;
    const n = Math.min(b.length, PAGE - 1);
    mem.writeBytes(buf, b.subarray(0, n));
    mem.writeU8(buf + BigInt(n), 0);
    return n;
  };

  const opsStruct = (name: string, flags: number, set: string, get: string, free?: string) =>
    k.exports.data(name, 32, (a) => {
      mem.writeU32(a, flags);
      mem.writeU64(a + BigInt(OPS_SET), k.exports.addressOf(set));
      mem.writeU64(a + BigInt(OPS_GET), k.exports.addressOf(get));
      if (free) mem.writeU64(a + BigInt(OPS_FREE), k.exports.addressOf(free));
    }, { align: 8 });

  for (const t of INT_TYPES) {
    k.exports.func(`param_set_${t.name}`, (c) => {
      const r = t.parse(str(c.arg(0)));
      if (r.errno !== undefined) return -r.errno;
      writeInt(arg(c.arg(1)), t.size, BigInt(r.value));
      return 0;
    });
    k.exports.func(`param_get_${t.name}`, (c) => put(c.arg(0), t.show(readInt(arg(c.arg(1)), t.size)) + '\n'));
    opsStruct(`param_ops_${t.name}`, 0, `param_set_${t.name}`, `param_get_${t.name}`);
  }

  // bool: one byte; a bare name (val NULL) means true.
  const parseBool = (p: bigint): KResult<boolean> => kstrtobool(p === 0n ? '1' : str(p));
  k.exports.func('param_set_bool', (c) => {
    const r = parseBool(c.arg(0));
    if (r.errno !== undefined) return -r.errno;
    mem.writeU8(arg(c.arg(1)), r.value ? 1 : 0);
    return 0;
  });
  k.exports.func('param_get_bool', (c) => put(c.arg(0), mem.readU8(arg(c.arg(1))) ? 'Y\n' : 'N\n'));
  opsStruct('param_ops_bool', KERNEL_PARAM_OPS_FL_NOARG, 'param_set_bool', 'param_get_bool');

  k.exports.func('param_set_bool_enable_only', (c) => {
    const r = parseBool(c.arg(0));
    if (r.errno !== undefined) return -r.errno;
    const a = arg(c.arg(1));
    if (mem.readU8(a) && !r.value) return -EROFS;
    mem.writeU8(a, r.value ? 1 : 0);
    return 0;
  });
  opsStruct('param_ops_bool_enable_only', KERNEL_PARAM_OPS_FL_NOARG, 'param_set_bool_enable_only', 'param_get_bool');

  k.exports.func('param_set_invbool', (c) => {
    const r = parseBool(c.arg(0));
    if (r.errno !== undefined) return -r.errno;
    mem.writeU8(arg(c.arg(1)), r.value ? 0 : 1);
    return 0;
  });
  k.exports.func('param_get_invbool', (c) => put(c.arg(0), mem.readU8(arg(c.arg(1))) ? 'N\n' : 'Y\n'));
  opsStruct('param_ops_invbool', 0, 'param_set_invbool', 'param_get_invbool');

  // bint: an int holding 0 or 1, printed by the int getter.
  k.exports.func('param_set_bint', (c) => {
    const r = parseBool(c.arg(0));
    if (r.errno !== undefined) return -r.errno;
    mem.writeU32(arg(c.arg(1)), r.value ? 1 : 0);
    return 0;
  });
  opsStruct('param_ops_bint', KERNEL_PARAM_OPS_FL_NOARG, 'param_set_bint', 'param_get_int');

  k.exports.func('param_set_uint_minmax', (c) => {
    if (c.arg(0) === 0n) return -EINVAL;
    const r = kstrtouint(str(c.arg(0)), 0);
    if (r.errno !== undefined) return -r.errno;
    const v = BigInt(r.value);
    if (v < BigInt.asUintN(32, c.arg(2)) || v > BigInt.asUintN(32, c.arg(3))) return -EINVAL;
    mem.writeU32(arg(c.arg(1)), Number(v));
    return 0;
  });

  // charp: a fresh kmalloc copy per set; only copies made here are ever freed.
  const maybeKfree = (p: bigint) => {
    if (k.kmallocedParams.delete(p)) k.kfree(p);
  };
  k.exports.func('param_set_charp', (c) => {
    const val = str(c.arg(0));
    if (val.length > 1024) {
      k.log.emit(3, `${kpName(c.arg(1))}: string parameter too long`);
      return -ENOSPC;
    }
    const slot = arg(c.arg(1));
    maybeKfree(mem.readU64(slot));
    const copy = k.kstrdup(val);
    if (copy === 0n) return -ENOMEM;
    k.kmallocedParams.add(copy);
    mem.writeU64(slot, copy);
    return 0;
  });
  k.exports.func('param_get_charp', (c) => {
    const p = mem.readU64(arg(c.arg(1)));
    return put(c.arg(0), p === 0n ? '(null)\n' : concat(str(p), '\n'));
  });
  k.exports.func('param_free_charp', (c) => maybeKfree(mem.readU64(c.arg(0))));
  opsStruct('param_ops_charp', 0, 'param_set_charp', 'param_get_charp', 'param_free_charp');

  // string: a fixed buffer described by struct kparam_string { maxlen, string }.
  k.exports.func('param_set_copystring', (c) => {
    const val = str(c.arg(0));
    const kps = arg(c.arg(1));
    const maxlen = mem.readU32(kps);
    if (val.length + 1 > maxlen) {
      k.log.emit(3, `${kpName(c.arg(1))}: string doesn't fit in ${maxlen - 1} chars.`);
      return -ENOSPC;
    }
    const dst = mem.readU64(kps + 8n);
    mem.writeBytes(dst, val);
    mem.writeU8(dst + BigInt(val.length), 0);
    return 0;
  });
  k.exports.func('param_get_string', (c) => put(c.arg(0), concat(str(mem.readU64(arg(c.arg(1)) + 8n)), '\n')));
  opsStruct('param_ops_string', 0, 'param_set_copystring', 'param_get_string');

  registerArrayOps(k, put);
}

/** struct kparam_array { u32 max; u32 elemsize; u32 *num; ops; void *elem; } */
function registerArrayOps(k: Kernel, put: (buf: bigint, s: string | Uint8Array) => number): void {
  const mem = k.mem;
  const arr = (kp: bigint) => {
    const a = mem.readU64(kp + BigInt(KP_ARG));
    return {
      max: mem.readU32(a),
      elemsize: mem.readU32(a + 4n),
      num: mem.readU64(a + 8n),
      ops: mem.readU64(a + 16n),
      elem: mem.readU64(a + 24n),
    };
  };
  // The element ops get a scratch kernel_param carrying the array's name and the element address.
  const scratchKp = (kp: bigint): bigint => {
    const p = k.kmalloc(KP_SIZE);
    mem.writeBytes(p, mem.readBytes(kp, KP_SIZE));
    return p;
  };
  const count = (a: ReturnType<typeof arr>) => (a.num ? mem.readU32(a.num) : a.max);

  k.exports.func('param_array_set', (c: TrapContext) => {
    const kp = c.arg(1);
    const a = arr(kp);
    const name = latin1.decode(mem.readCString(mem.readU64(kp + BigInt(KP_NAME)), 256));
    const set = mem.readU64(a.ops + BigInt(OPS_SET));
    const tmp = scratchKp(kp);
    mem.writeU8(tmp + BigInt(KP_LEVEL), mem.readU8(kp + BigInt(KP_LEVEL)));
    let scratchNum = 0;
    const readNum = () => (a.num ? mem.readU32(a.num) : scratchNum);
    const writeNum = (n: number) => (a.num ? mem.writeU32(a.num, n) : (scratchNum = n));
    try {
      writeNum(0);
      let val = c.arg(0);
      let elem = a.elem;
      for (;;) {
        if (readNum() === a.max) {
          k.log.emit(3, `${name}: can only take ${a.max} arguments`);
          return -EINVAL;
        }
        const piece = mem.readCString(val, 1 << 20);
        const comma = piece.indexOf(0x2c);
        const len = comma < 0 ? piece.length : comma;
        const more = comma >= 0;
        mem.writeU8(val + BigInt(len), 0);
        mem.writeU64(tmp + BigInt(KP_ARG), elem);
        const r = Number(BigInt.asIntN(32, c.call(set, [val, tmp])));
        if (r !== 0) return r;
        elem += BigInt(a.elemsize);
        val += BigInt(len + 1);
        writeNum(readNum() + 1);
        if (!more) break;
      }
      return 0;
    } finally {
      k.kfree(tmp);
    }
  }, { hidden: true });

  k.exports.func('param_array_get', (c: TrapContext) => {
    const buf = c.arg(0);
    const kp = c.arg(1);
    const a = arr(kp);
    const get = mem.readU64(a.ops + BigInt(OPS_GET));
    const tmp = scratchKp(kp);
    try {
      let off = 0;
      const n = count(a);
      for (let i = 0; i < n && off < PAGE - 1; i++) {
        if (i) mem.writeU8(buf + BigInt(off - 1), 0x2c);
        mem.writeU64(tmp + BigInt(KP_ARG), a.elem + BigInt(a.elemsize * i));
        const r = Number(BigInt.asIntN(32, c.call(get, [buf + BigInt(off), tmp])));
        if (r < 0) return r;
        off += r;
      }
      mem.writeU8(buf + BigInt(off), 0);
      return off;
    } finally {
      k.kfree(tmp);
    }
  }, { hidden: true });

  // free() receives kp->arg (the kparam_array itself), not the kernel_param.
  k.exports.func('param_array_free_elems', (c: TrapContext) => {
    const pa = c.arg(0);
    const a = { max: mem.readU32(pa), elemsize: mem.readU32(pa + 4n), num: mem.readU64(pa + 8n), ops: mem.readU64(pa + 16n), elem: mem.readU64(pa + 24n) };
    const free = mem.readU64(a.ops + BigInt(OPS_FREE));
    if (free === 0n) return;
    const n = count(a);
    for (let i = 0; i < n; i++) c.call(free, [a.elem + BigInt(a.elemsize * i)]);
  }, { hidden: true });

  k.exports.data('param_array_ops', 32, (addr) => {
    mem.writeU32(addr, 0);
    mem.writeU64(addr + BigInt(OPS_SET), k.exports.addressOf('param_array_set'));
    mem.writeU64(addr + BigInt(OPS_GET), k.exports.addressOf('param_array_get'));
    mem.writeU64(addr + BigInt(OPS_FREE), k.exports.addressOf('param_array_free_elems'));
  }, { align: 8 });
}

function concat(a: Uint8Array, s: string): Uint8Array {
  const b = enc.encode(s);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
