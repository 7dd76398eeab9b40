/**
 * Element-wise math on four f32 lanes at once (WebAssembly SIMD), accurate to ~1e-7 relative.
 * Scalar Math.exp/log per synapse would cost more than the matmuls, so everything the parameter
 * passes need (exp, log, softplus, sigmoid) is a short polynomial here.
 *
 * Two habits keep V8's code short in the per-synapse loops: constants come from one static table
 * (V8 rebuilds a v128 constant with several instructions at every use inside a loop, but loads
 * one from memory with a single instruction), and pmin/pmax plus magic-number rounding stand in
 * for min/max (NaN rules), nearest and trunc_sat, which each expand to several instructions.
 */

// Rows of the constant table (each a v128 of four equal lanes), in order.
const K_EXP_LO = 0, K_EXP_HI = 1, K_LOG2E = 2, K_MAGIC127 = 3, K_LN2_HI = 4, K_LN2_LO = 5;
const K_EXP_P = 6; // 4 rows: exp's polynomial
export const K_ONE = 10;
const K_TWO = 11;
export const K_ZERO = 12;
const K_LN2 = 13;
const K_ATANH = 14; // 9 rows: 2·atanh's series
const K_LOG = 23; // 4 rows: log's series
const K_SMALL_PHI = 27; // φ below this takes the small-σ series
export const K_MINUS_QUARTER = 28, K_THIRD = 29, K_MINUS_HALF = 30;
export const K_SIGN_BIT = 31; // -0.0: only the sign bit set
const K_FIFTH = 32, K_MINUS_SIXTH = 33, K_MEDIUM_PHI = 34;

const TABLE: usize = memory.data<f32>([
  -87.33654, -87.33654, -87.33654, -87.33654, // exp's lower clamp: the smallest normal float's log
  88.7228, 88.7228, 88.7228, 88.7228,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  12583039.0, 12583039.0, 12583039.0, 12583039.0, // 1.5·2^23 + 127: adding it rounds to n + 127 in the low mantissa bits
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // ln 2 in two parts, so n·ln2 is subtracted exactly
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,
  // e^r = 1 + r + r²·p(r) on |r| ≤ ln2/2, p of degree 3 fitted for relative error (1.1e-7), highest first
  0.008312860503792763, 0.008312860503792763, 0.008312860503792763, 0.008312860503792763,
  0.041889019310474396, 0.041889019310474396, 0.041889019310474396, 0.041889019310474396,
  0.16667111217975616, 0.16667111217975616, 0.16667111217975616, 0.16667111217975616,
  0.4999924302101135, 0.4999924302101135, 0.4999924302101135, 0.4999924302101135,
  1, 1, 1, 1,
  2, 2, 2, 2,
  0, 0, 0, 0,
  0.693147180559945, 0.693147180559945, 0.693147180559945, 0.693147180559945,
  // 2·atanh(s) = 2s(1 + s²/3 + s⁴/5 + …), coefficients 2/(2j+1) from 2/17, highest first
  0.11764705882, 0.11764705882, 0.11764705882, 0.11764705882,
  0.13333333333, 0.13333333333, 0.13333333333, 0.13333333333,
  0.15384615385, 0.15384615385, 0.15384615385, 0.15384615385,
  0.18181818182, 0.18181818182, 0.18181818182, 0.18181818182,
  0.22222222222, 0.22222222222, 0.22222222222, 0.22222222222,
  0.28571428571, 0.28571428571, 0.28571428571, 0.28571428571,
  0.4, 0.4, 0.4, 0.4,
  0.66666666667, 0.66666666667, 0.66666666667, 0.66666666667,
  2, 2, 2, 2,
  // log's series in s = (m−1)/(m+1) to s⁷: 2/7, 2/5, 2/3, 2
  0.28571428571, 0.28571428571, 0.28571428571, 0.28571428571,
  0.4, 0.4, 0.4, 0.4,
  0.66666666667, 0.66666666667, 0.66666666667, 0.66666666667,
  2, 2, 2, 2,
  -5, -5, -5, -5,
  -0.25, -0.25, -0.25, -0.25,
  0.33333333333, 0.33333333333, 0.33333333333, 0.33333333333,
  -0.5, -0.5, -0.5, -0.5,
  -0.0, -0.0, -0.0, -0.0,
  0.2, 0.2, 0.2, 0.2,
  -0.16666666667, -0.16666666667, -0.16666666667, -0.16666666667,
  -3, -3, -3, -3,
]);

