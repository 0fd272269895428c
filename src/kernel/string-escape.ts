// lib/string_helpers.c's string_escape_mem: which bytes pass through and how the others are
// escaped, rule by rule in the kernel's order. Returns the whole output (the caller cuts it to
// the room it has, as the kernel's size-limited writes do).
import { isPrint } from './ctype.js';

export const ESCAPE_SPACE = 1 << 0;
export const ESCAPE_SPECIAL = 1 << 1;
export const ESCAPE_NULL = 1 << 2;
export const ESCAPE_OCTAL = 1 << 3;
export const ESCAPE_ANY = ESCAPE_SPACE | ESCAPE_OCTAL | ESCAPE_SPECIAL | ESCAPE_NULL;
export const ESCAPE_NP = 1 << 4;
export const ESCAPE_ANY_NP = ESCAPE_ANY | ESCAPE_NP;
export const ESCAPE_HEX = 1 << 5;
export const ESCAPE_NA = 1 << 6;
export const ESCAPE_NAP = 1 << 7;
export const ESCAPE_APPEND = 1 << 8;

const SPACE: Record<number, string> = { 0x0a: 'n', 0x0d: 'r', 0x09: 't', 0x0b: 'v', 0x0c: 'f' };
const SPECIAL: Record<number, string> = { 0x5c: '\\', 0x07: 'a', 0x1b: 'e', 0x22: '"' };
const HEX = '0123456789abcdef';

export function stringEscapeMem(src: Uint8Array, flags: number, only: Uint8Array | null = null): number[] {
  const out: number[] = [];
  const push = (s: string) => {
    for (const ch of s) out.push(ch.charCodeAt(0));
  };
  const isDict = only !== null && only.length > 0;
  const isAppend = (flags & ESCAPE_APPEND) !== 0;
  for (const c of src) {
    // strchr(only, c) also finds the terminating NUL.
    const inDict = isDict && (c === 0 || only!.includes(c));
    const ascii = c <= 0x7f;
    if (!(isAppend || inDict) && isDict) out.push(c);
    else if (!(isAppend && inDict) && ascii && isPrint(c) && flags & ESCAPE_NAP) out.push(c);
    else if (!(isAppend && inDict) && isPrint(c) && flags & ESCAPE_NP) out.push(c);
    else if (!(isAppend && inDict) && ascii && flags & ESCAPE_NA) out.push(c);
    else if (flags & ESCAPE_SPACE && SPACE[c]) push(`\\${SPACE[c]}`);
    else if (flags & ESCAPE_SPECIAL && SPECIAL[c]) push(`\\${SPECIAL[c]}`);
    else if (flags & ESCAPE_NULL && c === 0) push('\\0');
    else if (flags & ESCAPE_OCTAL) push(`\\${(c >> 6) & 7}${(c >> 3) & 7}${c & 7}`);
    else if (flags & ESCAPE_HEX) push(`\\x${HEX[c >> 4]}${HEX[c & 15]}`);
    else out.push(c);
  }
  return out;
}
