// The record every CLI command exports, kmod-style: one file per command, each `export default`
// a Command, and main.ts registers them all. It is a plain yargs CommandModule:
//
//   const insmod: Command<InsmodArgs> = {
//     command: 'insmod [file] [params..]',
//     describe: 'Insert a module into the modfs kernel',
//     builder: (y) => y.positional('file', { type: 'string' }),
//     handler: (argv) => { ... set process.exitCode on failure ... },
//   };
//   export default insmod;
//
// Handlers may be async. They report failure through process.exitCode (never process.exit, so
// stdout is flushed), and print errors to stderr themselves in the style of the tool they mimic.
import type { CommandModule } from 'yargs';

/** Options main.ts defines for every command. */
export interface GlobalArgs {
  /** -m DIR: the modfs mount; default $MODFS_MOUNT, else ./mount. */
  m?: string;
}

// `any` for the args type: each command narrows it in its own builder; the registry in main.ts
// only needs the record shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command<U = any> = CommandModule<GlobalArgs, U>;
