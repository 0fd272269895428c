// lib/uuid.c exports: parsing ("00112233-4455-..." into 16 bytes, GUIDs with their first three
// fields little-endian), validation, random generation, and the null/index tables.
import { EINVAL } from '../errno.js';
import { isXDigit, hexValue } from '../ctype.js';
import type { Kernel } from '../kernel.js';

const UUID_STRING_LEN = 36;
const GUID_INDEX = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const UUID_INDEX = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
/** Where each byte's two digits start in the text. */
const DIGITS_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** uuid_is_valid: 36 characters, dashes at 8, 13, 18 and 23, hex digits elsewhere. */
export function uuidIsValid(s: Uint8Array): boolean {
  for (let i = 0; i < UUID_STRING_LEN; i++) {
    const ch = s[i] ?? 0;
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (ch !== 0x2d) return false;
    } else if (!isXDigit(ch)) return false;
  }
  return true;
}

export function registerUuidApi(k: Kernel): void {
  const m = k.mem;
  k.exports.data('guid_null', 16, undefined, { align: 8 });
  k.exports.data('uuid_null', 16, undefined, { align: 8 });
  k.exports.data('guid_index', 16, (a) => m.writeBytes(a, Uint8Array.from(GUID_INDEX)), { align: 16 });
  k.exports.data('uuid_index', 16, (a) => m.writeBytes(a, Uint8Array.from(UUID_INDEX)), { align: 16 });

  k.exports.func('uuid_is_valid', (c) => uuidIsValid(m.readCString(c.arg(0), UUID_STRING_LEN)));
  const parse = (name: string, order: number[]) =>
    k.exports.func(name, (c) => {
      const s = m.readCString(c.arg(0), UUID_STRING_LEN);
      if (!uuidIsValid(s)) return -EINVAL;
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i++) b[order[i]!] = (hexValue(s[DIGITS_AT[i]!]!) << 4) | hexValue(s[DIGITS_AT[i]! + 1]!);
      m.writeBytes(c.arg(1), b);
      return 0;
    });
  parse('uuid_parse', UUID_INDEX);
  parse('guid_parse', GUID_INDEX);

  // Random v4 identifiers: the version nibble sits in byte 6 of a UUID, byte 7 of a GUID.
  const getRandomBytes = k.exports.addressOf('get_random_bytes');
  const generate = (name: string, versionByte: number) =>
    k.exports.func(name, (c) => {
      const p = c.arg(0);
      c.call(getRandomBytes, [p, 16n]);
      m.writeU8(p + BigInt(versionByte), (m.readU8(p + BigInt(versionByte)) & 0x0f) | 0x40);
      m.writeU8(p + 8n, (m.readU8(p + 8n) & 0x3f) | 0x80);
    });
  generate('generate_random_uuid', 6);
  generate('generate_random_guid', 7);
  generate('uuid_gen', 6);
  generate('guid_gen', 7);
}
