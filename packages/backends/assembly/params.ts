/**
 * The passes over the per-synapse buffers, each fused into one sweep per layer block
 * ((inputs + 1) rows of outP floats: the weight rows, then the bias row):
 *
 * - `sampleLayer`: ξ ~ N(0, 1), σ = softplus(φ), w = μ + σξ (and W's column sums for the affine input trick);
 * - `updateLayer`: cost values and gradients (power laws c·σ^-ρ, L1 λ|μ|, plus any JS-computed
 *   derivative buffers), d/dφ through sigmoid(φ), then Adam, or the gradients written out.
 *   It must follow a `sampleLayer` with noise (mode 0 or 1) at the same φ: that pass leaves
 *   e^-|φ| in the gPhi buffer, saving the update pass an exponential per synapse.
 *
 * Padding lanes (columns ≥ outputs) are masked: w stays 0 there, and they add no cost.
 */
import { allSmallPhi, hsum, smallLogSoftplus, smallSigmoid, smallSoftplus, vexp, vlog, vlog1pSmall } from "./vmath";
import { normal4 } from "./random";

// Buffer addresses (bytes), set once per memory layout by the JS wrapper.
let pMu: usize = 0;
let pPhi: usize = 0;
let pXi: usize = 0;
let pW: usize = 0;
let pG: usize = 0;
let pGPhi: usize = 0;
let pMMu: usize = 0;
let pVMu: usize = 0;
let pMPhi: usize = 0;
let pVPhi: usize = 0;
let pExtraSig: usize = 0;
let pExtraMu: usize = 0;
let pPowers: usize = 0;
let pScratch: usize = 0;

// Objective and optimiser settings.
let homogeneous = false;
let nPower = 0;
let l1: f32 = 0;
let costScale: f32 = 0;
let sharedSigma: f32 = 0;
let stepSize: f32 = 0;
let beta1: f32 = 0.9;
let beta2: f32 = 0.999;
let epsilon: f32 = 1e-8;
let invSqrtBc2: f32 = 1;

/** Sums over the last `updateLayer` calls (reset with `resetSums`). */
let sumReliability: f64 = 0;
let sumMagnitude: f64 = 0;
let sumGradXi: f64 = 0;

export function setBuffers(mu: usize, phi: usize, xi: usize, w: usize, g: usize, gPhi: usize, mMu: usize, vMu: usize, mPhi: usize, vPhi: usize, extraSig: usize, extraMu: usize, powers: usize, scratch: usize): void {
  pMu = mu; pPhi = phi; pXi = xi; pW = w; pG = g; pGPhi = gPhi; pMMu = mMu; pVMu = vMu; pMPhi = mPhi; pVPhi = vPhi;
  pExtraSig = extraSig; pExtraMu = extraMu; pPowers = powers; pScratch = scratch;
}

/** `powers` holds nPower (ρ, c) pairs; `lambda` is the summed L1 coefficient; extra* flags say whether the JS derivative buffers are in use. */
export function setObjective(isHomogeneous: bool, powerCount: i32, lambda: f32, scale: f32): void {
  homogeneous = isHomogeneous; nPower = powerCount; l1 = lambda; costScale = scale;
}

export function setSharedSigma(sigma: f32): void {
  sharedSigma = sigma;
}

