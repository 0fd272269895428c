// Machine code for the kbuild thunks a module may reference. Retpoline thunks only jump to the
// register and the return thunk only returns, so the kernel layer can place these bytes at the
// exported addresses instead of trapping (a trap would return to [rsp], which a thunk must not do).
const REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** Bytes implementing `name` (`__x86_indirect_thunk_<reg>`, `__x86_return_thunk`), else null. */
export function thunkBytes(name: string): Uint8Array | null {
  if (name === '__x86_return_thunk') return Uint8Array.of(0xc3);
  const m = /^__x86_indirect_(?:thunk|call_thunk|jump_thunk)_(\w+)$/.exec(name);
  if (m === null) return null;
  const r = REGS.indexOf(m[1]!);
  if (r < 0) return null;
  // jmp *%reg: [REX.B] ff /4 with mod = 3
  const modrm = 0xe0 | (r & 7);
  return r >= 8 ? Uint8Array.of(0x41, 0xff, modrm) : Uint8Array.of(0xff, modrm);
}
