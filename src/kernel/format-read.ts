// Reading the objects a %p extension points at, through the format hooks. A read the hooks
// refuse (null) throws Unreadable, which pointer() turns into "(efault)" for the whole
// conversion; the kernel-side hooks never refuse (a bad address faults, as in the kernel).
import type { FormatHooks } from './format.js';
import { badPointer, stringNoCheck, type Spec } from './format-spec.js';

export interface PointerCtx {
  out: number[];
  hooks: FormatHooks | undefined;
}

/** A read the hooks could not do. */
export class Unreadable extends Error {}

/** A struct offset of the emulated build; no layout (hooks without one) reads as unreadable. */
export function offsetOf(ctx: PointerCtx, field: string): bigint {
  const v = ctx.hooks?.layout?.facts[field];
  if (v === undefined) throw new Unreadable(field);
  return BigInt(v);
}

export function layoutValue(ctx: PointerCtx, name: string): number {
  const v = ctx.hooks?.layout?.facts[name];
  if (v === undefined) throw new Unreadable(name);
  return v;
}

export function bytes(ctx: PointerCtx, addr: bigint, len: number): Uint8Array {
  const b = ctx.hooks?.readBytes(addr, len) ?? null;
  if (b === null) throw new Unreadable();
  return b;
}
export const u8 = (ctx: PointerCtx, a: bigint): number => bytes(ctx, a, 1)[0]!;
export const le = (b: Uint8Array): bigint => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
export const u16 = (ctx: PointerCtx, a: bigint): number => Number(le(bytes(ctx, a, 2)));
export const u32 = (ctx: PointerCtx, a: bigint): number => Number(le(bytes(ctx, a, 4)));
export const s32 = (ctx: PointerCtx, a: bigint): number => u32(ctx, a) | 0;
export const u64 = (ctx: PointerCtx, a: bigint): bigint => le(bytes(ctx, a, 8));
export const cstr = (ctx: PointerCtx, a: bigint, max = 0x7fffffff): Uint8Array => {
  const s = ctx.hooks?.readString(a, max) ?? null;
  if (s === null) throw new Unreadable();
  return s;
};
/** An int as number() receives it: sign-extended to 64 bits, printed unsigned. */
export const int64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));

/** string(): check_pointer, then the bytes at p. */
export function stringAt(ctx: PointerCtx, p: bigint, spec: Spec): void {
  if (badPointer(ctx.out, p, spec)) return;
  stringNoCheck(ctx.out, spec.precision === 0 ? [] : cstr(ctx, p, spec.precision >= 0 ? spec.precision : undefined), spec);
}
