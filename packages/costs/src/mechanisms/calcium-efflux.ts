/**
 * Calcium efflux, ρ = 1/2 (Appendix 1, Eqs. 11-13).
 *
 * Release is triggered by calcium with a Hill coefficient of four, so the odds of release are
 * p/(1 - p) ∝ [Ca]^4 (Eq. 11). The calcium that enters must be pumped out at a cost ∝ [Ca], so
 * cost ∝ (p/(1 - p))^(1/4) (Eq. 12). The cost does not involve n, so n is held and p changes,
 * with q compensating to keep μ. Eq. 10 then gives the odds exactly: p/(1 - p) = μ²/(n·σ²),
 * hence cost ∝ √(|μ|)·n^(-1/4)·σ^(-1/2) (Eq. 13).
 *
 * Because the Hill equation is written in odds, this holds for every p, not only small p: the
 * small-p approximation (odds ≈ p) is not needed.
 */
import { defineMechanism } from "../mechanism.js";
import { releaseOdds, type QuantalSynapse } from "../quantal.js";

/** Registry name. */
export const CALCIUM_EFFLUX = "calcium-efflux";

/** cost ∝ σ^-1/2. */
export const CALCIUM_EFFLUX_RHO = 1 / 2;

/** Hill coefficient of calcium-triggered release (Sakaba and Neher, 2001). */
export const CALCIUM_HILL_COEFFICIENT = 4;

/** Pump energy ∝ [Ca] ∝ (p/(1 - p))^(1/4), units where the constant is 1. */
export function calciumEffluxEnergy(synapse: Pick<QuantalSynapse, "p">): number {
  return Math.pow(releaseOdds(synapse), 1 / CALCIUM_HILL_COEFFICIENT);
}

/** The calcium-efflux mechanism: varies p at fixed n. */
export const calciumEfflux = defineMechanism({
  name: CALCIUM_EFFLUX,
  rho: CALCIUM_EFFLUX_RHO,
  summary: "calcium efflux: pumping out the calcium that raises p, cost ∝ σ^-1/2",
  varies: "p",
  energyOf: calciumEffluxEnergy,
});

/** `calcium-efflux`: c·σ^-1/2. */
export const calciumEffluxCost = calciumEfflux.plugin;
