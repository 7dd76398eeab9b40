/**
 * The passes over the per-synapse buffers, one row of a layer block at a time ((inputs + 1) rows
 * of outP floats: the weight rows, then the bias row), so each row stays in L1 between sub-passes.
 *
 * - `sampleLayer` draws the weights for a minibatch: ξ ~ N(0, 1), σ = softplus(φ), w = μ + σξ.
 *   Everything else the step needs from φ is computed here too, once: the noise sensitivity
 *   a = ξ·dσ/dφ and the cost gradient c = Σ cost'(σ)·dσ/dφ (unscaled), plus the cost values.
 * - `updateLayer` turns dL/dw (the g buffer, from the backward pass) into d/dμ and d/dφ, takes an
 *   Adam step, and, when `resample` is set, draws the next minibatch's weights in the same row
 *   loop: a step reads each parameter once and the transcendental work is done once per step.
 *
 * In homogeneous mode the a buffer holds ξ itself and φ is handled by the caller (`gradXiSum`).
 * Padding lanes (columns ≥ outputs) are masked: w, a and c stay 0 there and add no cost.
 */
import { allMediumPhi, allSmallPhi, hsum, k, K_ONE, K_SIGN_BIT, K_ZERO, negAbs, mediumSigmoid, mediumSoftplus, sigmoidFromExp, smallSigmoid, smallSoftplus, softplusFromExp, vexp, vexpNonPositive, vlog } from "./vmath";
import { fillNormal } from "./random";

// Buffer addresses (bytes), set once per memory layout by the JS wrapper.
let pMu: usize = 0;
let pPhi: usize = 0;
let pW: usize = 0;
let pG: usize = 0;
let pA: usize = 0;
let pC: usize = 0;
let pMMu: usize = 0;
let pVMu: usize = 0;
let pMPhi: usize = 0;
let pVPhi: usize = 0;
let pExtraPhi: usize = 0;
let pExtraMu: usize = 0;
let pPowers: usize = 0;

// The step's constants as v128 rows in memory, written by setAdam and setObjective: a splat in
// the source is rebuilt inside the loop in the compiled code (broadcast, even the 1 − β), a row
// is one load.
const C_BETA1 = 0, C_ONE_MINUS_BETA1 = 1, C_BETA2 = 2, C_ONE_MINUS_BETA2 = 3, C_STEP_SIZE = 4, C_INV_SQRT_BC2 = 5, C_EPSILON = 6;
const C_COST_SCALE = 7, C_SCALED_L1 = 8;
const CONSTANTS: usize = memory.data(9 * 16, 16);
@inline function constant(i: i32): v128 {
  return v128.load(CONSTANTS + (<usize>i << 4));
}
function setConstant(i: i32, x: f32): void {
  v128.store(CONSTANTS + (<usize>i << 4), f32x4.splat(x));
}

// Objective and optimiser settings.
let homogeneous = false;
let nPower = 0;
/** Which helpers the power terms need: 1/σ always; √(1/σ) for odd multiples of ρ = 1/2; log σ for any other ρ. */
let needRootInv = false;
let needLog = false;
let sharedSigma: f32 = 0;

/** Sums over the last sampled weights (reliability, magnitude) and the last update (Σ g·ξ); reset with `resetSums`. */
let sumReliability: f64 = 0;
let sumMagnitude: f64 = 0;
let sumGradXi: f64 = 0;

export function setBuffers(mu: usize, phi: usize, w: usize, g: usize, a: usize, c: usize, mMu: usize, vMu: usize, mPhi: usize, vPhi: usize, extraPhi: usize, extraMu: usize, powers: usize): void {
  pMu = mu; pPhi = phi; pW = w; pG = g; pA = a; pC = c; pMMu = mMu; pVMu = vMu; pMPhi = mPhi; pVPhi = vPhi;
  pExtraPhi = extraPhi; pExtraMu = extraMu; pPowers = powers;
}

/**
 * `powers` holds nPower (ρ, c, n) triples (f32, f32, i32): n = 2ρ when that is a whole number
 * from 1 to 8 (σ^-ρ from 1/σ and √(1/σ), no log or exp), else 0. `lambda` is the summed L1 coefficient.
 */
export function setObjective(isHomogeneous: bool, powerCount: i32, lambda: f32, scale: f32): void {
  homogeneous = isHomogeneous; nPower = powerCount;
  setConstant(C_COST_SCALE, scale);
  setConstant(C_SCALED_L1, scale * lambda);
  needRootInv = false; needLog = false;
  for (let t = 0; t < powerCount; t++) {
    const n = load<i32>(pPowers + <usize>t * 12, 8);
    if (n == 0) needLog = true;
    else if (n & 1) needRootInv = true;
  }
}