// Integer constants, in a table of their own for the same reason.
const I_SQRT_HALF = 0, I_MANTISSA = 1; // bits of √2/2; the mantissa field
const INT_TABLE: usize = memory.data<i32>([
  0x3f3504f3, 0x3f3504f3, 0x3f3504f3, 0x3f3504f3,
  0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff,
]);
@inline function ki(i: i32): v128 {
  return v128.load(INT_TABLE + (<usize>i << 4));
}

/** Row i of the constant table. */
@inline export function k(i: i32): v128 {
  return v128.load(TABLE + (<usize>i << 4));
}

/*
 * Horner's rule over consecutive table rows from `first`, written out per length: a loop here
 * stays a loop in the compiled code (binaryen does not unroll it), with a counter, an address
 * computation and an interrupt check per coefficient.
 */
@inline function step(p: v128, x: v128, row: i32): v128 {
  return f32x4.add(f32x4.mul(p, x), k(row));
}
@inline function horner3(x: v128, first: i32): v128 {
  return step(step(k(first), x, first + 1), x, first + 2);
}
@inline function horner4(x: v128, first: i32): v128 {
  return step(horner3(x, first), x, first + 3);
}
@inline function horner6(x: v128, first: i32): v128 {
  return step(step(horner4(x, first), x, first + 4), x, first + 5);
}
@inline function horner9(x: v128, first: i32): v128 {
  return step(step(step(horner6(x, first), x, first + 6), x, first + 7), x, first + 8);
}

/** e^x per lane; 0 below the smallest normal float, +inf above the largest. */
@inline export function vexp(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, k(K_EXP_LO)), k(K_EXP_HI));
  // t's low mantissa bits hold n + 127, n = round(x·log2 e): the biased exponent of 2^n.
  const t = f32x4.add(f32x4.mul(xc, k(K_LOG2E)), k(K_MAGIC127));
  const n = f32x4.sub(t, k(K_MAGIC127));
  let r = f32x4.sub(xc, f32x4.mul(n, k(K_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, k(K_LN2_LO)));
  const er = f32x4.add(f32x4.add(k(K_ONE), r), f32x4.mul(f32x4.mul(r, r), horner4(r, K_EXP_P)));
  // 2^n from its exponent bits; n = 128 gives +inf as it should.
  const out = f32x4.mul(er, i32x4.shl(t, 23));
  return v128.andnot(out, f32x4.lt(x, k(K_EXP_LO)));
}

/**
 * e^x for x ≤ 0 (e^-|φ| in the parameter passes): no overflow to handle, and below the smallest
 * normal float it returns that float rather than 0, which no σ can tell apart.
 */
@inline export function vexpNonPositive(x: v128): v128 {
  const xc = f32x4.pmax(x, k(K_EXP_LO));
  const t = f32x4.add(f32x4.mul(xc, k(K_LOG2E)), k(K_MAGIC127));
  const n = f32x4.sub(t, k(K_MAGIC127));
  let r = f32x4.sub(xc, f32x4.mul(n, k(K_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, k(K_LN2_LO)));
  const er = f32x4.add(f32x4.add(k(K_ONE), r), f32x4.mul(f32x4.mul(r, r), horner4(r, K_EXP_P)));
  return f32x4.mul(er, i32x4.shl(t, 23));
}

/** Natural log per lane for positive normal floats (0 gives about -88, not -inf). */
@inline export function vlog(x: v128): v128 {
  // x = 2^e·m with m in [√2/2, √2) (so the series argument stays small), from the bits of x
  // offset by those of √2/2: the exponent field then carries e and the mantissa field m.
  const t = i32x4.sub(x, ki(I_SQRT_HALF));
  const e = i32x4.shr_s(t, 23);
  const m = i32x4.add(v128.and(t, ki(I_MANTISSA)), ki(I_SQRT_HALF));
  const s = f32x4.div(f32x4.sub(m, k(K_ONE)), f32x4.add(m, k(K_ONE)));
  // |s| ≤ 0.172: the series to s⁷ leaves 2s⁹/9 < 3e-8
  const p = horner4(f32x4.mul(s, s), K_LOG);
  return f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), k(K_LN2)), f32x4.mul(s, p));
}

/** −|x|: the sign bit set (one instruction; neg(abs(x)) builds two masks first). */
@inline export function negAbs(x: v128): v128 {
  return v128.or(x, k(K_SIGN_BIT));
}

/** log(1 + e) for e in [0, 1] as 2·atanh(e/(e + 2)), without the rounding of forming 1 + e (needed for tiny σ). */
@inline function log1pUnit(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(e, k(K_TWO)));
  return f32x4.mul(s, horner9(f32x4.mul(s, s), K_ATANH));
}

