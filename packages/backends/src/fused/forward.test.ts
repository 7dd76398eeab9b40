/**
 * `forward` with mean weights against a float64 JS evaluation of the same network: on inputs that
 * are mostly one background value (normalised images, whose blank pixels the kernel skips and
 * adds back through the column sums of W) and on inputs without one.
 */
import { describe, expect, it } from "vitest";
import { Rng, parameterLayout, type NetworkSpec, type NetworkParameters } from "@vesicle/core";
import { fusedBackend } from "./index.js";

const network: NetworkSpec = {
  layers: [50, 38, 3], activation: "relu", likelihood: { kind: "categorical" }, noise: "heterogeneous", muInitRange: 0.3, sigmaInit: 0.01,
};

function reference(params: NetworkParameters, inputs: Float32Array, count: number): Float64Array {
  const layout = parameterLayout(network);
  const out = new Float64Array(count * 3);
  for (let b = 0; b < count; b++) {
    let a = Array.from(inputs.subarray(b * 50, (b + 1) * 50), Number);
    layout.layers.forEach((l, li) => {
      const h = new Array<number>(l.outputs).fill(0);
      for (let o = 0; o < l.outputs; o++) {
        let s = params.mu[l.biasOffset + o];
        for (let i = 0; i < l.inputs; i++) s += a[i] * params.mu[l.weightOffset + i * l.outputs + o];
        h[o] = li + 1 < layout.layers.length ? Math.max(s, 0) : s;
      }
      a = h;
    });
    out.set(a, b * 3);
  }
  return out;
}

describe("fused forward", () => {
  const rng = new Rng(21);
  const count = 300; // more than one chunk of rows
  const images = Float32Array.from({ length: count * 50 }, () => (rng.uniform() < 0.75 ? -0.42 : -0.42 + 3 * rng.uniform()));
  const plain = Float32Array.from({ length: count * 50 }, () => rng.normal());
  for (const [name, inputs] of [["mostly background", images], ["no background", plain]] as const) {
    it(`matches a float64 evaluation with mean weights (${name})`, async () => {
      const s = await fusedBackend.createSession({
        network, datasetSize: 100, seed: 2,
        optimiser: { kind: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
        objective: { reliability: [], magnitude: [] },
      });
      const params = s.getParameters();
      const got = await s.forward(inputs, count, "mean");
      const want = reference(params, inputs, count);
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * scale);
    });
  }
});
