// Load-time parameters (parse_args/next_arg/parse_one, 6.1). The argument string lives in kernel
// memory; tokenizing writes NULs into it exactly as the kernel does, so setters (and the error
// messages printed after them) see the same bytes a real kernel's would.
import type { Kernel } from '../kernel.js';
import type { Module } from '../module.js';
import { EINVAL, ENOENT, ENOSPC, KernelError } from '../errno.js';
import { callSet, cString, KERNEL_PARAM_OPS_FL_NOARG, opsField, OPS_FLAGS } from './param-table.js';

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
const dash = (c: number) => (c === 0x2d ? 0x5f : c);

interface Token {
  param: number; // offsets into the args buffer
  val: number | null;
}

/** next_arg over `buf` (mutated in place); returns the token and the offset of the next one. */
export function nextArg(buf: Uint8Array, start: number): { tok: Token; next: number } {
  let a = start;
  let inQuote = false;
  let quoted = false;
  if (buf[a] === 0x22) {
    a++;
    inQuote = quoted = true;
  }
  let i = 0;
  let equals = 0;
  for (; buf[a + i]; i++) {
    const c = buf[a + i]!;
    if (isSpace(c) && !inQuote) break;
    if (equals === 0 && c === 0x3d) equals = i;
    if (c === 0x22) inQuote = !inQuote;
  }
  let val: number | null = null;
  if (equals) {
    buf[a + equals] = 0;
    val = a + equals + 1;
    if (buf[val] === 0x22) {
      val++;
      if (buf[a + i - 1] === 0x22) buf[a + i - 1] = 0;
    }
  }
  if (quoted && i > 0 && buf[a + i - 1] === 0x22) buf[a + i - 1] = 0;
  let next: number;
  if (buf[a + i]) {
    buf[a + i] = 0;
    next = a + i + 1;
  } else next = a + i;
  while (buf[next] && isSpace(buf[next]!)) next++;
  return { tok: { param: a, val }, next };
}

function cstr(buf: Uint8Array, off: number): Uint8Array {
  let e = off;
  while (buf[e]) e++;
  return buf.subarray(off, e);
}

function parameq(a: Uint8Array, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (dash(a[i]!) !== dash(b.charCodeAt(i))) return false;
  return true;
}

const latin1 = new TextDecoder('latin1');

/** pr_err/pr_warn as printk sees them: an over-long value is cut at the record limit and the
 *  cut message loses its newline, so it stays open until the next message (as on 6.1). */
function pr(k: Kernel, level: number, text: string): void {
  const body = Buffer.from(text, 'latin1');
  k.log.printk(Buffer.concat([Buffer.from([1, 0x30 + level]), body, Buffer.from('\n')]));
}

/** parse_args for a module being loaded: throws KernelError with the last failing errno. */
export function parseModuleArgs(k: Kernel, mod: Module): void {
  const base = mod.argsAddr;
  const raw = k.mem.readCString(base, 1 << 20);
  // One spare NUL: the tokenizer reads the terminator past the last token.
  const buf = new Uint8Array(raw.length + 1);
  buf.set(raw);
  let pos = 0;
  while (buf[pos] && isSpace(buf[pos]!)) pos++;
  let err = 0;
  while (buf[pos]) {
    const start = pos;
    const { tok, next } = nextArg(buf, pos);
    pos = next;
    k.mem.writeBytes(base + BigInt(start), buf.subarray(start, Math.min(next, raw.length)));
    const param = cstr(buf, tok.param);
    const name = latin1.decode(param);
    if (tok.val === null && name === '--') {
      if (!err) pr(k, 4, `${mod.name}: parameters '${latin1.decode(cstr(buf, pos))}' after \`--' ignored`);
      break;
    }
    const valAddr = tok.val === null ? 0n : base + BigInt(tok.val);
    const ret = parseOne(k, mod, param, tok.val === null ? null : latin1.decode(cstr(buf, tok.val)), valAddr);
    if (ret === 0) continue;
    // The setter may have written NULs into the value (arrays split at commas): re-read it.
    const shown = tok.val === null ? '' : cString(k, valAddr);
    if (ret === -ENOENT) pr(k, 3, `${mod.name}: Unknown parameter \`${name}'`);
    else if (ret === -ENOSPC) pr(k, 3, `${mod.name}: \`${shown}' too large for parameter \`${name}'`);
    else pr(k, 3, `${mod.name}: \`${shown}' invalid for parameter \`${name}'`);
    err = -ret;
  }
  if (err) throw new KernelError(err);
}

function parseOne(k: Kernel, mod: Module, param: Uint8Array, val: string | null, valAddr: bigint): number {
  for (const p of mod.params) {
    if (!parameq(param, p.name)) continue;
    if (val === null && !(Number(opsField(k, p, OPS_FLAGS)) & KERNEL_PARAM_OPS_FL_NOARG)) return -EINVAL;
    return callSet(k, p, valAddr, true);
  }
  const name = latin1.decode(param);
  if (name === 'async_probe') {
    return 0;
  }
  if (name === 'dyndbg' || name.endsWith('.dyndbg')) return 0;
  pr(k, 4, `${mod.name}: unknown parameter '${name}' ignored`);
  return 0;
}

