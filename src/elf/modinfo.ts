// `.modinfo`: NUL-separated `tag=value` strings, possibly with NUL padding between them.
import { ElfImage } from './reader.js';
import { sectionName } from './sections.js';

export function parseModinfo(data: Uint8Array): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const dec = new TextDecoder('latin1');
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i === data.length || data[i] === 0) {
      if (i > start) {
        const s = dec.decode(data.subarray(start, i));
        const eq = s.indexOf('=');
        if (eq > 0) out.push([s.slice(0, eq), s.slice(eq + 1)]);
      }
      start = i + 1;
    }
  }
  return out;
}

/** Tag/value pairs of a .ko's `.modinfo`, in section order; empty when absent. Throws ElfFormatError. */
export function readModinfo(bytes: Uint8Array): Array<[string, string]> {
  const img = new ElfImage(bytes);
  const h = img.header();
  const secs = img.sections(h);
  const shstr = secs[h.shstrndx];
  if (!shstr) return [];
  const sec = secs.find((s) => sectionName(img, shstr, s) === '.modinfo');
  if (!sec) return [];
  return parseModinfo(img.slice(sec.offset, sec.size, '.modinfo'));
}
