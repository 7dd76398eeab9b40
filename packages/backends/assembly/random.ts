/**
 * A seeded Gaussian sampler: four xoshiro128** streams side by side in one v128, turned into
 * normals by Box-Muller with vectorised log/sqrt/sin/cos. Each call yields 8 normals; the
 * second 4 are kept so any consumer that takes 4 at a time sees one fixed stream.
 */
import { vlog } from "./vmath";

let s0: v128 = i32x4.splat(1);
let s1: v128 = i32x4.splat(2);
let s2: v128 = i32x4.splat(3);
let s3: v128 = i32x4.splat(4);
let spare: v128 = i32x4.splat(0);
let hasSpare = false;

/** Sets the 4 lanes × 4 words of state from 16 u32 at `ptr` (the JS side mixes the seed). */
export function seedNoise(ptr: usize): void {
  s0 = v128.load(ptr);
  s1 = v128.load(ptr, 16);
  s2 = v128.load(ptr, 32);
  s3 = v128.load(ptr, 48);
  hasSpare = false;
}

@inline function rotl(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

@inline function nextBits(): v128 {
  const result = i32x4.mul(rotl(i32x4.mul(s1, i32x4.splat(5)), 7), i32x4.splat(9));
  const t = i32x4.shl(s1, 9);
  s2 = v128.xor(s2, s0);
  s3 = v128.xor(s3, s1);
  s1 = v128.xor(s1, s2);
  s0 = v128.xor(s0, s3);
  s2 = v128.xor(s2, t);
  s3 = rotl(s3, 11);
  return result;
}

/** Four standard normal samples. */
@inline export function normal4(): v128 {
  if (hasSpare) {
    hasSpare = false;
    return spare;
  }
  const r1 = nextBits();
  const r2 = nextBits();
  // u1 in (0, 1] so log(u1) is finite.
  const u1 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_u(r1, 8), i32x4.splat(1))), f32x4.splat(5.9604644775390625e-8));
  const radius = f32x4.sqrt(f32x4.mul(vlog(u1), f32x4.splat(-2)));
  // Angle uniform on [-π/4, π/4); three more random bits (swap, two signs) spread it over the circle.
  const f = f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(r2, 9)), f32x4.splat(1.1920928955078125e-7)), f32x4.splat(0.5));
  const a = f32x4.mul(f, f32x4.splat(1.5707963267948966));
  const a2 = f32x4.mul(a, a);
  let sp = f32x4.add(f32x4.mul(f32x4.splat(2.7557319e-6), a2), f32x4.splat(-1.9841270e-4));
  sp = f32x4.add(f32x4.mul(sp, a2), f32x4.splat(8.3333333e-3));
  sp = f32x4.add(f32x4.mul(sp, a2), f32x4.splat(-1.6666667e-1));
  const sinA = f32x4.add(a, f32x4.mul(f32x4.mul(a, a2), sp));
  let cp = f32x4.add(f32x4.mul(f32x4.splat(2.4801587e-5), a2), f32x4.splat(-1.3888889e-3));
  cp = f32x4.add(f32x4.mul(cp, a2), f32x4.splat(4.1666667e-2));
  cp = f32x4.add(f32x4.mul(cp, a2), f32x4.splat(-0.5));
  const cosA = f32x4.add(f32x4.splat(1), f32x4.mul(a2, cp));
  const swap = i32x4.ne(v128.and(r2, i32x4.splat(1)), i32x4.splat(0));
  let x = v128.bitselect(sinA, cosA, swap);
  let y = v128.bitselect(cosA, sinA, swap);
  x = v128.xor(x, i32x4.shl(v128.and(r2, i32x4.splat(2)), 30));
  y = v128.xor(y, i32x4.shl(v128.and(r2, i32x4.splat(4)), 29));
  spare = f32x4.mul(radius, y);
  hasSpare = true;
  return f32x4.mul(radius, x);
}

/** Fills `n` floats (a multiple of 4) with standard normals; for tests and the benchmark. */
export function fillNormal(dst: usize, n: i32): void {
  for (let k = 0; k < n; k += 4) v128.store(dst + (<usize>k << 2), normal4());
}
