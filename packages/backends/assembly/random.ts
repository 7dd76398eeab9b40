/**
 * A seeded Gaussian sampler: four xoshiro128+ streams side by side in one v128 (the "+" output,
 * one add, is its authors' choice for floating point: only its lowest four bits are weak, and
 * none of those is used), turned into
 * normals by Box-Muller with vectorised log/sqrt/sin/cos, eight normals per pair of draws.
 *
 * `fillNormal` keeps the generator state in locals while it runs: V8 keeps wasm globals in
 * memory, and a state that goes through memory at every draw makes the stream a chain of
 * store-to-load latencies.
 */
import { vlog } from "./vmath";

let s0: v128 = i32x4.splat(1);
let s1: v128 = i32x4.splat(2);
let s2: v128 = i32x4.splat(3);
let s3: v128 = i32x4.splat(4);
/** `normal4` hands out a draw's second four normals on its next call. */
let spare: v128 = i32x4.splat(0);
let hasSpare = false;
const PAIR: usize = memory.data(32, 16);

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

// Box-Muller's constants as table rows (V8 rebuilds a v128 constant at each use in a loop but
// loads a table row in one instruction). sin on [-π/4, π/4]: an odd polynomial fitted for
// absolute error (2.5e-9), highest first.
const C_U24 = 0, C_MINUS2 = 1, C_U23 = 2, C_HALF = 3, C_PI_2 = 4, C_SIN = 5, C_ONE = 8, C_INT_ONE = 9, C_BIT7 = 10, C_SIGN = 11;
const TABLE: usize = memory.data<f32>([
  5.9604644775390625e-8, 5.9604644775390625e-8, 5.9604644775390625e-8, 5.9604644775390625e-8, // 2^-24
  -2, -2, -2, -2,
  1.1920928955078125e-7, 1.1920928955078125e-7, 1.1920928955078125e-7, 1.1920928955078125e-7, // 2^-23
  0.5, 0.5, 0.5, 0.5,
  1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966,
  -0.00019496788445394486, -0.00019496788445394486, -0.00019496788445394486, -0.00019496788445394486,
  0.008331989869475365, 0.008331989869475365, 0.008331989869475365, 0.008331989869475365,
  -0.16666650772094727, -0.16666650772094727, -0.16666650772094727, -0.16666650772094727,
  1, 1, 1, 1,
]);
const BITS: usize = memory.data<i32>([1, 1, 1, 1, 128, 128, 128, 128, 0x80000000, 0x80000000, 0x80000000, 0x80000000]);
@inline function c(i: i32): v128 {
  return i < C_INT_ONE ? v128.load(TABLE + (<usize>i << 4)) : v128.load(BITS + (<usize>(i - C_INT_ONE) << 4));
}

/** Eight standard normals from two 4-lane draws of 32 random bits, stored at dst and dst + 16. */
@inline function boxMuller(r1: v128, r2: v128, dst: usize): void {
  // u1 in (0, 1] so log(u1) is finite.
  const u1 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_u(r1, 8), c(C_INT_ONE))), c(C_U24));
  const radius = f32x4.sqrt(f32x4.mul(vlog(u1), c(C_MINUS2)));
  // Angle a uniform on [-π/4, π/4) from r2's top 23 bits.
  const f = f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(r2, 9)), c(C_U23)), c(C_HALF));
  const a = f32x4.mul(f, c(C_PI_2));
  const a2 = f32x4.mul(a, a);
  const sp = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(c(C_SIN), a2), c(C_SIN + 1)), a2), c(C_SIN + 2));
  const sinA = f32x4.add(a, f32x4.mul(f32x4.mul(a, a2), sp));
  // |a| ≤ π/4 keeps 1 − sin² ≥ 1/2, so cos = √(1 − sin²) loses nothing to cancellation
  const cosA = f32x4.sqrt(f32x4.sub(c(C_ONE), f32x4.mul(sinA, sinA)));
  // Two of r1's spare bits (its top 24 made u1; xoshiro128+'s lowest four are weak) take the
  // angle a to one of a, a + π, π/2 − a, 3π/2 − a: a swap of sin and cos (by xor: x = cos ^ d,
  // y = sin ^ d) and one sign for both, which together cover the circle evenly.
  const d = v128.and(v128.xor(sinA, cosA), i32x4.eq(v128.and(r1, c(C_BIT7)), c(C_BIT7)));
  const sign = v128.and(i32x4.shl(r1, 26), c(C_SIGN));
  const x = v128.xor(v128.xor(cosA, d), sign);
  const y = v128.xor(v128.xor(sinA, d), sign);
  v128.store(dst, f32x4.mul(radius, x));
  v128.store(dst, f32x4.mul(radius, y), 16);
}

/**
 * Fills `n` floats (a multiple of 4) with standard normals. Two loops: the generator's draws
 * first (state in registers), then Box-Muller over them in place; one loop holding both needs
 * more vector registers than x86-64 has.
 */
export function fillNormal(dst: usize, n: i32): void {
  let x0 = s0, x1 = s1, x2 = s2, x3 = s3;
  const pairs = n & ~7;
  for (let k = 0; k < pairs; k += 4) {
    // one xoshiro128+ step on the local state
    const r = i32x4.add(x0, x3);
    const t = i32x4.shl(x1, 9);
    x2 = v128.xor(x2, x0); x3 = v128.xor(x3, x1); x1 = v128.xor(x1, x2); x0 = v128.xor(x0, x3); x2 = v128.xor(x2, t); x3 = rotl(x3, 11);
    v128.store(dst + (<usize>k << 2), r);
  }
  s0 = x0; s1 = x1; s2 = x2; s3 = x3;
  for (let k = 0; k < pairs; k += 8) {
    const at = dst + (<usize>k << 2);
    boxMuller(v128.load(at), v128.load(at, 16), at);
  }
  if (pairs < n) v128.store(dst + (<usize>pairs << 2), normal4());
}

@inline function nextBits(): v128 {
  const result = i32x4.add(s0, s3);
  const t = i32x4.shl(s1, 9);
  s2 = v128.xor(s2, s0);
  s3 = v128.xor(s3, s1);
  s1 = v128.xor(s1, s2);
  s0 = v128.xor(s0, s3);
  s2 = v128.xor(s2, t);
  s3 = rotl(s3, 11);
  return result;
}

/** Four standard normals: half of a draw, the other half kept for the next call. */
export function normal4(): v128 {
  if (hasSpare) {
    hasSpare = false;
    return spare;
  }
  const r1 = nextBits();
  const r2 = nextBits();
  boxMuller(r1, r2, PAIR);
  spare = v128.load(PAIR, 16);
  hasSpare = true;
  return v128.load(PAIR);
}
