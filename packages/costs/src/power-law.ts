/**
 * The generic power-law reliability cost of Eq. 4: c·σ^-ρ per synapse.
 *
 * Every biophysical mechanism of Appendix 1 reduces to this form with its own ρ; the generic
 * plugin lets a user try any ρ > 0 (the paper sweeps ρ ∈ {1/2, 2/3, 4/3, 2}).
 *
 * Appendix 4 (Eqs. 41-48) writes the multiplier as c = s^ρ/ρ: then c·σ^-ρ, less the constant
 * 1/ρ + ½·log(2πe s²), is an upper bound on the negative entropy -½·log(2πe σ²) of the synapse,
 * touching it at σ = s. {@link cFromS} and {@link sFromC} convert between the two.
 */
import type { CostPlugin, CostTerm } from "@vesicle/core";
import { requireNonNegative, requirePositive } from "./validate.js";

/** The plugin name of the generic power law. */
export const POWER_LAW = "power-law";

/** Default multiplier c for the power-law plugins: mid-range of the paper's Fig. 2 sweep. */
export const DEFAULT_RELIABILITY_C = 0.01;

/**
 * A reliability term c·σ^-ρ, defined for σ > 0 (backends keep σ = softplus(φ) > 0).
 *
 * Used by the generic plugin and by every mechanism; `name` is the registry name it reports.
 * Throws a VesicleError if c < 0, ρ ≤ 0, or either is not finite.
 */
export function powerLawTerm(c: number, rho: number, name: string = POWER_LAW): CostTerm {
  requireNonNegative(`cost "${name}"`, "c", c);
  requirePositive(`cost "${name}"`, "rho", rho);
  // Precomputed so the per-synapse calls are one pow each.
  const slope = -rho * c;
  const outer = -rho - 1;
  return Object.freeze({
    name,
    target: "sigma" as const,
    value: (sigma: number) => c * Math.pow(sigma, -rho),
    derivative: (sigma: number) => slope * Math.pow(sigma, outer),
    closedForm: Object.freeze({ kind: "power" as const, rho, c }),
  });
}

/** Eq. 48: the multiplier c = s^ρ/ρ for the entropy-bound scale s. */
export function cFromS(s: number, rho: number): number {
  requirePositive("power law", "s", s);
  requirePositive("power law", "rho", rho);
  return Math.pow(s, rho) / rho;
}

/** Inverse of {@link cFromS}: s = (ρ·c)^(1/ρ), the σ at which the bound of Eq. 44 is tight. */
export function sFromC(c: number, rho: number): number {
  requirePositive("power law", "c", c);
  requirePositive("power law", "rho", rho);
  return Math.pow(rho * c, 1 / rho);
}

/** `power-law`: c·σ^-ρ for any ρ > 0; ρ has no default because it is the point of choosing this plugin. */
export const powerLawCost: CostPlugin = Object.freeze({
  name: POWER_LAW,
  target: "sigma" as const,
  summary: "generic power-law reliability cost c·σ^-ρ (Eq. 4), any ρ > 0",
  params: Object.freeze({
    c: { description: "multiplier c ≥ 0 (Eq. 4; c = s^ρ/ρ, Eq. 48)", default: DEFAULT_RELIABILITY_C },
    rho: { description: "exponent ρ > 0" },
  }),
  create: (params: Readonly<Record<string, number>>) => powerLawTerm(params.c, params.rho, POWER_LAW),
});
