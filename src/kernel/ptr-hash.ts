// %p prints hashed pointers: the kernel mixes each with a boot-time key (lib/vsprintf.c
// ptr_to_id) so that addresses do not leak. Any stable 64-bit mix that keeps the low 32 bits
// will do here; it is used by vsnprintf's hooks, oops reports and loader messages alike.
export function hashPointer(p: bigint): bigint {
  let x = (p ^ 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return (x ^ (x >> 31n)) & 0xffffffffn;
}
