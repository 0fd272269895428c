// Compiler-emitted calls of kbuild's x86-64 output. The thunks are real machine code in the
// emulated kernel text: a ftrace hook that returns, a return thunk that returns, and retpoline
// thunks that jump through their register, so the CPU needs no special case for any of them.
import type { Kernel } from '../kernel.js';
import { KernelPanic } from '../oops.js';

const RET = Uint8Array.of(0xc3);
const REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export function registerArchApi(k: Kernel): void {
  k.exports.code('__fentry__', RET);
  k.exports.code('__x86_return_thunk', RET);
  REGS.forEach((r, n) => {
    if (r === 'rsp') return;
    // jmp *%reg (FF /4, mod=11), with REX.B for r8..r15
    const jmp = n < 8 ? Uint8Array.of(0xff, 0xe0 | n) : Uint8Array.of(0x41, 0xff, 0xe0 | (n - 8));
    k.exports.code(`__x86_indirect_thunk_${r}`, jmp);
  });
  // The CRC anchor every module's __versions carries; nothing calls it.
  k.exports.code('module_layout', RET);

  k.exports.func('__stack_chk_fail', (c) => {
    const where = k.symbolize(c.returnAddress) ?? `0x${c.returnAddress.toString(16)}`;
    throw new KernelPanic(`stack-protector: Kernel stack is corrupted in: ${where.replace(/ \[.*\]$/, '')}`);
  });
  k.exports.func('fortify_panic', (c) => {
    const name = new TextDecoder('latin1').decode(k.mem.readCString(c.arg(0), 64));
    throw new KernelPanic(`detected buffer overflow in ${name}`);
  });
}
