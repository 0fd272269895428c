// load_module (6.1): the whole path from an image to a live module, in the kernel's order, with
// its messages and errnos. Each failure unwinds what was built so far.
import { ElfFormatError, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_NOTE, STT_FILE, STT_SECTION } from '../../elf/index.js';
import { MemoryFault } from '../../mm/types.js';
import { unimplementedNote } from '../api/real-exports.js';
import { describeOrigin, enabled } from '../identity/identity.js';
import { INIT_FRAMES, OopsError, type Task } from '../api/sched.js';
import { EBUSY, EEXIST, EINVAL, EKEYREJECTED, ENOEXEC, ENOMEM, KernelError } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { Module, ModuleState } from '../module.js';
import { dumpStack as dumpStackLines } from '../oops.js';
import { parseModuleArgs } from '../params/parse-args.js';
import { destroyParams, readParams } from '../params/param-table.js';
import { TAINT } from '../taint.js';
import { checkModinfo, type TaintSink } from './check-modinfo.js';
import { checkElfValidity } from './elf-validity.js';
import { layoutModule } from './layout.js';
import { LoadError } from './load-error.js';
import { setupLoadInfo, structModuleName, type LoadInfo } from './load-info.js';
import { hashPointer } from '../ptr-hash.js';
import { moduleKallsyms } from '../kallsyms.js';
import { readModuleExports, checkDuplicateExports } from './module-exports.js';
import { applyRelocations } from './relocate.js';
import { checkVersion, readVersions, resolveSymbols } from './resolve.js';
import { stripSignature } from './signature.js';
import { kernelSymbolSource } from './symbol-source.js';
import { waitForExporters } from './wait-exporters.js';

export interface LoadOptions {
  args?: string;
  sourcePath?: string;
  /** Called once the module is formed and visible (state COMING), before its params and init. */
  onFormed?: (m: Module) => void;
}

/**
 * init_module(2): returns the live module or throws KernelError with the errno to report. The
 * module's init runs to completion before this returns (loadModuleAsync lets the daemon serve
 * other requests while it runs).
 */
export function loadModule(k: Kernel, image: Uint8Array, opts: LoadOptions = {}): Module {
  const task = k.sched.newTask('insmod', INIT_FRAMES);
  try {
    const mod = prepareModule(k, image, opts, task);
    // An oops in init throws OopsError past completeInit: see OOPS_IN_INIT below.
    const ret = mod.initFn ? k.sched.call(mod.initFn, [], task) : 0n;
    return completeInit(k, mod, ret, task);
  } finally {
    k.sched.exitTask(task);
  }
}

/** loadModule, with init run in slices (api/sched.ts) so other FUSE requests are served meanwhile. */
export async function loadModuleAsync(k: Kernel, image: Uint8Array, opts: LoadOptions = {}): Promise<Module> {
  await waitForExporters(k, image);
  const task = k.sched.newTask('insmod', INIT_FRAMES);
  try {
    const mod = prepareModule(k, image, opts, task);
    const ret = mod.initFn ? await k.runModule(mod.initFn, [], task) : 0n;
    return completeInit(k, mod, ret, task);
  } finally {
    k.sched.exitTask(task);
  }
}

/*
 * OOPS_IN_INIT. An oops (or soft lockup, or panic) in init: the report is in the log, and the task that ran
 * insmod is dead. The module is left exactly as the real kernel leaves it: state COMING (Loading
 * in /proc/modules, `+` in its flags, initstate `coming`), the init reference still held (refcnt
 * 1), its sysfs directory and memory in place, its init never finished. delete_module refuses a
 * module that is not LIVE, so rmmod fails with EBUSY even when forced; the module stays until the
 * daemon restarts (a reboot). A later load of the same name finds it COMING: the real kernel then
 * waits (interruptibly) for it to finish, i.e. forever; modfs answers EBUSY at once instead of
 * blocking the writer. The writer of the control file gets EOWNERDEAD, modfs' stand-in for
 * "insmod was killed" (a real insmod dies of SIGKILL or SIGSEGV and never sees a return value).
 * The kernel-wide taint gains D (L for a soft lockup), as /proc/sys/kernel/tainted shows.
 */

function prepareModule(k: Kernel, image: Uint8Array, opts: LoadOptions, task: Task): Module {
  try {
    return k.sched.as(task, () => loadModuleChecked(k, image, opts));
  } catch (e) {
    // An offset or size the validity checks let through (e.g. a NOBITS __versions, which has no
    // file bytes to check, or a __kcrctab shorter than its __ksymtab, read past its end in module
    // memory) still must not escape as a crash; anything built is already unwound.
    if (!(e instanceof ElfFormatError || e instanceof MemoryFault)) throw e;
    k.log.emit(3, `modfs: malformed module image: ${e.message}`);
    throw new LoadError(ENOEXEC);
  }
}

