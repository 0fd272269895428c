/** Malformed ELF input: an offset, size, index or string outside the image. */
export class ElfFormatError extends Error {
  override readonly name = 'ElfFormatError';
}
