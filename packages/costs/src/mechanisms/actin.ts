/**
 * Actin, ρ = 4/3 (Appendix 1, Eq. 16).
 *
 * Reserve vesicles are strung along actin filaments, each taking a length ∝ its diameter, so the
 * actin costs ∝ n·r (Eq. 16), with r ∝ |q|^(1/3) as for the membrane. With p held, n ∝ σ^-2 and
 * q ∝ σ², so cost ∝ σ^-2·σ^(2/3) = σ^(-4/3).
 */
import { defineMechanism } from "../mechanism.js";
import type { QuantalSynapse } from "../quantal.js";

/** Registry name. */
export const ACTIN = "actin";

/** cost ∝ σ^-4/3. */
export const ACTIN_RHO = 4 / 3;

/** Actin energy ∝ n·r with r = |q|^(1/3) (units where both constants are 1). */
export function actinEnergy(synapse: QuantalSynapse): number {
  return synapse.n * Math.cbrt(Math.abs(synapse.q));
}

/** The actin mechanism: varies n at fixed p. */
export const actin = defineMechanism({
  name: ACTIN,
  rho: ACTIN_RHO,
  summary: "actin: filament length n·r supporting the vesicle pool, cost ∝ σ^-4/3",
  varies: "n",
  energyOf: actinEnergy,
});

/** `actin`: c·σ^-4/3. */
export const actinCost = actin.plugin;
