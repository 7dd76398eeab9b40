/**
 * Trafficking, ρ = 2 (Appendix 1, Eq. 17).
 *
 * Myosin-V motors carry vesicles to release sites to refill what was released, a cost ∝ n·p
 * (Eq. 17). With p held and n the variable, Eq. 10 gives n ∝ σ^-2, so cost ∝ σ^-2.
 *
 * (The paper's alternative, Eq. 18, lets n·p itself change; then cost ∝ (1 - p)/σ², which is σ^-2
 * only for small p. This module follows the main text: p held.)
 */
import { defineMechanism } from "../mechanism.js";
import type { QuantalSynapse } from "../quantal.js";

/** Registry name. */
export const TRAFFICKING = "trafficking";

/** cost ∝ σ^-2. */
export const TRAFFICKING_RHO = 2;

/** Trafficking energy ∝ n·p, the vesicles released per spike (units where the constant is 1). */
export function traffickingEnergy(synapse: QuantalSynapse): number {
  return synapse.n * synapse.p;
}

/** The trafficking mechanism: varies n at fixed p. */
export const trafficking = defineMechanism({
  name: TRAFFICKING,
  rho: TRAFFICKING_RHO,
  summary: "trafficking: motor transport of the n·p released vesicles, cost ∝ σ^-2",
  varies: "n",
  energyOf: traffickingEnergy,
});

/** `trafficking`: c·σ^-2. */
export const traffickingCost = trafficking.plugin;
