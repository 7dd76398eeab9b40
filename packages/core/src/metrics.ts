/**
 * What a run reports: accuracy three ways, test NLL, σ statistics and the costs of Fig. 3.
 * Light arithmetic on backend outputs; the heavy forward passes happen in the backend.
 */
import type { TrainingSession } from "./backend.js";
import type { ResolvedObjective } from "./costs.js";
import { sumCost } from "./objective.js";
import { sigmas } from "./parameters.js";

export interface EvalMetrics {
  /** Test accuracy with w = μ. */
  readonly accuracyMean: number;
  /** Test accuracy with one weight sample. */
  readonly accuracySample: number;
  /** Test accuracy of the predictive p̄(y|x) = mean over `evalSamples` weight samples of softmax. */
  readonly accuracyExpected: number;
  /** Mean over test examples of −log p̄(y|x), with p̄ as above. */
  readonly testNll: number;
  /** Arithmetic mean of σ over synapses. */
  readonly sigmaMean: number;
  /** Root-mean-square σ over synapses (Fig. 2b). */
  readonly sigmaRms: number;
  /** Σ_i Σ_ρ (1/ρ)·σ_i^-ρ: the reliability cost with s = 1 (Fig. 3), over the objective's power laws. */
  readonly reliabilityCostS1: number;
  /** Σ_i magnitude(μ_i): the objective's magnitude cost (λΣ|μ| by default). */
  readonly magnitudeCost: number;
}

export interface EpochMetrics {
  readonly epoch: number;
  /** Mean minibatch objective per example over the epoch. */
  readonly trainLossPerExample: number;
  readonly trainNllPerExample: number;
  readonly accuracyMean: number;
  readonly sigmaMean: number;
  readonly seconds: number;
}

export interface TestSet {
  readonly inputs: Float32Array;
  readonly labels: ArrayLike<number>;
  readonly count: number;
}

/** Fraction of rows of `logits` (`count × classes`) whose argmax is the label. */
export function accuracy(logits: Float32Array, labels: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let n = 0; n < labels.length; n++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[n * classes + k] > logits[n * classes + best]) best = k;
    if (best === labels[n]) correct++;
  }
  return correct / labels.length;
}

/** Adds softmax(logits) row by row into `probs`. */
export function accumulateSoftmax(logits: Float32Array, classes: number, probs: Float64Array): void {
  for (let r = 0; r * classes < logits.length; r++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[r * classes + k]);
    let z = 0;
    for (let k = 0; k < classes; k++) z += Math.exp(logits[r * classes + k] - max);
    for (let k = 0; k < classes; k++) probs[r * classes + k] += Math.exp(logits[r * classes + k] - max) / z;
  }
}

/** σ statistics and the costs at the session's current parameters. */
export function parameterMetrics(session: TrainingSession, objective: ResolvedObjective) {
  const p = session.getParameters();
  const s = sigmas(p, session.layout);
  let sum = 0;
  let sumSq = 0;
  for (const v of s) {
    sum += v;
    sumSq += v * v;
  }
  let reliabilityCostS1 = 0;
  for (const t of objective.reliability) {
    if (t.closedForm?.kind !== "power") continue;
    const rho = t.closedForm.rho;
    for (const v of s) reliabilityCostS1 += Math.pow(v, -rho) / rho;
  }
  return {
    sigmaMean: sum / s.length,
    sigmaRms: Math.sqrt(sumSq / s.length),
    reliabilityCostS1,
    magnitudeCost: sumCost(objective.magnitude, p.mu),
  };
}

/** Full evaluation on a categorical test set. */
export async function evaluate(
  session: TrainingSession,
  test: TestSet,
  classes: number,
  objective: ResolvedObjective,
  samples: number,
): Promise<EvalMetrics> {
  const meanLogits = await session.forward(test.inputs, test.count, "mean");
  const probs = new Float64Array(test.count * classes);
  let accuracySample = 0;
  for (let s = 0; s < samples; s++) {
    const logits = await session.forward(test.inputs, test.count, "sample");
    if (s === 0) accuracySample = accuracy(logits, test.labels, classes);
    accumulateSoftmax(logits, classes, probs);
  }
  let nll = 0;
  const predictive = new Float32Array(probs.length);
  for (let n = 0; n < test.count; n++) {
    for (let k = 0; k < classes; k++) predictive[n * classes + k] = probs[n * classes + k] / samples;
    nll -= Math.log(Math.max(predictive[n * classes + test.labels[n]], 1e-300));
  }
  return {
    accuracyMean: accuracy(meanLogits, test.labels, classes),
    accuracySample,
    accuracyExpected: accuracy(predictive, test.labels, classes),
    testNll: nll / test.count,
    ...parameterMetrics(session, objective),
  };
}
