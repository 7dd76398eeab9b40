// Shared set-up for the benchmark and its workers: the paper's network and objective (the
// PyTorch peer's: (1/ρ)(s/σ)^ρ with ρ = 0.5, s = 1e-3, plus λΣ|μ|, λ = 1e-4), MNIST batches.
import { Rng, makeBatch, PAPER_DEFAULTS } from "@vesicle/core";

export const RHO = 0.5;
export const S = 1e-3;
export const LAMBDA = 1e-4;
export const BATCH = 20;

/** Closed-form cost terms, so the bench does not depend on @vesicle/costs being built. */
export function paperObjective() {
  const c = Math.pow(S, RHO) / RHO;
  return {
    reliability: [{ name: "power", target: "sigma", closedForm: { kind: "power", rho: RHO, c }, value: (x) => c * Math.pow(x, -RHO), derivative: (x) => -RHO * c * Math.pow(x, -RHO - 1) }],
    magnitude: [{ name: "l1", target: "mu", closedForm: { kind: "l1", lambda: LAMBDA }, value: (x) => LAMBDA * Math.abs(x), derivative: (x) => LAMBDA * Math.sign(x) }],
  };
}

export function sessionOptions(dataset, seed = 0) {
  return { network: PAPER_DEFAULTS.network, optimiser: PAPER_DEFAULTS.optimiser, objective: paperObjective(), datasetSize: dataset.train.count, seed };
}

/** An endless stream of shuffled training minibatches. */
export function batches(dataset, seed) {
  const n = dataset.train.count;
  let order = new Rng(seed).permutation(n);
  let pos = 0;
  let epoch = 0;
  return () => {
    if (pos + BATCH > n) {
      order = new Rng(seed + ++epoch).permutation(n);
      pos = 0;
    }
    const b = makeBatch(dataset, dataset.train, order.subarray(pos, pos + BATCH));
    pos += BATCH;
    return b;
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median ms per step (after warm-up) of `steps` steps; batches are prepared outside the timing. */
export async function timeSteps(session, next, steps, warmup) {
  const prepared = Array.from({ length: 64 }, next);
  for (let i = 0; i < warmup; i++) await session.step(prepared[i % prepared.length]);
  const times = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const b = prepared[i % prepared.length];
    const t = performance.now();
    await session.step(b);
    times[i] = performance.now() - t;
  }
  return median(times);
}
