/**
 * The minibatch objective of Eq. 2, in one place.
 *
 * Over the whole training set the objective is Σ_n NLL_n + magnitude + reliability. A minibatch of
 * B examples from N is an unbiased estimate of it scaled by B/N:
 *
 *     L_batch = Σ_{b in batch} NLL_b + (B/N) · (Σ_i magnitude(μ_i) + Σ_i reliability(σ_i))
 *
 * Every backend uses {@link costScale} for the factor, so runs on different backends optimise the same thing.
 */
import type { ResolvedObjective } from "./costs.js";

/** The weight B/N of the per-network costs in one minibatch's loss. */
export function costScale(batchSize: number, datasetSize: number): number {
  return batchSize / datasetSize;
}

/** Σ_i over terms of value(x_i) for one buffer (σ or μ); `count` repeats a single shared value. */
export function sumCost(terms: readonly { value(x: number): number }[], xs: ArrayLike<number>, count = xs.length): number {
  let total = 0;
  for (const t of terms) {
    if (xs.length === 1) total += count * t.value(xs[0]);
    else for (let i = 0; i < xs.length; i++) total += t.value(xs[i]);
  }
  return total;
}

/** Power-law exponents among the reliability terms (for the s = 1 reliability cost of Fig. 3). */
export function reliabilityExponents(objective: ResolvedObjective): number[] {
  return objective.reliability.flatMap((t) => (t.closedForm?.kind === "power" ? [t.closedForm.rho] : []));
}
