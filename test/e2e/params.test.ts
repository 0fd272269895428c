// Seed 004 (module parameters) end to end: load-time arguments, cat/echo/printf/vi on
// /sys/module/<m>/parameters, every type's parser and getter, arrays and their counts, named
// parameters, custom ops run on the CPU, and the kernel's errnos and messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from './modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

const P = (mod: string, p: string) => `sys/module/${mod}/parameters/${p}`;
const load = (args: string) => m.modfs(`insmod ${args}`);
const unload = (name: string) => m.modfs(`rmmod ${name}`);
/** Write with bash's echo/printf; returns the shell's error text ('' on success). */
const write = (mod: string, p: string, cmd: string) => m.sh(`${cmd} > "$M/${P(mod, p)}"`).stderr.replace(/^.*: /, '').trim();

describe('helloworld: num and words (seed 004)', () => {
  it('prints the defaults without arguments', () => {
    m.dmesg();
    expect(load('$KO/helloworld.ko').code).toBe(0);
    expect(m.dmesg().slice(-2)).toEqual(['num = 10', 'words = hello, world']);
    expect(m.read(P('helloworld', 'num'))).toBe('10\n');
    expect(m.read(P('helloworld', 'words'))).toBe('hello, world\n');
    expect(unload('helloworld').code).toBe(0);
  });

  it('takes num=20 words="helloworld!" at load time', () => {
    m.dmesg();
    expect(load('$KO/helloworld.ko num=20 words="helloworld!"').code).toBe(0);
    expect(m.dmesg().slice(-2)).toEqual(['num = 20', 'words = helloworld!']);
    expect(m.sh('ls -l "$M/sys/module/helloworld/parameters" | awk \'NR>1{print $1, $5, $9}\'').stdout).toBe(
      '-rw-r--r-- 4096 num\n-rw-r--r-- 4096 words\n',
    );
  });

  it('sees values written with echo, printf and vi, as the module code does', () => {
    expect(write('helloworld', 'num', 'echo 30')).toBe('');
    expect(m.read(P('helloworld', 'num'))).toBe('30\n');
    expect(write('helloworld', 'num', 'printf 31')).toBe('');
    expect(m.read(P('helloworld', 'num'))).toBe('31\n');
    // vi: substitute the line and save (vim-tiny, scripted), as the tutorial edits with sudo vi.
    const vi = m.sh(`vi -e -s -c '%s/.*/55/' -c 'wq' "$M/${P('helloworld', 'num')}" </dev/null >/dev/null 2>&1; echo $?`);
    expect(vi.stdout).toBe('0\n');
    expect(m.read(P('helloworld', 'num'))).toBe('55\n');
    m.sh(`vi -e -s -c '%s/.*/vi was here/' -c 'wq' "$M/${P('helloworld', 'words')}" </dev/null >/dev/null 2>&1`);
    expect(m.read(P('helloworld', 'words'))).toBe('vi was here\n\n');
    // Writes log nothing; the module's exit shows it saw the new values.
    expect(m.dmesg()).toEqual([]);
    expect(unload('helloworld').code).toBe(0);
    // The stored newline makes `words = ...` a two-line record; dmesg shows its empty second line.
    expect(m.dmesg()).toEqual(['num = 55', 'words = vi was here', 'GoodBye, cruel world!']);
  });

  it('refuses bad values with the setter errno, also from vi', async () => {
    expect(load('$KO/helloworld.ko').code).toBe(0);
    expect(write('helloworld', 'num', 'echo abc')).toBe('Invalid argument');
    expect(write('helloworld', 'num', 'echo 99999999999')).toBe('Numerical result out of range');
    expect(write('helloworld', 'num', 'echo " 5"')).toBe('Invalid argument');
    expect(m.read(P('helloworld', 'num'))).toBe('10\n');
    const vi = m.sh(`vi -e -s -c '%s/.*/not a number/' -c 'wq' "$M/${P('helloworld', 'num')}" </dev/null >/dev/null 2>&1; echo $?`);
    expect(vi.stdout).not.toBe('0\n');
    expect(m.read(P('helloworld', 'num'))).toBe('10\n');
    expect(unload('helloworld').code).toBe(0);
    m.dmesg();
  });

  it('keeps the newline of a charp written by echo; printf has none', () => {
    expect(load('$KO/helloworld.ko').code).toBe(0);
    write('helloworld', 'words', 'echo foo');
    expect(m.read(P('helloworld', 'words'))).toBe('foo\n\n');
    write('helloworld', 'words', 'printf foo');
    expect(m.read(P('helloworld', 'words'))).toBe('foo\n');
    expect(unload('helloworld').code).toBe(0);
    m.dmesg();
  });
});

