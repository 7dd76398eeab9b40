/**
 * The passes over the per-synapse buffers, each fused into one sweep per layer block
 * ((inputs + 1) rows of outP floats: the weight rows, then the bias row):
 *
 * - `sampleLayer`: ξ ~ N(0, 1), σ = softplus(φ), w = μ + σξ (and W's column sums for the affine input trick);
 * - `updateLayer`: cost values and gradients (power laws c·σ^-ρ, L1 λ|μ|, plus any JS-computed
 *   derivative buffers), d/dφ through sigmoid(φ), then Adam, or the gradients written out.
 *
 * Padding lanes (columns ≥ outputs) are masked: w stays 0 there, and they add no cost.
 */
import { hsum, vexp, vlog, vlog1pSmall, vsoftplus } from "./vmath";
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
  const mu0 = pMu, xi0 = pXi, phi0 = pPhi, w0 = pW;
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
        const sigma = hom ? sig : vsoftplus(v128.load(phi0 + k));
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
  // Globals are read once into locals: V8 does not hoist global reads out of the loops.
  const mu0 = pMu, g0 = pG, xi0 = pXi, phi0 = pPhi, gPhi0 = pGPhi, mMu0 = pMMu, vMu0 = pVMu, mPhi0 = pMPhi, vPhi0 = pVPhi;
  const base = <usize>off << 2;
  const rowBytes = <usize>outP << 2;
  const hom = homogeneous;
  const cs = f32x4.splat(costScale);
  const lam = f32x4.splat(l1);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const powers = nPower;
  const extraSig = pExtraSig;
  const extraMu = pExtraMu;
  const b1 = f32x4.splat(beta1), b1c = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), b2c = f32x4.splat(1 - beta2);
  const lr = f32x4.splat(stepSize), ibc2 = f32x4.splat(invSqrtBc2), eps = f32x4.splat(epsilon);
  // The first power law is kept in registers; further ones are read from memory.
  const rho0 = f32x4.splat(powers > 0 ? load<f32>(pPowers) : 0);
  const c0 = f32x4.splat(powers > 0 ? load<f32>(pPowers, 4) : 0);
  for (let r = 0; r < rows; r++) {
    const rowOff = base + <usize>r * rowBytes;
    let rel = zero;
    let mag = zero;
    let gxi = zero;
    for (let o = 0; o < outP; o += 4) {
      const k = rowOff + (<usize>o << 2);
      const mask = laneMask(o, outputs);
      const mu = v128.load(mu0 + k);
      const gw = v128.load(g0 + k);
      const xi = v128.load(xi0 + k);
      // d|μ|/dμ = sign(μ), 0 at 0 so padding stays at 0.
      const sign = f32x4.sub(v128.and(f32x4.gt(mu, zero), one), v128.and(f32x4.lt(mu, zero), one));
      let gmuCost = f32x4.mul(lam, sign);
      if (extraMu != 0) gmuCost = f32x4.add(gmuCost, v128.load(extraMu + k));
      const gmu = f32x4.add(gw, f32x4.mul(cs, gmuCost));
      mag = f32x4.add(mag, v128.and(f32x4.abs(mu), mask));
      if (hom) {
        gxi = f32x4.add(gxi, f32x4.mul(gw, xi));
      } else {
        const phi = v128.load(phi0 + k);
        // σ = softplus(φ), dσ/dφ = sigmoid(φ), sharing e^-|φ|.
        const e = vexp(f32x4.neg(f32x4.abs(phi)));
        const inv = f32x4.div(one, f32x4.add(one, e));
        const dsdphi = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(phi, zero));
        const sigma = f32x4.add(f32x4.max(phi, zero), vlog1pSmall(e));
        let gsig = zero;
        if (powers > 0) {
          // c·σ^-ρ and its derivative −ρ·c·σ^-ρ/σ.
          const ls = vlog(sigma);
          let val = f32x4.mul(c0, vexp(f32x4.neg(f32x4.mul(rho0, ls))));
          gsig = f32x4.neg(f32x4.mul(rho0, val));
          for (let t = 1; t < powers; t++) {
            const rho = f32x4.splat(load<f32>(pPowers + (<usize>t << 3)));
            const p = f32x4.mul(f32x4.splat(load<f32>(pPowers + (<usize>t << 3) + 4)), vexp(f32x4.neg(f32x4.mul(rho, ls))));
            val = f32x4.add(val, p);
            gsig = f32x4.sub(gsig, f32x4.mul(rho, p));
          }
          gsig = f32x4.div(gsig, sigma);
          rel = f32x4.add(rel, v128.and(val, mask));
        }
        if (extraSig != 0) gsig = f32x4.add(gsig, v128.load(extraSig + k));
        const gphi = v128.and(f32x4.mul(f32x4.add(f32x4.mul(gw, xi), f32x4.mul(cs, gsig)), dsdphi), mask);
        if (writeGrads) v128.store(gPhi0 + k, gphi);
        else v128.store(phi0 + k, adamStep(phi, gphi, mPhi0 + k, vPhi0 + k, b1, b1c, b2, b2c, lr, ibc2, eps));
      }
      if (writeGrads) v128.store(g0 + k, gmu);
      else v128.store(mu0 + k, adamStep(mu, gmu, mMu0 + k, vMu0 + k, b1, b1c, b2, b2c, lr, ibc2, eps));
    }
    sumReliability += hsum(rel);
    sumMagnitude += hsum(mag);
    sumGradXi += hsum(gxi);
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