/** Adam constants for this step: stepSize = lr/(1 − β1^t), invSqrtBc2 = 1/√(1 − β2^t). */
export function setAdam(size: f32, b1: f32, b2: f32, eps: f32, invBc2: f32): void {
  stepSize = size; beta1 = b1; beta2 = b2; epsilon = eps; invSqrtBc2 = invBc2;
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
 * Fills ξ and w for one layer block at element offset `off`. mode 0: fresh noise; 1: ξ given
 * in the ξ buffer; 2: w = μ. When `colSum` ≠ 0, also writes Σ over the first `colRows` rows of w.
 */
export function sampleLayer(rows: i32, outputs: i32, outP: i32, off: i32, mode: i32, colSum: usize, colRows: i32): void {
  const base = <usize>off << 2;
  const rowBytes = <usize>outP << 2;
  const hom = homogeneous;
  const sig = f32x4.splat(sharedSigma);
  const mu0 = pMu, xi0 = pXi, phi0 = pPhi, w0 = pW, gPhi0 = pGPhi;
  if (colSum != 0) memory.fill(colSum, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const rowOff = base + <usize>r * rowBytes;
    const summed = colSum != 0 && r < colRows;
    for (let o = 0; o < outP; o += 4) {
      const k = rowOff + (<usize>o << 2);
      const mu = v128.load(mu0 + k);
      let w: v128;
      if (mode == 2) {
        w = mu;
      } else {
        let xi: v128;
        if (mode == 0) {
          xi = normal4();
          v128.store(xi0 + k, xi);
        } else xi = v128.load(xi0 + k);
        let sigma = sig;
        if (!hom) {
          const phi = v128.load(phi0 + k);
          // e^-|φ| is left in the gPhi buffer for the update pass, which needs it at the same φ.
          const e = vexp(f32x4.neg(f32x4.abs(phi)));
          v128.store(gPhi0 + k, e);
          sigma = allSmallPhi(phi) ? smallSoftplus(e) : f32x4.add(f32x4.pmax(phi, f32x4.splat(0)), vlog1pSmall(e));
        }
        w = f32x4.add(mu, f32x4.mul(sigma, xi));
      }
      w = v128.and(w, laneMask(o, outputs));
      v128.store(w0 + k, w);
      if (summed) {
        const c = colSum + (<usize>o << 2);
        v128.store(c, f32x4.add(v128.load(c), w));
      }
    }
  }
}

/**
 * Gradients of the minibatch objective for one layer block from dL/dw (in the g buffer) and ξ,
 * then either an Adam step (writeGrads false) or d/dμ into g and d/dφ into gPhi. Cost values at
 * the parameters before the step go to the sums. In homogeneous mode φ is handled by the caller
 * from `gradXiSum`.
 */
export function updateLayer(rows: i32, outputs: i32, outP: i32, off: i32, writeGrads: bool): void {
  const base = <usize>off << 2;
  const rowBytes = <usize>outP << 2;
  // One row at a time (it stays in L1), in three short passes rather than one long loop body:
  // a body holding the cost terms and both Adam updates needs more than the 16 vector registers
  // of x86-64, and the spills cost more than reading the row again.
  for (let r = 0; r < rows; r++) {
    const rowOff = base + <usize>r * rowBytes;
    if (homogeneous) sharedPhiRow(rowOff, outP);
    else phiGradientRow(rowOff, outP, outputs);
    muRow(rowOff, outP, outputs, writeGrads);
    if (!homogeneous && !writeGrads) adamRow(pPhi + rowOff, pGPhi + rowOff, pMPhi + rowOff, pVPhi + rowOff, outP);
  }
}

/** Homogeneous σ: accumulates Σ dL/dw·ξ for the caller's shared-φ gradient. */
@inline function sharedPhiRow(rowOff: usize, outP: i32): void {
  const g0 = pG + rowOff, xi0 = pXi + rowOff;
  let gxi = f32x4.splat(0);
  for (let o = 0; o < outP; o += 4) {
    const k = <usize>o << 2;
    gxi = f32x4.add(gxi, f32x4.mul(v128.load(g0 + k), v128.load(xi0 + k)));
  }
  sumGradXi += hsum(gxi);
}

/** d loss/dφ = (dL/dw·ξ + (B/N)·Σ cost'(σ))·sigmoid(φ) into gPhi; reliability costs into the sum. */
@inline function phiGradientRow(rowOff: usize, outP: i32, outputs: i32): void {
  let rel = f32x4.splat(0);
  // Two vectors per iteration: each is one long dependency chain (exp, log, divisions), and two
  // independent chains side by side keep the core busy while each waits on its divisions.
  let o = 0;
  for (; o + 8 <= outP; o += 8) {
    const a = phiGradient4(rowOff + (<usize>o << 2), o, outputs);
    const b = phiGradient4(rowOff + (<usize>(o + 4) << 2), o + 4, outputs);
    rel = f32x4.add(rel, f32x4.add(a, b));
  }
  if (o < outP) rel = f32x4.add(rel, phiGradient4(rowOff + (<usize>o << 2), o, outputs));
  sumReliability += hsum(rel);
}

/** phiGradientRow for four synapses at byte offset `at`; returns their reliability cost. */
@inline function phiGradient4(at: usize, o: i32, outputs: i32): v128 {
  const powers = nPower;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const mask = laneMask(o, outputs);
  const phi = v128.load(pPhi + at);
  // σ = softplus(φ), dσ/dφ = sigmoid(φ) and log σ from e^-|φ| (left by sampleLayer in gPhi);
  // series when every σ is small.
  const e = v128.load(pGPhi + at);
  let dsdphi: v128, sigma: v128, ls: v128;
  if (allSmallPhi(phi)) {
    dsdphi = smallSigmoid(e);
    sigma = smallSoftplus(e);
    ls = smallLogSoftplus(phi, e);
  } else {
    const inv = f32x4.div(one, f32x4.add(one, e));
    dsdphi = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(phi, zero));
    sigma = f32x4.add(f32x4.pmax(phi, zero), vlog1pSmall(e));
    ls = powers > 0 ? vlog(sigma) : zero;
  }
  let gsig = zero;
  let val = zero;
  if (powers > 0) {
    // c·σ^-ρ and its derivative −ρ·c·σ^-ρ/σ.
    val = f32x4.mul(f32x4.splat(load<f32>(pPowers, 4)), vexp(f32x4.neg(f32x4.mul(f32x4.splat(load<f32>(pPowers)), ls))));
    gsig = f32x4.neg(f32x4.mul(f32x4.splat(load<f32>(pPowers)), val));
    for (let t = 1; t < powers; t++) {
      const rho = f32x4.splat(load<f32>(pPowers + (<usize>t << 3)));
      const p = f32x4.mul(f32x4.splat(load<f32>(pPowers + (<usize>t << 3) + 4)), vexp(f32x4.neg(f32x4.mul(rho, ls))));
      val = f32x4.add(val, p);
      gsig = f32x4.sub(gsig, f32x4.mul(rho, p));
    }
    gsig = f32x4.div(gsig, sigma);
  }
  if (pExtraSig != 0) gsig = f32x4.add(gsig, v128.load(pExtraSig + at));
  const gphi = f32x4.mul(f32x4.add(f32x4.mul(v128.load(pG + at), v128.load(pXi + at)), f32x4.mul(f32x4.splat(costScale), gsig)), dsdphi);
  v128.store(pGPhi + at, v128.and(gphi, mask));
  return v128.and(val, mask);
}

