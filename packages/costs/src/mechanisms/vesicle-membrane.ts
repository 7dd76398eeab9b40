/**
 * Vesicle membrane, ρ = 2/3 (Appendix 1, Eqs. 14-15).
 *
 * Membrane (phospholipid turnover, proton leak through v-GLUT) costs ∝ total vesicle area n·r²
 * (Eq. 14). A vesicle's transmitter, so q, scales with its volume, so r ∝ |q|^(1/3). With p held,
 * Eq. 10 gives n ∝ σ^-2 and q = μ/(n·p) ∝ σ², so cost ∝ σ^-2·σ^(4/3) = σ^(-2/3): many small
 * vesicles are reliable but have more membrane than few large ones.
 */
import { defineMechanism } from "../mechanism.js";
import type { QuantalSynapse } from "../quantal.js";

/** Registry name. */
export const VESICLE_MEMBRANE = "vesicle-membrane";

/** cost ∝ σ^-2/3. */
export const VESICLE_MEMBRANE_RHO = 2 / 3;

/** Membrane energy ∝ n·r² with r = |q|^(1/3) (units where both constants are 1). */
export function vesicleMembraneEnergy(synapse: QuantalSynapse): number {
  const r = Math.cbrt(Math.abs(synapse.q));
  return synapse.n * r * r;
}

/** The vesicle-membrane mechanism: varies n at fixed p. */
export const vesicleMembrane = defineMechanism({
  name: VESICLE_MEMBRANE,
  rho: VESICLE_MEMBRANE_RHO,
  summary: "vesicle membrane: total vesicle surface area n·r², cost ∝ σ^-2/3",
  varies: "n",
  energyOf: vesicleMembraneEnergy,
});

/** `vesicle-membrane`: c·σ^-2/3. */
export const vesicleMembraneCost = vesicleMembrane.plugin;
