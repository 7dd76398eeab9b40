import { describe, expect, it } from "vitest";
import { Rng, defineExperiment, initialParameters, resolveObjective, CostRegistry, type CostPlugin, type Batch, type NetworkSpec } from "@vesicle/core";
import { tfjsBackend } from "./index.js";
import { finiteDifference, referenceObjective, type ReferenceProblem } from "../testing/reference-objective.js";

// Minimal cost plugins for the test (the real ones live in @vesicle/costs, which backends does not depend on).
const power: CostPlugin = {
  name: "power", target: "sigma", summary: "", params: { c: { description: "" }, rho: { description: "" } },
  create: ({ c, rho }) => ({ name: "power", target: "sigma", value: (s) => c * s ** -rho, derivative: (s) => -rho * c * s ** (-rho - 1), closedForm: { kind: "power", rho, c } }),
};
const l1: CostPlugin = {
  name: "l1", target: "mu", summary: "", params: { lambda: { description: "" } },
  create: ({ lambda }) => ({ name: "l1", target: "mu", value: (m) => lambda * Math.abs(m), derivative: (m) => lambda * Math.sign(m), closedForm: { kind: "l1", lambda } }),
};
// No closed form: exercises the generic (JavaScript) path.
const logBarrier: CostPlugin = {
  name: "log-barrier", target: "sigma", summary: "", params: { k: { description: "" } },
  create: ({ k }) => ({ name: "log-barrier", target: "sigma", value: (s) => -k * Math.log(s), derivative: (s) => -k / s }),
};
const registry = new CostRegistry().register(power).register(l1).register(logBarrier);

function problem(network: NetworkSpec, seed: number): ReferenceProblem & { batch: Batch } {
  const rng = new Rng(seed);
  const d = network.layers[0];
  const out = network.layers[network.layers.length - 1];
  const B = 4;
  const synapses = initialParameters(network, 0).mu.length;
  const batch: Batch = {
    size: B,
    inputs: Float32Array.from({ length: B * d }, () => rng.normal()),
    labels: Int32Array.from({ length: B }, () => rng.int(out)),
    targets: Float32Array.from({ length: B * out }, () => rng.normal()),
  };
  const objective = resolveObjective(
    {
      reliability: [{ name: "power", params: { c: 0.3, rho: 0.5 } }, { name: "power", params: { c: 0.1, rho: 2 } }, { name: "log-barrier", params: { k: 0.2 } }],
      magnitude: [{ name: "l1", params: { lambda: 0.05 } }],
    },
    registry,
  );
  return { network, objective, datasetSize: 40, batch, noise: new Rng(seed + 1).fillNormal(new Float32Array(synapses)) };
}

const cases: [string, Partial<NetworkSpec>][] = [
  ["categorical, heterogeneous", { layers: [5, 4, 3], likelihood: { kind: "categorical" }, noise: "heterogeneous" }],
  ["categorical, homogeneous", { layers: [5, 4, 3], likelihood: { kind: "categorical" }, noise: "homogeneous" }],
  ["gaussian, heterogeneous", { layers: [3, 6, 2], likelihood: { kind: "gaussian", noiseStd: 0.7 }, noise: "heterogeneous" }],
];

describe("tfjs backend (cpu engine)", () => {
  it.each(cases)("loss and gradients match finite differences of the float64 objective: %s", async (_, net) => {
    const spec = defineExperiment({ network: { ...net, sigmaInit: 0.3 } });
    const p = problem(spec.network, 3);
    const session = await tfjsBackend("tfjs-cpu").createSession({ network: spec.network, optimiser: spec.optimiser, objective: p.objective, datasetSize: p.datasetSize, seed: 9 });
    try {
      const params = session.getParameters();
      // move φ off its uniform start so each synapse differs
      const rng = new Rng(4);
      for (let i = 0; i < params.phi.length; i++) params.phi[i] += 0.5 * rng.normal();
      session.setParameters(params);
      const g = await session.gradients(p.batch, p.noise as Float32Array);
      const ref = referenceObjective(p, params.mu, params.phi);
      expect(g.loss).toBeCloseTo(ref.loss, 3);
      expect(g.nll).toBeCloseTo(ref.nll, 3);
      for (const i of [0, 3, 7, params.mu.length - 1]) {
        const fd = finiteDifference(p, params, "mu", i);
        expect(Math.abs(g.gradMu[i] - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
      }
      for (const i of params.phi.length === 1 ? [0] : [0, 5, params.phi.length - 1]) {
        const fd = finiteDifference(p, params, "phi", i);
        expect(Math.abs(g.gradPhi[i] - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
      }
    } finally {
      session.dispose();
    }
  });

  it("takes Adam's first step: every parameter moves by -η·sign(gradient)", async () => {
    const spec = defineExperiment({ network: { layers: [5, 4, 3] } });
    const p = problem(spec.network, 5);
    const session = await tfjsBackend("tfjs-cpu").createSession({ network: spec.network, optimiser: spec.optimiser, objective: p.objective, datasetSize: 40, seed: 2 });
    const before = session.getParameters();
    session.reseedNoise(77);
    const noise = new Rng(77).fillNormal(new Float32Array(before.mu.length)); // the noise step() will draw
    const g = await session.gradients(p.batch, noise);
    await session.step(p.batch);
    const after = session.getParameters();
    const eta = spec.optimiser.learningRate;
    for (let i = 0; i < before.mu.length; i++) expect(after.mu[i] - before.mu[i]).toBeCloseTo(-eta * Math.sign(g.gradMu[i]), 6);
    expect(session.getOptimiserState().step).toBe(1);
    session.dispose();
  });

  it("gives identical parameters after 50 steps from the same seed", async () => {
    const spec = defineExperiment({ network: { layers: [5, 4, 3] } });
    const p = problem(spec.network, 6);
    const run = async () => {
      const s = await tfjsBackend("tfjs-cpu").createSession({ network: spec.network, optimiser: spec.optimiser, objective: p.objective, datasetSize: 40, seed: 21 });
      for (let i = 0; i < 50; i++) await s.step(p.batch);
      const out = s.getParameters();
      s.dispose();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a.mu).toEqual(b.mu);
    expect(a.phi).toEqual(b.phi);
  });

  it("explains in one line why tfjs-node is unavailable when it is not installed", async () => {
    const a = await tfjsBackend("tfjs-node").probe();
    if (a.ok) return; // installed on this machine: nothing to explain
    expect(a.reason).toMatch(/@tensorflow\/tfjs-node/);
    expect(a.reason).not.toContain("\n");
  });
});
