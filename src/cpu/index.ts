export { X86Cpu, SENTINEL_ADDR, DEFAULT_STACK_BASE, DEFAULT_BUDGET } from './x86-cpu.js';
export { thunkBytes } from './thunks.js';
export * from './types.js';
