import type { ElfImage, SectionHeader } from './reader.js';

/** A section's name, or '' when its name offset is invalid (callers that care validate first). */
export function sectionName(img: ElfImage, shstrtab: SectionHeader, s: SectionHeader): string {
  try {
    return img.stringAt(shstrtab, s.nameOffset);
  } catch {
    return '';
  }
}