describe('named parameters', () => {
  it('renames both the argument and the file; the variable name is unknown', () => {
    m.dmesg();
    expect(load('$KO/named.ko number=20 printwords="helloworld!"').code).toBe(0);
    expect(m.dmesg().slice(-2)).toEqual(['num = 20', 'words = helloworld!']);
    expect(m.sh('ls "$M/sys/module/named/parameters"').stdout).toBe('number\nprintwords\n');
    expect(unload('named').code).toBe(0);
    m.dmesg();
    expect(load('$KO/named.ko num=20 words="helloworld!"').code).toBe(0);
    const log = m.dmesg();
    expect(log).toContain("named: unknown parameter 'num' ignored");
    expect(log).toContain("named: unknown parameter 'words' ignored");
    expect(log.slice(-2)).toEqual(['num = 10', 'words = hello, world']);
    expect(unload('named').code).toBe(0);
  });
});

describe('arrays with a count that is itself a parameter (seed 004)', () => {
  /** Load array.ko with args; returns the init's count/nums lines, or the insmod error. */
  const run = (args: string) => {
    m.dmesg();
    const r = load(`$KO/array.ko ${args}`);
    const log = m.dmesg();
    const out = { code: r.code, err: r.stderr.trim(), log, count: '', nums: '' };
    if (r.code === 0) {
      out.count = m.read(P('array', 'count')).trim();
      out.nums = m.read(P('array', 'nums'));
      unload('array');
      m.dmesg();
    }
    return out;
  };

  it('no arguments: count 0, nums reads empty (no newline)', () => {
    const r = run('');
    expect(r.log.slice(-5)).toEqual(['count = 0', 'nums[0] = 10', 'nums[1] = 20', 'nums[2] = 30', 'nums[3] = 40']);
    expect(r.nums).toBe('');
  });

  it('nums=1,2,3,4 and 1,2,3 set the count', () => {
    expect(run('nums=1,2,3,4')).toMatchObject({ count: '4', nums: '1,2,3,4\n' });
    const three = run('nums=1,2,3');
    expect(three).toMatchObject({ count: '3', nums: '1,2,3\n' });
    expect(three.log).toContain('nums[3] = 40');
  });

  it('nums=1,2,3,4,5: too many elements fails the load with EINVAL', () => {
    const r = run('nums=1,2,3,4,5');
    expect(r.err).toMatch(/could not insert module .*array\.ko: Invalid parameters/);
    // The quoted value is cut at the first comma: the setter NUL-terminated each piece.
    expect(r.log).toEqual(['nums: can only take 4 arguments', "array: `1' invalid for parameter `nums'"]);
  });

  it('argument order decides between count and nums', () => {
    expect(run('count=2')).toMatchObject({ count: '2', nums: '10,20\n' });
    expect(run('count=2 nums=1,2,3,4')).toMatchObject({ count: '4', nums: '1,2,3,4\n' });
    expect(run('nums=1,2,3,4 count=2')).toMatchObject({ count: '2', nums: '1,2\n' });
    expect(run('count=2 count=3')).toMatchObject({ count: '3', nums: '10,20,30\n' });
    expect(run('nums=1,2 nums=3,4,5,6')).toMatchObject({ count: '4', nums: '3,4,5,6\n' });
    const r = run('nums=1,2,3,4 nums=5,6');
    expect(r).toMatchObject({ count: '2', nums: '5,6\n' });
    expect(r.log.slice(-4)).toEqual(['nums[0] = 5', 'nums[1] = 6', 'nums[2] = 3', 'nums[3] = 4']);
  });

  it('sysfs writes: partial updates, too many, and old elements kept', () => {
    expect(load('$KO/array.ko nums=1,2,3,4').code).toBe(0);
    expect(write('array', 'nums', 'echo 7,8')).toBe('');
    expect(m.read(P('array', 'nums'))).toBe('7,8\n');
    expect(write('array', 'nums', 'echo 1,2,3,4,5')).toBe('Invalid argument');
    expect(m.read(P('array', 'nums'))).toBe('1,2,3,4\n');
    expect(write('array', 'nums', 'echo 9,x,11')).toBe('Invalid argument');
    expect(m.read(P('array', 'count'))).toBe('1\n');
    expect(m.read(P('array', 'nums'))).toBe('9\n');
    m.dmesg();
    expect(unload('array').code).toBe(0);
    expect(m.dmesg().slice(-6)).toEqual(['count = 1', 'nums[0] = 9', 'nums[1] = 2', 'nums[2] = 3', 'nums[3] = 4', 'GoodBye, cruel world!']);
  });

  it('an array without nump prints all its elements', () => {
    m.dmesg();
    expect(load('$KO/array_nonump.ko nums=1,2').code).toBe(0);
    expect(m.read(P('array_nonump', 'nums'))).toBe('1,2,30,40\n');
    expect(m.read(P('array_nonump', 'vals'))).toBe('');
    expect(unload('array_nonump').code).toBe(0);
    m.dmesg();
  });
});

