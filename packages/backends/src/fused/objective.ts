/**
 * Splits an objective into what the kernel computes itself (power laws c·σ^-ρ and L1 λ|μ|, from
 * their closed forms) and the rest, which takes the slower generic path: the term's value and
 * derivative are applied in JS to the σ (or μ) buffer each step, and the kernel adds the derivative.
 */
import type { CostTerm, ResolvedObjective } from "@vesicle/core";

export interface SplitObjective {
  /** (ρ, c) of every closed-form power law on σ. */
  readonly powers: readonly { readonly rho: number; readonly c: number }[];
  /** Σ λ of every closed-form L1 term on μ. */
  readonly lambda: number;
  /** Reliability terms without a closed form (generic path). */
  readonly customSigma: readonly CostTerm[];
  /** Magnitude terms without a closed form (generic path). */
  readonly customMu: readonly CostTerm[];
}

export function splitObjective(objective: ResolvedObjective): SplitObjective {
  const powers: { rho: number; c: number }[] = [];
  let lambda = 0;
  const customSigma: CostTerm[] = [];
  const customMu: CostTerm[] = [];
  for (const t of objective.reliability) {
    if (t.closedForm?.kind === "power") powers.push({ rho: t.closedForm.rho, c: t.closedForm.c });
    else customSigma.push(t);
  }
  for (const t of objective.magnitude) {
    if (t.closedForm?.kind === "l1") lambda += t.closedForm.lambda;
    else customMu.push(t);
  }
  return { powers, lambda, customSigma, customMu };
}
