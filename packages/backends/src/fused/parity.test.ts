/** Parity with the tfjs backend: same parameters, same noise ⇒ same loss and gradients (1e-4 relative). */
import { describe, expect, it } from "vitest";
import { Rng, initialParameters, type Batch, type CostTerm, type NetworkSpec, type ResolvedObjective, type SessionOptions } from "@vesicle/core";
import { defaultTrainingBackends } from "../index.js";
import { fusedBackend } from "./index.js";

const objective: ResolvedObjective = {
  reliability: [{ name: "power", target: "sigma", closedForm: { kind: "power", rho: 0.5, c: 0.003 }, value: (s) => 0.003 * s ** -0.5, derivative: (s) => -0.0015 * s ** -1.5 } satisfies CostTerm],
  magnitude: [{ name: "l1", target: "mu", closedForm: { kind: "l1", lambda: 0.01 }, value: (m) => 0.01 * Math.abs(m), derivative: (m) => 0.01 * Math.sign(m) } satisfies CostTerm],
};

function relativeGap(a: Float32Array, b: Float32Array): number {
  let diff = 0, norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    norm = Math.max(norm, Math.abs(b[i]));
  }
  return diff / norm;
}

describe("parity with tfjs-cpu", () => {
  for (const noise of ["heterogeneous", "homogeneous"] as const) {
    it(`matches loss and gradients at the same noise (${noise})`, async () => {
      const network: NetworkSpec = { layers: [12, 7, 5, 3], activation: "relu", likelihood: { kind: "categorical" }, noise, muInitRange: 0.5, sigmaInit: 0.05 };
      const options: SessionOptions = { network, objective, datasetSize: 500, seed: 1, optimiser: { kind: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } };
      const tfjs = await defaultTrainingBackends().get("tfjs-cpu").createSession(options);
      const fused = await fusedBackend.createSession(options);
      const rng = new Rng(3);
      const params = initialParameters(network, 2);
      const phi = params.phi.map(() => -3 + 2 * rng.uniform());
      tfjs.setParameters({ mu: params.mu, phi });
      fused.setParameters({ mu: params.mu, phi });
      const xi = rng.fillNormal(new Float32Array(fused.layout.synapses));
      const size = 8;
      const inputs = Float32Array.from({ length: size * 12 }, () => rng.normal());
      const batch: Batch = { size, inputs, labels: Int32Array.from({ length: size }, () => rng.int(3)) };
      const [a, b] = [await fused.gradients(batch, xi), await tfjs.gradients(batch, xi)];
      expect(Math.abs(a.loss - b.loss) / Math.abs(b.loss)).toBeLessThan(1e-4);
      expect(relativeGap(a.gradMu, b.gradMu)).toBeLessThan(1e-4);
      expect(relativeGap(a.gradPhi, b.gradPhi)).toBeLessThan(1e-4);
      tfjs.dispose();
      fused.dispose();
    });
  }
});