/*
 * σ = softplus(φ) = max(φ, 0) + log(1 + e^-|φ|) and dσ/dφ = sigmoid(φ), both from e = e^-|φ|
 * (so neither tail loses relative precision). When every φ of a vector is below -5,
 * u = e^φ < 0.0067 and series replace the log and the division (σ ≤ 6.7e-3 is where training at
 * the paper's settings spends most of its time): softplus = u − u²/2 + u³/3 − u⁴/4 and
 * sigmoid = u − u² + u³ − u⁴, truncated at u⁵/5 ≈ 3e-12·u. Below -3 (u < 0.05, σ up to the
 * values of moderate costs) the same series to u⁶ leave less than u⁶ ≈ 2e-8 relative.
 */

/** True when every lane of φ is below -5, so the small-σ series apply. */
@inline export function allSmallPhi(phi: v128): bool {
  // (a lane mask's sign bits in one integer: shorter code than all_true)
  return i32x4.bitmask(f32x4.lt(phi, k(K_SMALL_PHI))) == 15;
}

@inline export function softplusFromExp(phi: v128, e: v128): v128 {
  return f32x4.add(f32x4.pmax(phi, k(K_ZERO)), log1pUnit(e));
}

@inline export function sigmoidFromExp(phi: v128, e: v128): v128 {
  const r = f32x4.div(k(K_ONE), f32x4.add(k(K_ONE), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(phi, k(K_ZERO)));
}

/** The small-σ series of softplus to u⁴, given u = e^φ and its powers (φ < -5). */
@inline export function smallSoftplus(u: v128, u2: v128, u3: v128, u4: v128): v128 {
  return f32x4.add(f32x4.add(u, f32x4.mul(u2, k(K_MINUS_HALF))), f32x4.add(f32x4.mul(u3, k(K_THIRD)), f32x4.mul(u4, k(K_MINUS_QUARTER))));
}

/** The small-σ series of sigmoid to u⁴, given u = e^φ and its powers (φ < -5). */
@inline export function smallSigmoid(u: v128, u2: v128, u3: v128, u4: v128): v128 {
  return f32x4.add(f32x4.sub(u, u2), f32x4.sub(u3, u4));
}

/** True when every lane of φ is below -3, so the medium-σ series apply. */
@inline export function allMediumPhi(phi: v128): bool {
  return i32x4.bitmask(f32x4.lt(phi, k(K_MEDIUM_PHI))) == 15;
}

/** The medium-σ series of softplus to u⁶ (φ < -3, u < 0.05; truncated at u⁷/7), given u and its powers. */
@inline export function mediumSoftplus(u: v128, u2: v128, u3: v128, u4: v128, u5: v128, u6: v128): v128 {
  return f32x4.add(smallSoftplus(u, u2, u3, u4), f32x4.add(f32x4.mul(u5, k(K_FIFTH)), f32x4.mul(u6, k(K_MINUS_SIXTH))));
}

/** The medium-σ series of sigmoid to u⁶ (φ < -3), given u and its powers. */
@inline export function mediumSigmoid(u: v128, u2: v128, u3: v128, u4: v128, u5: v128, u6: v128): v128 {
  return f32x4.add(smallSigmoid(u, u2, u3, u4), f32x4.sub(u5, u6));
}

/** Sum of the four lanes, in f64. */
@inline export function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * Applies one of the functions above to `n` floats (n a multiple of 4); for tests. 0 exp, 1 log,
 * 2 softplus, 3 sigmoid (the general path from e^-|x|); 4 softplus, 5 sigmoid by the small-σ
 * series (valid for x < -5); 6 softplus, 7 sigmoid by the medium-σ series (x < -3).
 */
export function mapBuffer(fn: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const x = v128.load(src + (<usize>i << 2));
    const e = vexpNonPositive(negAbs(x));
    const e2 = f32x4.mul(e, e), e3 = f32x4.mul(e2, e), e4 = f32x4.mul(e2, e2), e5 = f32x4.mul(e4, e), e6 = f32x4.mul(e3, e3);
    let y: v128;
    if (fn == 0) y = vexp(x);
    else if (fn == 1) y = vlog(x);
    else if (fn == 2) y = softplusFromExp(x, e);
    else if (fn == 3) y = sigmoidFromExp(x, e);
    else if (fn == 4) y = smallSoftplus(e, e2, e3, e4);
    else if (fn == 5) y = smallSigmoid(e, e2, e3, e4);
    else if (fn == 6) y = mediumSoftplus(e, e2, e3, e4, e5, e6);
    else y = mediumSigmoid(e, e2, e3, e4, e5, e6);
    v128.store(dst + (<usize>i << 2), y);
  }
}