function loadModuleChecked(k: Kernel, image: Uint8Array, opts: LoadOptions): Module {
  if (image.length < 64) throw new LoadError(ENOEXEC);
  const id = k.identity;
  const err = (m: string) => k.log.emit(3, m);
  const warn = (m: string) => k.log.emit(4, m);
  // module_sig_check runs only on a MODULE_SIG build; without it a signature is trailing bytes.
  const bytes = enabled(id, 'MODULE_SIG') ? stripSignature(image, err) : image;
  if (enabled(id, 'MODULE_SIG_FORCE')) {
    // Enforced signatures: modfs holds no key, so no module verifies.
    k.log.emit(5, `Loading of ${bytes === image ? 'unsigned module' : 'module with unavailable key'} is rejected`);
    throw new LoadError(EKEYREJECTED);
  }
  let info: LoadInfo;
  try {
    info = setupLoadInfo(checkElfValidity(bytes, err), id.facts, warn);
  } catch (e) {
    if (e instanceof KernelError) throw e;
    err(`modfs: malformed module image: ${(e as Error).message}`);
    throw new LoadError(ENOEXEC);
  }
  const modName = structModuleName(info.img, info.sections[info.modIndex]!, id.facts);
  const mod = new Module(modName);
  mod.modinfo = info.modinfo;
  mod.sourcePath = opts.sourcePath;
  // A module refused for being built for another kernel gets one modfs line after the kernel's
  // own messages: which kernel this is and how to emulate the module's.
  let otherKernel: string | undefined;
  const t: TaintSink = {
    globalTaint: () => k.taint,
    taintModule: (bit, unreliable) => {
      mod.taints |= 1 << bit;
      k.addTaint(bit, unreliable);
    },
    warn,
    err,
    info5: (m) => k.log.emit(5, m),
    forceLoadAllowed: enabled(id, 'MODULE_FORCE_LOAD'),
    builtForOtherKernel: (magic) => {
      const rel = magic?.split(' ')[0];
      if (rel && rel !== id.release) otherKernel ??= rel;
    },
  };
  try {
    return formModule(k, info, mod, t, opts);
  } catch (e) {
    if (otherKernel && e instanceof LoadError) {
      warn(
        `modfs: ${modName} was built for ${otherKernel}, but modfs emulates ${id.release} (from ${describeOrigin(id.origin)}); ` +
          `mount with --kernel ${otherKernel} (or --kernel HEADERS_DIR) to emulate the kernel it was built for`,
      );
    }
    throw e;
  }
}

