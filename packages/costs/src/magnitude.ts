/**
 * The magnitude cost of Eq. 3: λ·|μ| per synapse, i.e. L1 weight decay.
 *
 * It stands for costs that grow with the mean PSP (transmitter, release, receptors); Methods use
 * λ = 1e-4, the default here.
 */
import type { CostPlugin, CostTerm } from "@vesicle/core";
import { requireNonNegative } from "./validate.js";

/** The plugin name of the L1 magnitude cost. */
export const L1 = "l1";

/** λ of the paper's Methods. */
export const DEFAULT_L1_LAMBDA = 1e-4;

/**
 * A magnitude term λ·|μ|. Its derivative is λ·sign(μ), taken as 0 at μ = 0 (the subgradient
 * that leaves a zero weight where it is). Throws a VesicleError if λ < 0 or not finite.
 */
export function l1Term(lambda: number): CostTerm {
  requireNonNegative(`cost "${L1}"`, "lambda", lambda);
  return Object.freeze({
    name: L1,
    target: "mu" as const,
    value: (mu: number) => lambda * Math.abs(mu),
    derivative: (mu: number) => (mu > 0 ? lambda : mu < 0 ? -lambda : 0),
    closedForm: Object.freeze({ kind: "l1" as const, lambda }),
  });
}

/** `l1`: λ·|μ| on the PSP means. */
export const l1Cost: CostPlugin = Object.freeze({
  name: L1,
  target: "mu" as const,
  summary: "L1 magnitude cost λ·|μ| (Eq. 3)",
  params: Object.freeze({
    lambda: { description: "multiplier λ ≥ 0 (Methods: 1e-4)", default: DEFAULT_L1_LAMBDA },
  }),
  create: (params: Readonly<Record<string, number>>) => l1Term(params.lambda),
});