export function setSharedSigma(sigma: f32): void {
  sharedSigma = sigma;
}

/** Adam constants for this step: stepSize = lr/(1 − β1^t), invSqrtBc2 = 1/√(1 − β2^t). */
export function setAdam(size: f32, b1: f32, b2: f32, eps: f32, invBc2: f32): void {
  setConstant(C_BETA1, b1); setConstant(C_ONE_MINUS_BETA1, 1 - b1);
  setConstant(C_BETA2, b2); setConstant(C_ONE_MINUS_BETA2, 1 - b2);
  setConstant(C_STEP_SIZE, size); setConstant(C_INV_SQRT_BC2, invBc2); setConstant(C_EPSILON, eps);
}

export function resetSums(): void {
  sumReliability = 0; sumMagnitude = 0; sumGradXi = 0;
}
export function reliabilitySum(): f64 { return sumReliability; }
export function magnitudeSum(): f64 { return sumMagnitude; }
/** Σ_i dL/dw_i · ξ_i: the homogeneous-σ gradient before the sigmoid factor. */
export function gradXiSum(): f64 { return sumGradXi; }

const LANES: v128 = i32x4(0, 1, 2, 3);

@inline function laneMask(o: i32, outputs: i32): v128 {
  return i32x4.lt_s(i32x4.add(i32x4.splat(o), LANES), i32x4.splat(outputs));
}

/**
 * Draws one layer block's weights. mode 0: fresh noise; 1: ξ given in the a buffer. Writes Σ
 * over the first `colRows` rows of w to `colSum` when it is not 0 (the affine input trick).
 */
export function sampleLayer(rows: i32, outputs: i32, outP: i32, off: i32, mode: i32, colSum: usize, colRows: i32): void {
  const base = <usize>off << 2;
  const rowBytes = <usize>outP << 2;
  if (colSum != 0) memory.fill(colSum, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const rowOff = base + <usize>r * rowBytes;
    if (mode == 0) fillNormal(pA + rowOff, outP);
    sampleRow(rowOff, outP, outputs, colSum != 0 && r < colRows ? colSum : 0);
  }
}

/**
 * Gradients of the minibatch objective for one layer block from dL/dw (in g) and the a and c
 * buffers left by the sampling, then either an Adam step (writeGrads false; with `resample`, the
 * next weights are drawn at the new parameters, as `sampleLayer` mode 0 would) or d/dμ into g
 * and d/dφ into c. In homogeneous mode φ is left to the caller, which reads `gradXiSum` and
 * draws the next weights itself once the shared σ is updated (`resample` is ignored).
 */
export function updateLayer(rows: i32, outputs: i32, outP: i32, off: i32, writeGrads: bool, resample: bool, colSum: usize, colRows: i32): void {
  const base = <usize>off << 2;
  const rowBytes = <usize>outP << 2;
  if (resample && colSum != 0) memory.fill(colSum, 0, rowBytes);
  // Short sub-passes over one row rather than one long loop body: a body holding the cost terms,
  // both Adam updates and the sampler needs far more than x86-64's 16 vector registers.
  for (let r = 0; r < rows; r++) {
    const rowOff = base + <usize>r * rowBytes;
    if (homogeneous) sharedPhiRow(rowOff, outP);
    else phiRow(rowOff, outP, writeGrads);
    muRow(rowOff, outP, writeGrads);
    if (resample && !homogeneous) {
      fillNormal(pA + rowOff, outP);
      sampleRow(rowOff, outP, outputs, colSum != 0 && r < colRows ? colSum : 0);
    }
  }
}

/**
 * w = μ + σξ, a = ξ·dσ/dφ, c = Σ cost'(σ)·dσ/dφ for one row, with ξ in a; sums the costs. A few
 * short loops over the row (it is in L1) rather than one long one, so each keeps its values in
 * registers: σ goes through the g row (dL/dw, already used) and dσ/dφ through the w row.
 */
@inline function sampleRow(rowOff: usize, outP: i32, outputs: i32, colSum: usize): void {
  if (!homogeneous) {
    if (nPower == 1) {
      // One mechanism, the usual case: a loop of its own with its constants hoisted.
      const rho = load<f32>(pPowers), c = load<f32>(pPowers, 4), n = load<i32>(pPowers, 8);
      softplusRow(rowOff, outP);
      powerNoiseRow(rowOff, outP, outputs, colSum, n, c, rho);
      return;
    } else {
      softplusRow(rowOff, outP);
      if (nPower > 1) multiPowerRow(rowOff, outP, outputs);
      else memory.fill(pC + rowOff, 0, <usize>outP << 2);
    }
  }
  noiseRow(rowOff, outP, outputs, colSum);
}

