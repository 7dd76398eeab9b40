/**
 * A plain float64 implementation of the minibatch objective (core's objective.ts), written for
 * clarity, not speed: the yardstick that backend gradient tests compare against by finite differences.
 */
import { costScale, parameterLayout, softplus, type Batch, type NetworkSpec, type NetworkParameters, type ResolvedObjective } from "@vesicle/core";

export interface ReferenceProblem {
  readonly network: NetworkSpec;
  readonly objective: ResolvedObjective;
  readonly datasetSize: number;
  readonly batch: Batch;
  /** ξ, one per synapse. */
  readonly noise: Float64Array | Float32Array;
}

/** L = Σ_b NLL_b + (B/N)(Σ magnitude(μ) + Σ reliability(σ)) at w = μ + softplus(φ)ξ, in float64. */
export function referenceObjective(p: ReferenceProblem, mu: ArrayLike<number>, phi: ArrayLike<number>): { loss: number; nll: number } {
  const layout = parameterLayout(p.network);
  const w = new Float64Array(layout.synapses);
  for (let i = 0; i < w.length; i++) w[i] = mu[i] + softplus(phi.length === 1 ? phi[0] : phi[i]) * p.noise[i];
  const B = p.batch.size;
  let nll = 0;
  for (let b = 0; b < B; b++) {
    let h = Array.from(p.batch.inputs.subarray(b * layout.layers[0].inputs, (b + 1) * layout.layers[0].inputs), Number);
    layout.layers.forEach((l, li) => {
      const next = new Array<number>(l.outputs).fill(0);
      for (let o = 0; o < l.outputs; o++) {
        let z = w[l.biasOffset + o];
        for (let i = 0; i < l.inputs; i++) z += h[i] * w[l.weightOffset + i * l.outputs + o];
        next[o] = li < layout.layers.length - 1 && p.network.activation === "relu" ? Math.max(0, z) : z;
      }
      h = next;
    });
    if (p.network.likelihood.kind === "categorical") {
      const max = Math.max(...h);
      const logZ = max + Math.log(h.reduce((s, z) => s + Math.exp(z - max), 0));
      nll += logZ - h[p.batch.labels![b]];
    } else {
      const eps = p.network.likelihood.noiseStd;
      for (let o = 0; o < h.length; o++) nll += (p.batch.targets![b * h.length + o] - h[o]) ** 2 / (2 * eps * eps);
    }
  }
  let costs = 0;
  for (const t of p.objective.reliability)
    for (let i = 0; i < layout.synapses; i++) costs += t.value(softplus(phi.length === 1 ? phi[0] : phi[i]));
  for (const t of p.objective.magnitude) for (let i = 0; i < layout.synapses; i++) costs += t.value(mu[i]);
  return { loss: nll + costScale(B, p.datasetSize) * costs, nll };
}

/** Central finite difference of the reference loss w.r.t. μ_i or φ_i. */
export function finiteDifference(p: ReferenceProblem, params: NetworkParameters, which: "mu" | "phi", i: number, h = 1e-6): number {
  const mu = Float64Array.from(params.mu);
  const phi = Float64Array.from(params.phi);
  const x = which === "mu" ? mu : phi;
  const x0 = x[i];
  x[i] = x0 + h;
  const up = referenceObjective(p, mu, phi).loss;
  x[i] = x0 - h;
  const down = referenceObjective(p, mu, phi).loss;
  return (up - down) / (2 * h);
}