function formModule(k: Kernel, info: LoadInfo, mod: Module, t: TaintSink, opts: LoadOptions): Module {
  const modName = mod.name;
  const { err, warn } = t;
  const symbols = info.img.symbols(info.sections[info.symIndex]!);
  const facts = k.identity.facts;

  // module_layout CRC before anything else uses the module struct (builds that still have it).
  const versions = readVersions(info);
  const modversions = enabled(k.identity, 'MODVERSIONS');
  const layoutCrc = modversions ? k.exports.link('module_layout')?.crc : undefined;
  if (!checkVersion(info, versions, mod, 'module_layout', layoutCrc, t)) throw new LoadError(ENOEXEC);

  checkModinfo(info, modName, t, k.identity);
  info.sections.forEach((s, i) => {
    if (info.alloc[i] && s.flags & SHF_WRITE && s.flags & SHF_EXECINSTR) {
      err(`${modName}: section ${info.names[i]} (index ${i}) has invalid WRITE|EXEC flags`);
      throw new LoadError(ENOEXEC);
    }
  });

  const layout = layoutModule(info, symbols, facts.versionCode);
  // add_unformed_module: a LIVE module of that name is EEXIST; one coming or going is EBUSY.
  const existing = k.modules.find((m) => m.name === modName);
  if (existing) throw new LoadError(existing.state === ModuleState.LIVE ? EEXIST : EBUSY);

  // move_module: one allocation per region (an empty one gets none, as on 6.4+).
  const bases: bigint[] = [];
  for (const r of layout.regions) {
    const b = r.size ? k.moduleArea.alloc(r.size, 4096) : 0n;
    if (b === null) {
      for (const a of bases) if (a) k.moduleArea.free(a);
      throw new LoadError(ENOMEM);
    }
    bases.push(b);
  }
  mod.regions = layout.regions.map((r, i) => ({ base: bases[i]!, size: r.size, init: r.init }));
  mod.addressRegion = layout.addressRegion;
  mod.allocations.push(...bases.filter((b) => b !== 0n));
  k.modules.unshift(mod); // UNFORMED: on the list, invisible

  try {
    // Copy every loaded section to its final place.
    const addrOf = (i: number): bigint => {
      const p = layout.place[i];
      return p ? bases[p.region]! + BigInt(p.offset) : 0n;
    };
    const inInit = (i: number) => !!layout.place[i] && layout.regions[layout.place[i]!.region]!.init;
    info.sections.forEach((s, i) => {
      const p = layout.place[i];
      if (!p || s.type === SHT_NOBITS || s.size === 0n) return;
      k.mem.writeBytes(addrOf(i), info.img.slice(s.offset, s.size));
    });
    mod.thisModule = addrOf(info.modIndex);
    if (!mod.thisModule) throw new LoadError(ENOEXEC);

    if (enabled(k.identity, 'MODULE_SIG') && !(mod.taints & (1 << TAINT.UNSIGNED_MODULE))) {
      if (k.once('module-sig')) k.log.emit(5, `${modName}: module verification failed: signature and/or required key missing - tainting kernel`);
      t.taintModule(TAINT.UNSIGNED_MODULE, false);
    }

    if (info.pcpuIndex && info.sections[info.pcpuIndex]!.size > 0n) {
      const s = info.sections[info.pcpuIndex]!;
      const align = Math.min(Math.max(Number(s.addralign), 8), 4096);
      const p = k.percpu.alloc(Number(s.size), align);
      if (p === null) {
        warn(`${modName}: Could not allocate ${s.size} bytes percpu data`);
        throw new LoadError(ENOMEM);
      }
      mod.percpu = { base: p, size: Number(s.size) };
    }
    mod.refcnt = 1; // the init reference (shown as 1 while init runs)

    mod.exports = readModuleExports(info, k.mem, addrOf);
    if (modversions && mod.exports.some((e) => e.crc === undefined)) {
      if (!k.isForcedTaint()) warn(`${modName}: no versions for exported symbols: kernel tainted.`);
      t.taintModule(TAINT.FORCED_MODULE, true);
    }
    const percpuOffset = mod.percpu ? mod.percpu.base - k.cpu.gsBase : 0n;
    // After the kernel's own "Unknown symbol X (err -2)", a modfs line when the emulated build
    // exports X but modfs does not implement it (api/real-exports.ts), so the user knows why.
    const unknown = new RegExp(`^${modName.replace(/[^\w]/g, '\\$&')}: Unknown symbol (\\S+) \\(err -2\\)$`);
    const resolveSink: TaintSink = {
      ...t,
      warn: (line) => {
        warn(line);
        const m = unknown.exec(line);
        const note = m ? unimplementedNote(k, m[1]!) : undefined;
        if (note) warn(note);
      },
    };
    const values = resolveSymbols(info, symbols, mod, versions, kernelSymbolSource(k), addrOf, percpuOffset, resolveSink);
    applyRelocations(info, modName, k.mem, (i) => !!layout.place[i], addrOf, values, (p) => hashPointer(p), t);
    if (mod.percpu) k.mem.writeBytes(mod.percpu.base, info.img.slice(info.sections[info.pcpuIndex]!.offset, mod.percpu.size));
    mod.exports = readModuleExports(info, k.mem, addrOf);
    mod.symbols = kallsyms(info, symbols, values, layout.place, inInit);
    mod.kallsyms = moduleKallsyms(info, symbols, values, inInit);
    mod.sections = info.sections
      .map((s, i) => ({ s, i }))
      .filter(({ s, i }) => layout.place[i] && s.size > 0n)
      .map(({ s, i }) => ({
        name: info.names[i]!,
        addr: addrOf(i),
        size: Number(s.size),
        type: s.type,
        note: s.type === SHT_NOTE ? info.img.slice(s.offset, s.size).slice() : undefined,
      }));
    k.bugs.add(mod);
    mod.initFn = k.mem.readU64(mod.thisModule + BigInt(facts.moduleInit));
    mod.exitFn = k.mem.readU64(mod.thisModule + BigInt(facts.moduleExit));

    checkDuplicateExports(k, mod);
    k.setModuleState(mod, ModuleState.COMING);
    opts.onFormed?.(mod);

    mod.params = readParams(k, info, addrOf);
    mod.argsAddr = k.kstrdup(new TextEncoder().encode(opts.args ?? ''));
    parseModuleArgs(k, mod);
    // mod_sysfs_setup: kobject_add refuses an empty name (WARN and -EINVAL).
    if (modName === '') {
      warn(`kobject: (${hashPointer(mod.thisModule).toString(16).padStart(16, '0')}): attempted to be registered with empty name!`);
      throw new LoadError(EINVAL);
    }
  } catch (e) {
    // An oops in a parameter's setter during parse_args kills insmod before sysfs exists: the
    // module stays COMING without a sysfs directory, as on the real kernel.
    if (e instanceof OopsError) throw e;
    freeModule(k, mod, mod.state === ModuleState.COMING);
    throw e;
  }

  mod.sysfs = true;
  k.changed();
  return mod;
}