/** d loss/dμ = dL/dw + (B/N)·(λ·sign(μ) + custom); then Adam, or the gradient into g. */
@inline function muRow(rowOff: usize, outP: i32, outputs: i32, writeGrads: bool): void {
  const mu0 = pMu + rowOff, g0 = pG + rowOff;
  const extraMu = pExtraMu;
  const cs = f32x4.splat(costScale);
  const lam = f32x4.splat(l1);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let mag = zero;
  for (let o = 0; o < outP; o += 4) {
    const k = <usize>o << 2;
    const mu = v128.load(mu0 + k);
    // d|μ|/dμ = sign(μ), 0 at 0 so padding stays at 0.
    const sign = f32x4.sub(v128.and(f32x4.gt(mu, zero), one), v128.and(f32x4.lt(mu, zero), one));
    let gmuCost = f32x4.mul(lam, sign);
    if (extraMu != 0) gmuCost = f32x4.add(gmuCost, v128.load(extraMu + rowOff + k));
    v128.store(g0 + k, f32x4.add(v128.load(g0 + k), f32x4.mul(cs, gmuCost)));
    mag = f32x4.add(mag, v128.and(f32x4.abs(mu), laneMask(o, outputs)));
  }
  sumMagnitude += hsum(mag);
  if (!writeGrads) adamRow(mu0, g0, pMMu + rowOff, pVMu + rowOff, outP);
}

/** Adam on one row: p -= lr·m̂/(√v̂ + ε), with the bias corrections folded into stepSize and invSqrtBc2. */
@inline function adamRow(p0: usize, g0: usize, m0: usize, v0: usize, outP: i32): void {
  const b1 = f32x4.splat(beta1), b1c = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), b2c = f32x4.splat(1 - beta2);
  const lr = f32x4.splat(stepSize), ibc2 = f32x4.splat(invSqrtBc2), eps = f32x4.splat(epsilon);
  for (let o = 0; o < outP; o += 4) {
    const k = <usize>o << 2;
    v128.store(p0 + k, adamStep(v128.load(p0 + k), v128.load(g0 + k), m0 + k, v0 + k, b1, b1c, b2, b2c, lr, ibc2, eps));
  }
}

@inline function adamStep(p: v128, g: v128, m: usize, v: usize, b1: v128, b1c: v128, b2: v128, b2c: v128, lr: v128, ibc2: v128, eps: v128): v128 {
  const mn = f32x4.add(f32x4.mul(b1, v128.load(m)), f32x4.mul(b1c, g));
  const vn = f32x4.add(f32x4.mul(b2, v128.load(v)), f32x4.mul(b2c, f32x4.mul(g, g)));
  v128.store(m, mn);
  v128.store(v, vn);
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vn), ibc2), eps);
  return f32x4.sub(p, f32x4.div(f32x4.mul(lr, mn), denom));
}
