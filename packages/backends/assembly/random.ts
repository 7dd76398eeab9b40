/**
 * A seeded Gaussian sampler: four xoshiro128** streams side by side in one v128, turned into
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

/** xoshiro128**'s output for state word s1 (the state update is written out where it is used). */
@inline function scramble(x1: v128): v128 {
  return i32x4.mul(rotl(i32x4.mul(x1, i32x4.splat(5)), 7), i32x4.splat(9));
}

/** Eight standard normals from two 4-lane draws of 32 random bits, stored at dst and dst + 16. */
@inline function boxMuller(r1: v128, r2: v128, dst: usize): void {
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
  const x = v128.xor(v128.bitselect(sinA, cosA, swap), i32x4.shl(v128.and(r2, i32x4.splat(2)), 30));
  const y = v128.xor(v128.bitselect(cosA, sinA, swap), i32x4.shl(v128.and(r2, i32x4.splat(4)), 29));
  v128.store(dst, f32x4.mul(radius, x));
  v128.store(dst, f32x4.mul(radius, y), 16);
}

/** Fills `n` floats (a multiple of 4) with standard normals. */
export function fillNormal(dst: usize, n: i32): void {
  let x0 = s0, x1 = s1, x2 = s2, x3 = s3;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    // Two xoshiro128** steps on the local state.
    const r1 = scramble(x1);
    let t = i32x4.shl(x1, 9);
    x2 = v128.xor(x2, x0); x3 = v128.xor(x3, x1); x1 = v128.xor(x1, x2); x0 = v128.xor(x0, x3); x2 = v128.xor(x2, t); x3 = rotl(x3, 11);
    const r2 = scramble(x1);
    t = i32x4.shl(x1, 9);
    x2 = v128.xor(x2, x0); x3 = v128.xor(x3, x1); x1 = v128.xor(x1, x2); x0 = v128.xor(x0, x3); x2 = v128.xor(x2, t); x3 = rotl(x3, 11);
    boxMuller(r1, r2, dst + (<usize>k << 2));
  }
  s0 = x0; s1 = x1; s2 = x2; s3 = x3;
  if (k < n) v128.store(dst + (<usize>k << 2), normal4());
}

@inline function nextBits(): v128 {
  const result = scramble(s1);
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
