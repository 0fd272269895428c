// The kernel's character classes (lib/ctype.c, include/linux/ctype.h). They are not C's: the
// table also classes Latin-1 (0xa0 is white space, 0xc0..0xde upper case but for ×, 0xdf..0xff
// lower case but for ÷), and tolower() maps those upper-case letters too. Modules read the table
// itself (the exported _ctype) through the isxxx() macros, so it is data, built here once.

export const CT_UPPER = 0x01;
export const CT_LOWER = 0x02;
export const CT_DIGIT = 0x04;
export const CT_CNTRL = 0x08;
export const CT_PUNCT = 0x10;
export const CT_SPACE = 0x20;
export const CT_XDIGIT = 0x40;
export const CT_HARDSPACE = 0x80;

function build(): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    let v = 0;
    if (c < 32 || c === 127) v |= CT_CNTRL;
    if ((c >= 9 && c <= 13) || c === 32 || c === 160) v |= CT_SPACE;
    if (c === 32 || c === 160) v |= CT_HARDSPACE;
    if (c >= 0x30 && c <= 0x39) v |= CT_DIGIT;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) v |= CT_UPPER;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c !== 0xf7)) v |= CT_LOWER;
    if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) v |= CT_XDIGIT;
    const printable = (c > 32 && c < 127) || c > 160;
    if (printable && !(v & (CT_UPPER | CT_LOWER | CT_DIGIT))) v |= CT_PUNCT;
    t[c] = v;
  }
  return t;
}

/** _ctype[256], byte for byte. */
export const CTYPE: Uint8Array = build();

export const isSpace = (c: number): boolean => (CTYPE[c & 0xff]! & CT_SPACE) !== 0;
export const isDigit = (c: number): boolean => (CTYPE[c & 0xff]! & CT_DIGIT) !== 0;
export const isXDigit = (c: number): boolean => (CTYPE[c & 0xff]! & (CT_DIGIT | CT_XDIGIT)) !== 0;
export const isAlnum = (c: number): boolean => (CTYPE[c & 0xff]! & (CT_UPPER | CT_LOWER | CT_DIGIT)) !== 0;
export const isPrint = (c: number): boolean =>
  (CTYPE[c & 0xff]! & (CT_PUNCT | CT_UPPER | CT_LOWER | CT_DIGIT | CT_HARDSPACE)) !== 0;
export const isGraph = (c: number): boolean => (CTYPE[c & 0xff]! & (CT_PUNCT | CT_UPPER | CT_LOWER | CT_DIGIT)) !== 0;
/** __tolower(): upper-case letters of the table, Latin-1 included, move by 32. */
export const toLower = (c: number): number => ((CTYPE[c & 0xff]! & CT_UPPER) !== 0 ? (c & 0xff) + 32 : c & 0xff);
export const toUpper = (c: number): number => ((CTYPE[c & 0xff]! & CT_LOWER) !== 0 ? (c & 0xff) - 32 : c & 0xff);
/** hex_to_bin(): the digit's value, or -1. */
export const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x61 + 10 : -1;
