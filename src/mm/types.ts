// Contract of the emulated address space as the kernel layer uses it. Addresses are full 64-bit
// virtual addresses as bigint (0xffffffffc0000000n ...). The CPU may use faster internal paths.

/** A load, store or fetch that touched an unmapped address. */
export class MemoryFault extends Error {
  constructor(
    public readonly addr: bigint,
    public readonly write: boolean,
  ) {
    super(`memory fault at 0x${addr.toString(16)} (${write ? 'write' : 'read'})`);
  }
}

export const PAGE_SIZE = 4096;

export interface AddressSpace {
  /** Map [base, base+size) zero-filled; base and size page-aligned. Throws if any page is mapped. */
  map(base: bigint, size: number): void;
  /** Unmap [base, base+size); later accesses fault (use-after-free of a module area shows up). */
  unmap(base: bigint, size: number): void;
  isMapped(addr: bigint): boolean;

  readU8(addr: bigint): number;
  readU16(addr: bigint): number;
  readU32(addr: bigint): number;
  readU64(addr: bigint): bigint;
  writeU8(addr: bigint, v: number): void;
  writeU16(addr: bigint, v: number): void;
  writeU32(addr: bigint, v: number): void;
  writeU64(addr: bigint, v: bigint): void;

  /** Copies out `len` bytes. Faults (MemoryFault) if any byte is unmapped. */
  readBytes(addr: bigint, len: number): Uint8Array;
  writeBytes(addr: bigint, data: Uint8Array): void;
  fill(addr: bigint, byte: number, len: number): void;
  /** Bytes up to (not including) the NUL, at most `max` bytes; faults on unmapped memory first. */
  readCString(addr: bigint, max?: number): Uint8Array;
}
