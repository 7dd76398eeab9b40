/**
 * The binomial quantal model of Eq. 1 (Katz and Miledi): n release sites, each releasing with
 * probability p a vesicle that adds q to the PSP, so
 *
 *     μ = n·p·q,    σ² = n·p·(1 - p)·q².
 *
 * Appendix 1 eliminates q (Eq. 10): σ/μ = √((1 - p)/(n·p)). A mechanism changes n or p, and q
 * compensates ("quantal scaling") so μ stays put. Given μ, σ and whichever of n, p is held, the
 * other two are fixed; the functions here solve for them.
 *
 * n is treated as a continuous quantity (the scaling laws are what matter, not integrality), and
 * q carries the sign of μ so inhibitory synapses (μ < 0) are described too; sizes use |q|.
 */
import { requireNonZero, requireOpenUnit, requirePositive } from "./validate.js";

/** One synapse of the quantal model. */
export interface QuantalSynapse {
  /** Number of release sites (docked vesicles); continuous, > 0. */
  readonly n: number;
  /** Release probability per site, in (0, 1). */
  readonly p: number;
  /** Quantal size, the PSP per released vesicle; its sign is the sign of μ. */
  readonly q: number;
}

/** Mean and standard deviation of the PSP. */
export interface PspMoments {
  readonly mu: number;
  readonly sigma: number;
}

/** n held by default when a mechanism varies p (any value: the scaling with σ does not depend on it). */
export const DEFAULT_RELEASE_SITES = 10;

/** p held by default when a mechanism varies n (likewise arbitrary). */
export const DEFAULT_RELEASE_PROBABILITY = 0.5;

const OWNER = "quantal model";

/** Eq. 1: the PSP mean and standard deviation of a synapse. */
export function quantalMoments(synapse: QuantalSynapse): PspMoments {
  const n = requirePositive(OWNER, "n", synapse.n);
  const p = requireOpenUnit(OWNER, "p", synapse.p);
  const q = requireNonZero(OWNER, "q", synapse.q);
  return { mu: n * p * q, sigma: Math.sqrt(n * p * (1 - p)) * Math.abs(q) };
}

/** The squared coefficient of variation k² = σ²/μ² = (1 - p)/(n·p) (Eq. 10), checked. */
function squaredCv(mu: number, sigma: number): number {
  requireNonZero(OWNER, "mu", mu);
  requirePositive(OWNER, "sigma", sigma);
  // Ratio first: μ² or σ² alone can under- or overflow where their ratio does not.
  const k = sigma / Math.abs(mu);
  return k * k;
}

/**
 * The synapse with mean μ, std σ and `n` release sites: p and q follow.
 *
 * From Eq. 10 the odds of release are exactly p/(1 - p) = μ²/(n·σ²), for every p; hence
 * p = 1/(1 + n·k²) with k = σ/|μ|, and q = μ/(n·p).
 */
export function synapseWithFixedN(mu: number, sigma: number, n: number): QuantalSynapse {
  const k2 = squaredCv(mu, sigma);
  requirePositive(OWNER, "n", n);
  const nk2 = n * k2;
  const p = 1 / (1 + nk2);
  return { n, p, q: (mu * (1 + nk2)) / n };
}

/**
 * The synapse with mean μ, std σ and release probability `p`: n and q follow.
 *
 * From Eq. 10, n = (1 - p)/(p·k²) ∝ σ^-2, and q = μ/(n·p) = μ·k²/(1 - p) ∝ σ².
 */
export function synapseWithFixedP(mu: number, sigma: number, p: number): QuantalSynapse {
  const k2 = squaredCv(mu, sigma);
  requireOpenUnit(OWNER, "p", p);
  return { n: (1 - p) / (p * k2), p, q: (mu * k2) / (1 - p) };
}

/** The odds of release p/(1 - p) of a synapse. */
export function releaseOdds(synapse: Pick<QuantalSynapse, "p">): number {
  return synapse.p / (1 - synapse.p);
}