describe('every type (kernel-facts §1)', () => {
  beforeAll(() => {
    m.dmesg();
    expect(load('$KO/types.ko').code).toBe(0);
  });
  afterAll(() => {
    unload('types');
    m.dmesg();
  });
  const get = (p: string) => m.read(P('types', p));

  it('reads every getter format', () => {
    expect(get('mybyte')).toBe('200\n');
    expect(get('myshort')).toBe('-1234\n');
    expect(get('myushort')).toBe('65000\n');
    expect(get('myint')).toBe('-42\n');
    expect(get('myuint')).toBe('4000000000\n');
    expect(get('mylong')).toBe('-9000000000\n');
    expect(get('myulong')).toBe('18000000000000000000\n');
    expect(get('myullong')).toBe('1234567890123\n');
    expect(get('myhexint')).toBe('0x00beef\n');
    expect(get('mybool')).toBe('Y\n');
    expect(get('myinvbool')).toBe('Y\n');
    expect(get('mybint')).toBe('1\n');
    expect(get('mycharp')).toBe('charp default\n');
    expect(get('mystring')).toBe('string\n');
    expect(get('names')).toBe('alpha,beta,(null)\n');
    expect(get('bools')).toBe('');
    expect(get('shorts')).toBe('-1,-2,-3,-4,-5\n');
  });

  it('accepts boundaries and refuses out-of-range values with ERANGE, junk with EINVAL', () => {
    const cases: Array<[string, string, string, string]> = [
      // param, written, error ('' = ok), read back
      ['mybyte', '255', '', '255'],
      ['mybyte', '256', 'Numerical result out of range', '255'],
      ['mybyte', '-1', 'Invalid argument', '255'],
      ['mybyte', '0x10', '', '16'],
      ['mybyte', '010', '', '8'],
      ['mybyte', '08', 'Invalid argument', '8'],
      ['myshort', '-32768', '', '-32768'],
      ['myshort', '32768', 'Numerical result out of range', '-32768'],
      ['myushort', '65535', '', '65535'],
      ['myint', '2147483648', 'Numerical result out of range', '-42'],
      ['myint', '-2147483648', '', '-2147483648'],
      ['myint', '+7', '', '7'],
      ['myint', '+-5', 'Invalid argument', '7'],
      ['myuint', '4294967295', '', '4294967295'],
      ['myuint', '-1', 'Invalid argument', '4294967295'],
      ['mylong', '-9223372036854775808', '', '-9223372036854775808'],
      ['myulong', '18446744073709551616', 'Numerical result out of range', '18000000000000000000'],
      ['myullong', '0', '', '0'],
      ['myhexint', '0', '', '0x000000'],
      ['myhexint', '0xdeadbeef', '', '0xdeadbeef'],
      ['myhexint', '16', '', '0x000010'],
      ['mybool', 'n', '', 'N'],
      ['mybool', 'yes', '', 'Y'],
      ['mybool', 'off', '', 'N'],
      ['mybool', 'on', '', 'Y'],
      ['mybool', 'x', 'Invalid argument', 'Y'],
      ['myinvbool', 'Y', '', 'Y'],
      ['myinvbool', 'n', '', 'N'],
      ['mybint', 'N', '', '0'],
      ['mybint', 'true', '', '1'],
    ];
    for (const [p, v, err, back] of cases) {
      expect([p, v, write('types', p, `echo '${v}'`)]).toEqual([p, v, err]);
      expect([p, v, get(p)]).toEqual([p, v, `${back}\n`]);
    }
  });

  it('string parameters: too long is ENOSPC with the setter message', () => {
    m.dmesg();
    expect(write('types', 'mystring', 'printf 0123456789abcdefXYZ')).toBe('No space left on device');
    expect(m.dmesg()).toEqual(["mystring: string doesn't fit in 15 chars."]);
    expect(write('types', 'mystring', 'printf 0123456789abcde')).toBe('');
    expect(get('mystring')).toBe('0123456789abcde\n');
    expect(write('types', 'mycharp', `printf '%01025d' 0`)).toBe('No space left on device');
    expect(m.dmesg()).toEqual(['mycharp: string parameter too long']);
  });

  it('modes: 0444 refuses writes even for root, 0600 is root-only, perm 0 has no file', () => {
    expect(m.sh('stat -c "%a %s" "$M/sys/module/types/parameters/ro_int" "$M/sys/module/types/parameters/owner"').stdout).toBe(
      '444 4096\n600 4096\n',
    );
    expect(write('types', 'ro_int', 'echo 1')).toBe('Permission denied');
    expect(get('ro_int')).toBe('7\n');
    expect(m.sh('test -e "$M/sys/module/types/parameters/hidden"').code).toBe(1);
  });

  it('arrays of other types', () => {
    expect(write('types', 'bools', 'echo y,n,1')).toBe('');
    expect(get('bools')).toBe('Y,N,Y\n');
    expect(write('types', 'masks', 'echo 1,0x20')).toBe('');
    expect(get('masks')).toBe('0x000001,0x000020\n');
    expect(write('types', 'names', 'echo a,b')).toBe('');
    expect(get('names')).toBe('a,b\n,(null)\n');
  });
});

