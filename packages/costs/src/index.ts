/**
 * @packageDocumentation
 * `@vesicle/costs`: the cost terms of Malkin et al. (eLife 2024). The reliability costs c·σ^-ρ of
 * Eq. 4, one per biophysical mechanism of Appendix 1 plus a generic power law; the L1 magnitude
 * cost of Eq. 3; and the binomial quantal model (Eq. 1) the mechanisms are derived from.
 *
 * Worker threads import this module by URL and call {@link registerCosts} on their registry.
 */
import { CostRegistry, type CostPlugin } from "@vesicle/core";
import { l1Cost } from "./magnitude.js";
import type { Mechanism } from "./mechanism.js";
import { actin } from "./mechanisms/actin.js";
import { calciumEfflux } from "./mechanisms/calcium-efflux.js";
import { trafficking } from "./mechanisms/trafficking.js";
import { vesicleMembrane } from "./mechanisms/vesicle-membrane.js";
import { powerLawCost } from "./power-law.js";

export { POWER_LAW, DEFAULT_RELIABILITY_C, powerLawTerm, powerLawCost, cFromS, sFromC } from "./power-law.js";
export { L1, DEFAULT_L1_LAMBDA, l1Term, l1Cost } from "./magnitude.js";
export {
  DEFAULT_RELEASE_SITES,
  DEFAULT_RELEASE_PROBABILITY,
  quantalMoments,
  synapseWithFixedN,
  synapseWithFixedP,
  releaseOdds,
  type QuantalSynapse,
  type PspMoments,
} from "./quantal.js";
export { defineMechanism, mechanismPlugin, type Mechanism, type MechanismDefinition, type ReleaseVariable, type HeldRelease } from "./mechanism.js";
export {
  CALCIUM_EFFLUX,
  CALCIUM_EFFLUX_RHO,
  CALCIUM_HILL_COEFFICIENT,
  calciumEffluxEnergy,
  calciumEfflux,
  calciumEffluxCost,
} from "./mechanisms/calcium-efflux.js";
export { VESICLE_MEMBRANE, VESICLE_MEMBRANE_RHO, vesicleMembraneEnergy, vesicleMembrane, vesicleMembraneCost } from "./mechanisms/vesicle-membrane.js";
export { ACTIN, ACTIN_RHO, actinEnergy, actin, actinCost } from "./mechanisms/actin.js";
export { TRAFFICKING, TRAFFICKING_RHO, traffickingEnergy, trafficking, traffickingCost } from "./mechanisms/trafficking.js";

/** Names of the four mechanisms of Appendix 1, in increasing ρ. */
export type MechanismName = "calcium-efflux" | "vesicle-membrane" | "actin" | "trafficking";

/**
 * The four mechanisms by name, in increasing ρ (1/2, 2/3, 4/3, 2): the CLI's `--mechanism`
 * choices and the sweep's default grid.
 */
export const mechanisms: Readonly<Record<MechanismName, Mechanism>> = Object.freeze({
  "calcium-efflux": calciumEfflux,
  "vesicle-membrane": vesicleMembrane,
  actin,
  trafficking,
});

/** Every built-in plugin: the generic power law, the four mechanisms, and L1. */
export const builtinCostPlugins: readonly CostPlugin[] = Object.freeze([powerLawCost, ...Object.values(mechanisms).map((m) => m.plugin), l1Cost]);

/** Registers every built-in on `registry`; throws (code `duplicate-cost`) if one is already there. */
export function registerCosts(registry: CostRegistry): void {
  for (const plugin of builtinCostPlugins) registry.register(plugin);
}

/** A new registry holding the built-ins; add your own with `register`. */
export function createCostRegistry(): CostRegistry {
  const registry = new CostRegistry();
  registerCosts(registry);
  return registry;
}
