// lib/hexdump.c's hex_dump_to_buffer as a pure function: what it stores into the caller's line
// buffer and what it returns, including its behaviour on a buffer too small (the bytes stored
// before it gave up stay, and the return value is the length the full line would have had).

const HEX = '0123456789abcdef';

export interface HexLine {
  /** The bytes stored at the start of linebuf (a NUL included when one was stored). */
  stored: Uint8Array;
  /** hex_dump_to_buffer's return value. */
  ret: number;
}

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
const printableAscii = (c: number): boolean => c >= 0x20 && c < 0x7f;

/**
 * `data` is the first `len` bytes of the dump (the caller reads min(len, rowsize) of them);
 * groups of 2, 4 or 8 bytes are read as little-endian numbers, as x86 does.
 */
export function hexDumpToBuffer(data: Uint8Array, rowsizeIn: number, groupsizeIn: number, linebuflen: number, ascii: boolean): HexLine {
  const rowsize = rowsizeIn === 16 || rowsizeIn === 32 ? rowsizeIn : 16;
  const len = Math.min(data.length, rowsize);
  let groupsize = !isPow2(groupsizeIn) || groupsizeIn > 8 ? 1 : groupsizeIn;
  if (len % groupsize !== 0) groupsize = 1;
  const ngroups = Math.floor(len / groupsize);
  const asciiColumn = rowsize * 2 + Math.floor(rowsize / groupsize) + 1;
  const buf: number[] = [];
  const overflowRet = ascii ? asciiColumn + len : (groupsize * 2 + 1) * ngroups - 1;
  const done = (nul: boolean, ret: number): HexLine => {
    if (nul) buf.push(0);
    return { stored: Uint8Array.from(buf), ret };
  };

  if (!linebuflen) return done(false, overflowRet);
  if (!len) return done(true, 0);

  if (groupsize > 1) {
    for (let j = 0; j < ngroups; j++) {
      let v = 0n;
      for (let b = groupsize - 1; b >= 0; b--) v = (v << 8n) | BigInt(data[j * groupsize + b]!);
      const text = (j ? ' ' : '') + v.toString(16).padStart(groupsize * 2, '0');
      // snprintf(linebuf + lx, linebuflen - lx, ...): stores what fits, NUL-terminated.
      const room = linebuflen - buf.length;
      if (text.length >= room) {
        for (let i = 0; i < room - 1; i++) buf.push(text.charCodeAt(i));
        return done(true, overflowRet);
      }
      for (const ch of text) buf.push(ch.charCodeAt(0));
    }
  } else {
    let j = 0;
    for (; j < len; j++) {
      for (const ch of [HEX[data[j]! >> 4]!, HEX[data[j]! & 15]!, ' ']) {
        if (linebuflen < buf.length + 2) return done(true, overflowRet);
        buf.push(ch.charCodeAt(0));
      }
    }
    if (j) buf.pop();
  }
  if (!ascii) return done(true, buf.length);
  while (buf.length < asciiColumn) {
    if (linebuflen < buf.length + 2) return done(true, overflowRet);
    buf.push(0x20);
  }
  for (let j = 0; j < len; j++) {
    if (linebuflen < buf.length + 2) return done(true, overflowRet);
    buf.push(printableAscii(data[j]!) ? data[j]! : 0x2e);
  }
  const lx = buf.length;
  return done(true, lx);
}
