/**
 * Element-wise math on four f32 lanes at once (WebAssembly SIMD), accurate to ~1e-7 relative.
 * Scalar Math.exp/log per synapse would cost more than the matmuls, so everything the parameter
 * passes need (exp, log, softplus, sigmoid) is a short polynomial here.
 */

// ln 2 split in two so n·ln2 is subtracted exactly (Cody-Waite reduction).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const LOG2E: f32 = 1.44269504088896341;
const LN2: f32 = 0.693147180559945;

@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

@inline function madd(a: v128, b: v128, c: f32): v128 {
  return f32x4.add(f32x4.mul(a, b), f32x4.splat(c));
}

/** e^x per lane; 0 below the smallest normal float, +inf above the largest. */
@inline export function vexp(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, splat(-87.33654)), splat(88.7228));
  const n = f32x4.nearest(f32x4.mul(xc, splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, splat(LN2_LO)));
  // e^r = 1 + r + r²·p(r) on |r| ≤ ln2/2 (minimax coefficients).
  let p = madd(splat(1.9875691500e-4), r, 1.3981999507e-3);
  p = madd(p, r, 8.3334519073e-3);
  p = madd(p, r, 4.1665795894e-2);
  p = madd(p, r, 1.6666665459e-1);
  p = madd(p, r, 5.0000001201e-1);
  const er = f32x4.add(f32x4.add(splat(1), r), f32x4.mul(f32x4.mul(r, r), p));
  // 2^n built from its exponent bits; n = 128 gives +inf as it should.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const scale = i32x4.shl(i32x4.add(ni, i32x4.splat(127)), 23);
  const out = f32x4.mul(er, scale);
  return v128.andnot(out, f32x4.lt(x, splat(-87.33654)));
}

/** 2·atanh(s) = log((1+s)/(1-s)) for |s| ≤ 1/3 (odd series to s^17). */
@inline function twoAtanh(s: v128): v128 {
  const s2 = f32x4.mul(s, s);
  let p = madd(splat(2.0 / 17.0), s2, 2.0 / 15.0);
  p = madd(p, s2, 2.0 / 13.0);
  p = madd(p, s2, 2.0 / 11.0);
  p = madd(p, s2, 2.0 / 9.0);
  p = madd(p, s2, 2.0 / 7.0);
  p = madd(p, s2, 2.0 / 5.0);
  p = madd(p, s2, 2.0 / 3.0);
  p = madd(p, s2, 2.0);
  return f32x4.mul(s, p);
}

/** Natural log per lane for positive normal floats (0 gives about -88, not -inf). */
@inline export function vlog(x: v128): v128 {
  const bits = x;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  // Keep the mantissa in [√2/2, √2) so the series argument stays small.
  const big = f32x4.gt(m, splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, splat(0.5)), m, big);
  e = i32x4.sub(e, big);
  const s = f32x4.div(f32x4.sub(m, splat(1)), f32x4.add(m, splat(1)));
  const s2 = f32x4.mul(s, s);
  let p = madd(splat(2.0 / 11.0), s2, 2.0 / 9.0);
  p = madd(p, s2, 2.0 / 7.0);
  p = madd(p, s2, 2.0 / 5.0);
  p = madd(p, s2, 2.0 / 3.0);
  p = madd(p, s2, 2.0);
  return f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), splat(LN2)), f32x4.mul(s, p));
}

/** log(1 + e) for e in [0, 1], without the rounding of forming 1 + e (needed for tiny σ). */
@inline export function vlog1pSmall(e: v128): v128 {
  return twoAtanh(f32x4.div(e, f32x4.add(e, splat(2))));
}

/** softplus(x) = max(x, 0) + log(1 + e^-|x|). */
@inline export function vsoftplus(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  return f32x4.add(f32x4.max(x, splat(0)), vlog1pSmall(e));
}

/** The logistic sigmoid, from e^-|x| so neither tail loses relative precision. */
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(splat(1), f32x4.add(splat(1), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, splat(0)));
}

/** σ = softplus(φ) and dσ/dφ = sigmoid(φ) sharing one exponential; sigmoid goes to `sigOut`. */
@inline export function vsoftplusSigmoid(x: v128, sigOut: usize): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(splat(1), f32x4.add(splat(1), e));
  v128.store(sigOut, v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, splat(0))));
  return f32x4.add(f32x4.max(x, splat(0)), vlog1pSmall(e));
}

/** Sum of the four lanes, in f64. */
@inline export function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** Applies one of the functions above to `n` floats (n a multiple of 4); for tests. 0 exp, 1 log, 2 softplus, 3 sigmoid. */
export function mapBuffer(fn: i32, src: usize, dst: usize, n: i32): void {
  for (let k = 0; k < n; k += 4) {
    const x = v128.load(src + (<usize>k << 2));
    let y: v128;
    if (fn == 0) y = vexp(x);
    else if (fn == 1) y = vlog(x);
    else if (fn == 2) y = vsoftplus(x);
    else y = vsigmoid(x);
    v128.store(dst + (<usize>k << 2), y);
  }
}
