// modfs dmesg: util-linux dmesg over the tree's /dev/kmsg, in its default output format.
// Clearing needs the tree's clear control, because /dev/kmsg itself only appends on write.
import type { Command } from './command.js';
import { exitWhenReaderGoes } from './pipe.js';
import { ErrnoError, type KmsgRecord, ModfsClient, MountError, errnoOf, readKmsg, strerror } from './client.js';

interface Args {
  m?: string;
  r?: boolean;
  C?: boolean;
  c?: boolean;
  w?: boolean;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/** Length of the UTF-8 sequence starting at `i` and its code point, or null if invalid. */
function utf8At(b: Buffer, i: number): [number, number] | null {
  const c = b[i]!;
  const len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (len === 0 || i + len > b.length) return null;
  let cp = c & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (d & 0x3f);
  }
  const min = [0, 0, 0x80, 0x800, 0x10000][len]!;
  return cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? null : [len, cp];
}

/** util-linux's safe output of message text (UTF-8 locale): unprintable bytes as `\xNN`, and
 *  each embedded newline followed by text is indented by the prefix width. */
export function escapeText(text: Buffer, indent: number): Buffer {
  const out: Buffer[] = [];
  const hex = (b: number) => out.push(Buffer.from(`\\x${b.toString(16).padStart(2, '0')}`));
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c < 0x80) {
      if (c === 0 || (!isSpace(c) && (c < 0x20 || c === 0x7f))) hex(c);
      else if (c === 0x0a && i + 1 < text.length && text[i + 1] !== 0 && indent > 0) {
        out.push(Buffer.from('\n' + ' '.repeat(indent)));
      } else out.push(Buffer.from([c]));
      continue;
    }
    const seq = utf8At(text, i);
    if (!seq) {
      hex(c);
      continue;
    }
    const [len, cp] = seq;
    const chunk = text.subarray(i, i + len);
    if (PRINTABLE.test(String.fromCodePoint(cp)) || /^\s$/u.test(String.fromCodePoint(cp))) out.push(chunk);
    else for (const b of chunk) hex(b);
    i += len - 1;
  }
  return Buffer.concat(out);
}

/** One record as util-linux dmesg prints it: `[%5ld.%06ld] text`, or with -r the syslog form
 *  `<prio>[%5ld.%06ld] text`. An empty record is an empty line. */
export function formatDmesgRecord(rec: KmsgRecord, raw: boolean): Buffer {
  if (rec.text.length === 0) return Buffer.from('\n');
  const sec = Math.floor(rec.usec / 1_000_000);
  const usec = rec.usec % 1_000_000;
  const ts = `[${String(sec).padStart(5)}.${String(usec).padStart(6, '0')}] `;
  const prefix = raw ? `<${rec.prio}>${ts}` : ts;
  return Buffer.concat([Buffer.from(prefix), escapeText(rec.text, prefix.length), Buffer.from('\n')]);
}

function fail(what: string, err: unknown): number {
  const e = err instanceof ErrnoError ? err.errno : errnoOf(err);
  process.stderr.write(`dmesg: ${what}: ${strerror(e)}\n`);
  return 1;
}

async function dmesg(argv: Args): Promise<number> {
  let client: ModfsClient;
  try {
    client = ModfsClient.connect(argv.m);
  } catch (err) {
    if (err instanceof MountError) return process.stderr.write(`dmesg: ${err.message}\n`), 1;
    throw err;
  }
  if (!argv.C) {
    try {
      // Non-follow reads stop at EAGAIN; -w waits for new records until SIGINT kills us, or the
      // reader of our pipe goes away.
      const stopWatching = argv.w ? exitWhenReaderGoes() : () => {};
      try {
        for await (const rec of readKmsg(client, argv.w === true)) process.stdout.write(formatDmesgRecord(rec, argv.r === true));
      } finally {
        stopWatching();
      }
    } catch (err) {
      return fail('read kernel buffer failed', err);
    }
    if (!argv.c) return 0;
  }
  // -C, or -c after reading: SYSLOG_ACTION_CLEAR through the tree's clear control. Later
  // /dev/kmsg readers start after the clear point, as dmesg's SEEK_DATA would place them.
  try {
    client.clearLog();
  } catch (err) {
    return fail('clear kernel buffer failed', err);
  }
  return 0;
}

const command: Command<Args> = {
  command: 'dmesg',
  describe: 'Print or control the kernel log (util-linux dmesg) through dev/kmsg',
  builder: (y) =>
    y
      .option('r', { alias: 'raw', type: 'boolean', describe: 'print the raw message buffer' })
      .option('C', { alias: 'clear', type: 'boolean', describe: 'clear the kernel ring buffer' })
      .option('c', { alias: 'read-clear', type: 'boolean', describe: 'read and clear all messages' })
      .option('w', { alias: 'follow', type: 'boolean', describe: 'wait for new messages' })
      // util-linux refuses these combinations too.
      .conflicts('C', ['c', 'r'])
      .conflicts('c', 'r'),
  handler: async (argv) => {
    process.exitCode = await dmesg(argv);
  },
};
export default command;
