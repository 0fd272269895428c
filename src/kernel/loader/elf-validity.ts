// The kernel's first look at an image (elf_validity_check in 6.1): each test, in order, with
// the message the kernel logs and ENOEXEC. Only after this passes may the rest trust offsets.
import {
  EHDR_SIZE,
  ElfImage,
  EM_X86_64,
  ET_REL,
  SHDR_SIZE,
  SHF_ALLOC,
  SHT_NOBITS,
  SHT_NULL,
  SHT_SYMTAB,
  type SectionHeader,
} from '../../elf/index.js';
import { ENOEXEC } from '../errno.js';
import { LoadError } from './load-error.js';

export interface ValidImage {
  img: ElfImage;
  sections: SectionHeader[];
  shstrtab: SectionHeader;
}

export function checkElfValidity(bytes: Uint8Array, err: (msg: string) => void): ValidImage {
  const fail = (msg: string): never => {
    err(msg);
    throw new LoadError(ENOEXEC, msg);
  };
  if (bytes.length < EHDR_SIZE) fail(`Invalid ELF header len ${bytes.length}`);
  const img = new ElfImage(bytes);
  const h = img.header();
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    fail('Invalid ELF header magic: != \x7fELF');
  }
  if (h.type !== ET_REL) fail(`Invalid ELF header type: ${h.type} != ${ET_REL}`);
  if (h.machine !== EM_X86_64) fail(`Invalid architecture in ELF header: ${h.machine}`);
  if (h.shentsize !== SHDR_SIZE) fail('Invalid ELF section header size');
  const len = BigInt(bytes.length);
  const tableEnd = h.shoff + BigInt(h.shnum) * BigInt(SHDR_SIZE);
  if (h.shoff >= len || tableEnd < h.shoff || tableEnd > len) fail('Invalid ELF section header overflow');
  if (h.shstrndx === 0 || h.shstrndx >= h.shnum) {
    fail(`Invalid ELF section name index: ${h.shstrndx} || e_shstrndx (${h.shstrndx}) >= e_shnum (${h.shnum})`);
  }
  const sections = img.sections(h);
  const shstrtab = sections[h.shstrndx]!;
  if (!inFile(shstrtab, len)) fail(`Invalid ELF section hdr(type ${shstrtab.type})`);
  if (shstrtab.size === 0n) fail('empty section name table');
  if (bytes[Number(shstrtab.offset + shstrtab.size - 1n)] !== 0) {
    fail("ELF Spec violation: section name table isn't null terminated");
  }
  const s0 = sections[0]!;
  if (s0.type !== SHT_NULL || s0.size !== 0n || s0.addr !== 0n) {
    fail(`ELF Spec violation: section 0 type(${s0.type})!=SH_NULL or non-zero len or addr`);
  }
  for (const s of sections.slice(1)) {
    if (s.type === SHT_SYMTAB && (s.link === 0 || s.link >= h.shnum)) {
      fail(`Invalid ELF sh_link!=SHN_UNDEF(${s.link}) or (sh_link(${s.link}) >= hdr->e_shnum(${h.shnum})`);
    }
    if (s.type !== SHT_NULL && s.type !== SHT_NOBITS && !inFile(s, len)) {
      fail(`Invalid ELF section in module (section ${s.index} type ${s.type})`);
    }
    if (s.flags & SHF_ALLOC && BigInt(s.nameOffset) >= shstrtab.size) {
      fail(`Invalid ELF section name in module (section ${s.index} type ${s.type})`);
    }
  }
  return { img, sections, shstrtab };
}

function inFile(s: SectionHeader, len: bigint): boolean {
  const end = s.offset + s.size;
  return end >= s.offset && end <= len;
}