/** σ = softplus(φ) into the g row and dσ/dφ = sigmoid(φ) into the w row; the small-σ series when every φ of a vector allows. */
@inline function softplusRow(rowOff: usize, outP: i32): void {
  const phi0 = pPhi + rowOff, s0 = pG + rowOff, d0 = pW + rowOff;
  for (let o = 0; o < outP; o += 4) {
    const b = <usize>o << 2;
    const phi = v128.load(phi0 + b);
    const e = vexpNonPositive(negAbs(phi));
    if (allSmallPhi(phi)) {
      const e2 = f32x4.mul(e, e), e3 = f32x4.mul(e2, e), e4 = f32x4.mul(e2, e2);
      v128.store(s0 + b, smallSoftplus(e, e2, e3, e4));
      v128.store(d0 + b, smallSigmoid(e, e2, e3, e4));
    } else if (allMediumPhi(phi)) {
      const e2 = f32x4.mul(e, e), e3 = f32x4.mul(e2, e), e4 = f32x4.mul(e2, e2), e5 = f32x4.mul(e4, e), e6 = f32x4.mul(e3, e3);
      v128.store(s0 + b, mediumSoftplus(e, e2, e3, e4, e5, e6));
      v128.store(d0 + b, mediumSigmoid(e, e2, e3, e4, e5, e6));
    } else {
      v128.store(s0 + b, softplusFromExp(phi, e));
      v128.store(d0 + b, sigmoidFromExp(phi, e));
    }
  }
}

/**
 * w = μ + σξ (σ from the g row, or shared) and a = ξ·dσ/dφ (dσ/dφ from the w row; ξ itself when
 * σ is shared); Σ|μ| and the column sums. Only the last vector of a row can hold padding, so
 * only it is masked.
 */
@inline function noiseRow(rowOff: usize, outP: i32, outputs: i32, colSum: usize): void {
  // Base pointers in locals: the loops would reload module globals at every vector.
  const mu0 = pMu + rowOff, a0 = pA + rowOff, s0 = pG + rowOff, w0 = pW + rowOff;
  const full = outputs & ~3;
  let mag = f32x4.splat(0);
  let o = 0;
  for (; o < full; o += 4) mag = f32x4.add(mag, noiseVec(mu0, a0, s0, w0, o, outputs, colSum, false));
  if (o < outP) mag = f32x4.add(mag, noiseVec(mu0, a0, s0, w0, o, outputs, colSum, true));
  sumMagnitude += hsum(mag);
}

/** noiseRow for the four synapses at column o; returns |μ|. `masked` is a constant after inlining. */
@inline function noiseVec(mu0: usize, a0: usize, s0: usize, w0: usize, o: i32, outputs: i32, colSum: usize, masked: bool): v128 {
  const b = <usize>o << 2;
  const mu = v128.load(mu0 + b);
  const xi = v128.load(a0 + b);
  const hom = homogeneous;
  const sigma = hom ? f32x4.splat(sharedSigma) : v128.load(s0 + b);
  let a = hom ? xi : f32x4.mul(xi, v128.load(w0 + b));
  let w = f32x4.add(mu, f32x4.mul(sigma, xi));
  if (masked) {
    const mask = laneMask(o, outputs);
    a = v128.and(a, mask);
    w = v128.and(w, mask);
  }
  v128.store(a0 + b, a);
  v128.store(w0 + b, w);
  if (colSum != 0) v128.store(colSum + b, f32x4.add(v128.load(colSum + b), w));
  return f32x4.abs(mu);
}

/**
 * One power term c·σ^-ρ, the usual case (one mechanism), fused with the noise: its values into
 * the sum, c = −ρ·c·σ^-ρ/σ·dσ/dφ, w = μ + σξ and a = ξ·dσ/dφ, from σ (g row), dσ/dφ (w row),
 * μ and ξ (a row). n = 2ρ for ρ = 1/2, 1 or 2 (σ^-ρ from 1/σ and √(1/σ)), else 0 (exp/log);
 * ρ = 1/2, the paper's default, has a loop of its own.
 */