/** do_init_module after init returned `ret`. */
function completeInit(k: Kernel, mod: Module, ret: bigint, task: Task): Module {
  const r = Number(BigInt.asIntN(32, ret));
  if (r < 0) {
    mod.state = ModuleState.GOING;
    freeModule(k, mod, true);
    throw new KernelError(-r);
  }
  if (r > 0) {
    k.log.emit(
      4,
      `do_init_module: '${mod.name}'->init suspiciously returned ${r}, it should follow 0/-E convention\ndo_init_module: loading module anyway...`,
    );
    dumpStack(k, task);
  }
  k.setModuleState(mod, ModuleState.LIVE);
  mod.refcnt -= 1;
  // Free the init regions: init sections keep their (now stale) addresses in sections/.
  for (const r of mod.regions) {
    if (!r.init || !r.base) continue;
    k.moduleArea.free(r.base);
    mod.allocations = mod.allocations.filter((a) => a !== r.base);
  }
  mod.regions = mod.regions.map((r) => (r.init ? { ...r, base: 0n, size: 0 } : r));
  mod.symbols = mod.symbols.filter((s) => !s.init);
  k.changed();
  return mod;
}

/** free_module (and the GOING path when `going`): params, usage links, memory, list entry. */
export function freeModule(k: Kernel, mod: Module, going: boolean): void {
  if (going) k.setModuleState(mod, ModuleState.GOING);
  mod.sysfs = false;
  mod.state = ModuleState.UNFORMED;
  for (const owner of mod.uses) {
    owner.holders = owner.holders.filter((h) => h !== mod);
    owner.refcnt -= 1;
  }
  mod.uses.clear();
  k.bugs.remove(mod);
  try {
    destroyParams(k, mod);
  } catch (e) {
    if (e instanceof OopsError) {
      // reported already; the task that freed the module died, the memory is released anyway
    } else if (e instanceof MemoryFault) {
      // The kernel's own read of a bogus kernel_param->ops pointer: an oops, not a crash of modfs.
      k.log.emit(1, `BUG: unable to handle page fault for address: ${e.addr.toString(16).padStart(16, '0')}`);
      k.log.emit(1, '#PF: supervisor read access in kernel mode');
      k.addTaint(TAINT.DIE, false);
    } else throw e;
  }
  // Areas that keep state for the module (the files it made, kernel/kfs.ts) see it go before its
  // memory does.
  for (const hook of k.moduleFreeHooks) hook(mod);
  if (mod.argsAddr) k.kfree(mod.argsAddr);
  for (const a of mod.allocations) k.moduleArea.free(a);
  mod.allocations = [];
  if (mod.percpu) k.percpu.free(mod.percpu.base);
  const i = k.modules.indexOf(mod);
  if (i >= 0) k.modules.splice(i, 1);
  k.changed();
}

function kallsyms(
  info: LoadInfo,
  symbols: ReturnType<LoadInfo['img']['symbols']>,
  values: bigint[],
  place: Array<unknown | undefined>,
  inInit: (section: number) => boolean,
): Module['symbols'] {
  const strtab = info.sections[info.strIndex]!;
  const out: Module['symbols'] = [];
  for (const s of symbols) {
    if (s.index === 0 || s.type === STT_SECTION || s.type === STT_FILE || !s.nameOffset) continue;
    const p = place[s.shndx];
    if (!p) continue;
    let name: string;
    try {
      name = info.img.stringAt(strtab, s.nameOffset);
    } catch {
      continue;
    }
    if (name.startsWith('__UNIQUE_ID') || name.startsWith('.L')) continue;
    out.push({ name, addr: values[s.index]!, size: Number(s.size), init: inInit(s.shndx) });
  }
  return out.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
}

function dumpStack(k: Kernel, task: Task): void {
  dumpStackLines(k, { pid: task.pid, comm: task.comm }, ['dump_stack_lvl+0x44/0x5c', 'do_init_module.cold+0x2d/0x35', 'load_module+0x1d30/0x2140', '__do_sys_finit_module+0x9d/0x100', 'do_syscall_64+0x55/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8']);
}