describe('load-time parser (kernel-facts §3)', () => {
  const args = (a: string) => {
    m.dmesg();
    const r = load(`$KO/types.ko ${a}`);
    const log = m.dmesg();
    const out = { code: r.code, err: r.stderr.trim(), log };
    if (r.code === 0) {
      unload('types');
      m.dmesg();
    }
    return out;
  };

  it('quotes keep spaces, dashes match underscores, a bare bool means true', () => {
    const r = args(`'mycharp="a b c"' ro-int=9 mybool`);
    expect(r.code).toBe(0);
    expect(r.log).toContain('types: mycharp = a b c (5 chars)');
    expect(r.log).toContain('types: ro_int = 9');
  });

  it('a bare non-bool name is EINVAL; invbool has no NOARG either', () => {
    const r = args('myint');
    expect(r.err).toMatch(/Invalid parameters/);
    expect(r.log).toEqual(["types: `' invalid for parameter `myint'"]);
    expect(args('myinvbool').log).toEqual(["types: `' invalid for parameter `myinvbool'"]);
  });

  it('-- stops parsing with a warning; unknown names are ignored', () => {
    // kmod's insmod (getopt) swallows a `--`, so hand it to the kernel through the control file.
    m.dmesg();
    expect(m.sh('echo "$KO/types.ko myint=1 -- myint=2 junk" > "$M/sys/kernel/modctl/load"').code).toBe(0);
    const log = m.dmesg();
    expect(log).toContain("types: parameters 'myint=2 junk' after `--' ignored");
    expect(log).toContain('types: myint = 1');
    unload('types');
    expect(args('nosuch=1').log).toContain("types: unknown parameter 'nosuch' ignored");
  });

  it('all errors are logged and the last one is returned', () => {
    const r = args('myint=abc mystring=0123456789abcdefXYZ');
    expect(r.err).toMatch(/No space left on device/);
    expect(r.log).toEqual([
      "types: `abc' invalid for parameter `myint'",
      "mystring: string doesn't fit in 15 chars.",
      "types: `0123456789abcdefXYZ' too large for parameter `mystring'",
    ]);
  });
});

describe('custom ops (module_param_cb) run on the CPU', () => {
  it('validates, counts and refuses reads without a getter', () => {
    expect(load('$KO/callback.ko').code).toBe(0);
    m.dmesg();
    expect(m.read(P('callback', 'level'))).toBe('5 (range 0..10)\n');
    expect(write('callback', 'level', 'echo 7')).toBe('');
    expect(m.read(P('callback', 'level'))).toBe('7 (range 0..10)\n');
    expect(write('callback', 'level', 'echo 11')).toBe('Invalid argument');
    expect(m.read(P('callback', 'changes'))).toBe('1\n');
    expect(m.sh('cat "$M/sys/module/callback/parameters/ping"').stderr).toMatch(/Operation not permitted/);
    expect(write('callback', 'changes', 'echo 3')).toBe('Operation not permitted');
    expect(unload('callback').code).toBe(0);
    m.dmesg();
  });
});