@inline function powerNoiseRow(rowOff: usize, outP: i32, outputs: i32, colSum: usize, n: i32, c: f32, rho: f32): void {
  const mu0 = pMu + rowOff, a0 = pA + rowOff, s0 = pG + rowOff, w0 = pW + rowOff, c0 = pC + rowOff;
  const full = outputs & ~3;
  const cv = f32x4.splat(c), minusRho = f32x4.splat(-rho);
  let rel = f32x4.splat(0);
  let mag = f32x4.splat(0);
  if (n == 1) {
    for (let o = 0; o < outP; o += 4) {
      rel = f32x4.add(rel, powerNoiseVec(mu0, a0, s0, w0, c0, o, full, outputs, colSum, 1, cv, minusRho));
      mag = f32x4.add(mag, f32x4.abs(v128.load(mu0 + (<usize>o << 2))));
    }
  } else {
    for (let o = 0; o < outP; o += 4) {
      rel = f32x4.add(rel, powerNoiseVec(mu0, a0, s0, w0, c0, o, full, outputs, colSum, n, cv, minusRho));
      mag = f32x4.add(mag, f32x4.abs(v128.load(mu0 + (<usize>o << 2))));
    }
  }
  sumReliability += hsum(rel);
  sumMagnitude += hsum(mag);
}

/** powerNoiseRow for the four synapses at column o; returns their cost. */
@inline function powerNoiseVec(mu0: usize, a0: usize, s0: usize, w0: usize, c0: usize, o: i32, full: i32, outputs: i32, colSum: usize, n: i32, cv: v128, minusRho: v128): v128 {
  const b = <usize>o << 2;
  const sigma = v128.load(s0 + b);
  const dsdphi = v128.load(w0 + b);
  const mu = v128.load(mu0 + b);
  const xi = v128.load(a0 + b);
  const inv = f32x4.div(k(K_ONE), sigma);
  let p: v128;
  if (n == 1) p = f32x4.sqrt(inv);
  else if (n == 2) p = inv;
  else if (n == 4) p = f32x4.mul(inv, inv);
  else p = vexp(f32x4.mul(minusRho, vlog(sigma)));
  let val = f32x4.mul(cv, p);
  // d/dφ of c·σ^-ρ = −ρ·c·σ^-ρ·(1/σ)·dσ/dφ
  let grad = f32x4.mul(f32x4.mul(f32x4.mul(minusRho, val), inv), dsdphi);
  let a = f32x4.mul(xi, dsdphi);
  let w = f32x4.add(mu, f32x4.mul(sigma, xi));
  if (o >= full) {
    // only a row's last vector can hold padding
    const mask = laneMask(o, outputs);
    val = v128.and(val, mask); grad = v128.and(grad, mask); a = v128.and(a, mask); w = v128.and(w, mask);
  }
  v128.store(c0 + b, grad);
  v128.store(a0 + b, a);
  v128.store(w0 + b, w);
  if (colSum != 0) v128.store(colSum + b, f32x4.add(v128.load(colSum + b), w));
  return val;
}

/**
 * Several power terms Σ c·σ^-ρ (σ from the g row, dσ/dφ from the w row): their values into the
 * sum, c = Σ −ρ·c·σ^-ρ/σ·dσ/dφ into the c row. σ^-ρ for ρ = n/2 is a product of 1/σ and √(1/σ);
 * any other ρ goes through exp(−ρ·log σ).
 */
@inline function multiPowerRow(rowOff: usize, outP: i32, outputs: i32): void {
  const s0 = pG + rowOff, d0 = pW + rowOff, c0 = pC + rowOff;
  const powers = nPower;
  let rel = f32x4.splat(0);
  for (let o = 0; o < outP; o += 4) {
    const b = <usize>o << 2;
    const sigma = v128.load(s0 + b);
    const inv = f32x4.div(k(K_ONE), sigma);
    const rootInv = needRootInv ? f32x4.sqrt(inv) : inv;
    const ls = needLog ? vlog(sigma) : k(K_ZERO);
    let val = k(K_ZERO);
    let grad = k(K_ZERO);
    for (let t = 0; t < powers; t++) {
      const at = pPowers + <usize>t * 12;
      const rho = f32x4.splat(load<f32>(at));
      const n = load<i32>(at, 8);
      let p: v128;
      if (n == 0) p = vexp(f32x4.neg(f32x4.mul(rho, ls)));
      else {
        // σ^(-n/2) = (1/σ)^⌊n/2⌋ · (√(1/σ) when n is odd)
        p = n & 1 ? rootInv : k(K_ONE);
        for (let j = 1; j < n; j += 2) p = f32x4.mul(p, inv);
      }
      p = f32x4.mul(f32x4.splat(load<f32>(at, 4)), p);
      val = f32x4.add(val, p);
      grad = f32x4.sub(grad, f32x4.mul(rho, p));
    }
    const mask = laneMask(o, outputs);
    rel = f32x4.add(rel, v128.and(val, mask));
    v128.store(c0 + b, v128.and(f32x4.mul(f32x4.mul(grad, inv), v128.load(d0 + b)), mask));
  }
  sumReliability += hsum(rel);
}

