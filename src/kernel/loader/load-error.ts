import { KernelError } from '../errno.js';

/** A load failure whose log lines have been emitted; `errno` is what init_module returns. */
export class LoadError extends KernelError {}
