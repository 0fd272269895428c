// Device number regions (kernel/chrdev.ts) beyond what the transcripts reach: the dynamic majors
// after the first (fs/char_dev.c find_dynamic_major: 254 down to 234 by hash bucket, then 511
// down to 384), ranges that span majors, overlapping ranges, and the kernel's messages. The
// first dynamic major (246) and the refusals of 600 and 1 are compared with the real kernel in
// transcripts/regchr.txt and chardev.txt.
import { describe, expect, it } from 'vitest';
import { CharDevices, type Region } from '../../src/kernel/chrdev.js';
import { Kernel } from '../../src/kernel/kernel.js';

function fresh(): { k: Kernel; chr: CharDevices; logged: () => string[] } {
  const k = new Kernel({ kaslrPages: 1 });
  const chr = new CharDevices(k);
  const start = k.log.nextSeq;
  return { k, chr, logged: () => k.log.recordsFrom(start).map((r) => Buffer.from(r.text).toString('latin1')) };
}

describe('character device regions', () => {
  it('hands out dynamic majors downwards past the built-in ones, then from 511', () => {
    const { chr } = fresh();
    const got: number[] = [];
    for (let i = 0; i < 14; i++) got.push((chr.register(0, 0, 1, `d${i}`) as Region).major);
    // 254..247 are the kernel's (gpiochip ... cxl); 246..234 are free; then the extended range.
    expect(got).toEqual([246, 245, 244, 243, 242, 241, 240, 239, 238, 237, 236, 235, 234, 511]);
  });

  it('refuses overlapping minors of one major with EBUSY and accepts the rest', () => {
    const { chr } = fresh();
    expect(chr.register(300, 0, 10, 'a')).toMatchObject({ major: 300 });
    expect(chr.register(300, 5, 10, 'b')).toBe(-16);
    expect(chr.register(300, 10, 10, 'c')).toMatchObject({ baseminor: 10 });
    expect(chr.procDevices()).toContain('300 a\n300 c\n');
  });

  it('splits a range that crosses a major into one region per major', () => {
    const { chr } = fresh();
    const from = chr.mkdev(300, chr.minorMask - 1);
    expect(chr.registerRange(from, 4, 'span')).toBe(0);
    expect(chr.procDevices()).toContain('300 span\n301 span\n');
    chr.unregisterRange(from, 4);
    expect(chr.procDevices()).not.toContain('span');
  });

  it('undoes the first part of a range when a later part is taken', () => {
    const { chr } = fresh();
    chr.register(301, 0, 1, 'taken');
    expect(chr.registerRange(chr.mkdev(300, chr.minorMask), 2, 'span')).toBe(-16);
    expect(chr.procDevices()).not.toContain('span');
  });

  it('logs the kernel messages for a major or minor range out of bounds', () => {
    const { chr, logged } = fresh();
    expect(chr.register(512, 0, 1, 'big')).toBe(-22);
    expect(chr.register(300, 1, chr.minorMask + 1, 'wide')).toBe(-22);
    expect(logged()).toEqual([
      'CHRDEV "big" major requested (512) is greater than the maximum (511)',
      'CHRDEV "wide" minor range requested (1-1048576) is out of range of maximum range (0-1048575) for a single major',
    ]);
  });

  it('finds the smallest mapped range holding a number, newest first among equals', () => {
    const { chr } = fresh();
    const dev = chr.mkdev(300, 0);
    chr.mapCdev({ dev, count: 10, cdev: 1n });
    chr.mapCdev({ dev: dev + 2, count: 1, cdev: 2n });
    chr.mapCdev({ dev, count: 10, cdev: 3n });
    expect(chr.lookup(dev + 2)?.cdev).toBe(2n);
    expect(chr.lookup(dev + 3)?.cdev).toBe(3n);
    expect(chr.lookup(dev + 10)).toBeUndefined();
    chr.unmap(dev, 10);
    expect(chr.lookup(dev + 3)?.cdev).toBe(1n);
  });
});