/** Homogeneous σ: accumulates Σ dL/dw·ξ for the caller's shared-φ gradient. */
@inline function sharedPhiRow(rowOff: usize, outP: i32): void {
  const g0 = pG + rowOff, xi0 = pA + rowOff;
  let gxi = f32x4.splat(0);
  for (let o = 0; o < outP; o += 4) {
    const b = <usize>o << 2;
    gxi = f32x4.add(gxi, f32x4.mul(v128.load(g0 + b), v128.load(xi0 + b)));
  }
  sumGradXi += hsum(gxi);
}

/** d loss/dφ = dL/dw·a + (B/N)·(c + custom); then Adam on φ, or the gradient into c. */
@inline function phiRow(rowOff: usize, outP: i32, writeGrads: bool): void {
  const g0 = pG + rowOff, a0 = pA + rowOff, c0 = pC + rowOff;
  const extra = pExtraPhi;
  if (writeGrads) {
    for (let o = 0; o < outP; o += 4) {
      const b = <usize>o << 2;
      let cost = v128.load(c0 + b);
      if (extra != 0) cost = f32x4.add(cost, v128.load(extra + rowOff + b));
      v128.store(c0 + b, f32x4.add(f32x4.mul(v128.load(g0 + b), v128.load(a0 + b)), f32x4.mul(constant(C_COST_SCALE), cost)));
    }
    return;
  }
  const p0 = pPhi + rowOff, m0 = pMPhi + rowOff, v0 = pVPhi + rowOff;
  for (let o = 0; o < outP; o += 4) {
    const b = <usize>o << 2;
    let cost = v128.load(c0 + b);
    if (extra != 0) cost = f32x4.add(cost, v128.load(extra + rowOff + b));
    const g = f32x4.add(f32x4.mul(v128.load(g0 + b), v128.load(a0 + b)), f32x4.mul(constant(C_COST_SCALE), cost));
    v128.store(p0 + b, adamStep(v128.load(p0 + b), g, m0 + b, v0 + b));
  }
}

/** d loss/dμ = dL/dw + (B/N)·(λ·sign(μ) + custom); then Adam on μ, or the gradient into g. */
@inline function muRow(rowOff: usize, outP: i32, writeGrads: bool): void {
  const p0 = pMu + rowOff, g0 = pG + rowOff;
  if (writeGrads) {
    for (let o = 0; o < outP; o += 4) {
      const b = <usize>o << 2;
      v128.store(g0 + b, muGradient(v128.load(p0 + b), v128.load(g0 + b), rowOff + b));
    }
    return;
  }
  const m0 = pMMu + rowOff, v0 = pVMu + rowOff;
  for (let o = 0; o < outP; o += 4) {
    const b = <usize>o << 2;
    const mu = v128.load(p0 + b);
    v128.store(p0 + b, adamStep(mu, muGradient(mu, v128.load(g0 + b), rowOff + b), m0 + b, v0 + b));
  }
}

/** dL/dw + (B/N)·(λ·sign(μ) + custom at byte offset `at`); sign(0) = 0, so padding stays at 0. */
@inline function muGradient(mu: v128, g: v128, at: usize): v128 {
  // (B/N)·λ with μ's sign bit, masked to 0 where μ = 0
  const l1Term = v128.and(v128.or(v128.and(mu, k(K_SIGN_BIT)), constant(C_SCALED_L1)), f32x4.ne(mu, k(K_ZERO)));
  let out = f32x4.add(g, l1Term);
  if (pExtraMu != 0) out = f32x4.add(out, f32x4.mul(constant(C_COST_SCALE), v128.load(pExtraMu + at)));
  return out;
}

/** One Adam step: p − lr·m̂/(√v̂ + ε), with the bias corrections folded into the step size and 1/√(1 − β2^t). */
@inline function adamStep(p: v128, g: v128, m: usize, v: usize): v128 {
  const mn = f32x4.add(f32x4.mul(constant(C_BETA1), v128.load(m)), f32x4.mul(constant(C_ONE_MINUS_BETA1), g));
  const vn = f32x4.add(f32x4.mul(constant(C_BETA2), v128.load(v)), f32x4.mul(constant(C_ONE_MINUS_BETA2), f32x4.mul(g, g)));
  v128.store(m, mn);
  v128.store(v, vn);
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vn), constant(C_INV_SQRT_BC2)), constant(C_EPSILON));
  return f32x4.sub(p, f32x4.div(f32x4.mul(constant(C_STEP_SIZE), mn), denom));
}
