/** Whole-session behaviour: determinism from the seed, learning, state round trips. */
import { describe, expect, it } from "vitest";
import { Rng, type Batch, type CostTerm, type ResolvedObjective, type SessionOptions } from "@vesicle/core";
import { FusedSession, fusedBackend } from "./index.js";

const c = 0.001;
const objective: ResolvedObjective = {
  reliability: [{ name: "power", target: "sigma", closedForm: { kind: "power", rho: 0.5, c }, value: (s) => c * s ** -0.5, derivative: (s) => -0.5 * c * s ** -1.5 } satisfies CostTerm],
  magnitude: [{ name: "l1", target: "mu", closedForm: { kind: "l1", lambda: 1e-4 }, value: (m) => 1e-4 * Math.abs(m), derivative: (m) => 1e-4 * Math.sign(m) } satisfies CostTerm],
};

function options(noise: "heterogeneous" | "homogeneous" = "heterogeneous"): SessionOptions {
  return {
    network: { layers: [16, 12, 3], activation: "relu", likelihood: { kind: "categorical" }, noise, muInitRange: 0.1, sigmaInit: 1e-3 },
    optimiser: { kind: "adam", learningRate: 5e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    objective, datasetSize: 400, seed: 9,
  };
}

/** A learnable toy problem: the label is which third of the pixels is brightest. */
function batches(count: number, size: number): Batch[] {
  const rng = new Rng(4);
  return Array.from({ length: count }, () => {
    const pixels = new Uint8Array(size * 16);
    const labels = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      labels[b] = rng.int(3);
      for (let p = 0; p < 16; p++) pixels[b * 16 + p] = p % 3 === labels[b] ? 150 + rng.int(100) : rng.uniform() < 0.6 ? 0 : rng.int(120);
    }
    const affine = { scale: 1 / 100, shift: -0.3 };
    return { size, inputs: Float32Array.from(pixels, (p) => p * affine.scale + affine.shift), labels, pixels, affine };
  });
}

describe("fused training session", () => {
  it("gives identical parameters after 50 steps from the same seed", async () => {
    const data = batches(50, 10);
    const run = async () => {
      const s = await fusedBackend.createSession(options());
      for (const b of data) await s.step(b);
      return s.getParameters();
    };
    const [a, b] = [await run(), await run()];
    expect(a.mu).toEqual(b.mu);
    expect(a.phi).toEqual(b.phi);
  });

  it("does not grow its memory: 20,000 steps, evaluations and gradient calls in the first step's footprint", async () => {
    const s = await fusedBackend.createSession(options());
    const data = batches(20, 10);
    await s.step(data[0]);
    await s.forward(data[0].inputs, data[0].size, "sample");
    const memory = (s as unknown as { k: { memory: WebAssembly.Memory } }).k.memory;
    const bytes = memory.buffer.byteLength;
    const noise = new Rng(1).fillNormal(new Float32Array(s.layout.synapses));
    for (let i = 0; i < 20_000; i++) {
      await s.step(data[i % data.length]);
      if (i % 1000 === 0) {
        await s.forward(data[0].inputs, data[0].size, i % 2000 === 0 ? "mean" : "sample");
        await s.gradients(data[1], noise);
      }
    }
    expect(memory.buffer.byteLength).toBe(bytes);
    expect(s.getParameters().mu.every(Number.isFinite)).toBe(true);
    s.dispose();
  });

  for (const noise of ["heterogeneous", "homogeneous"] as const) {
    it(`learns: the loss falls and accuracy rises (${noise})`, async () => {
      const s = await fusedBackend.createSession(options(noise));
      const data = batches(40, 10);
      const losses: number[] = [];
      for (let epoch = 0; epoch < 10; epoch++) for (const b of data) losses.push((await s.step(b)).loss);
      const mean = (xs: number[]) => xs.reduce((t, v) => t + v, 0) / xs.length;
      expect(mean(losses.slice(-40))).toBeLessThan(0.5 * mean(losses.slice(0, 40)));
      const test = batches(1, 200)[0];
      const logits = await s.forward(test.inputs, test.size, "mean");
      let correct = 0;
      for (let b = 0; b < test.size; b++) {
        const row = Array.from(logits.subarray(b * 3, b * 3 + 3));
        if (row.indexOf(Math.max(...row)) === test.labels![b]) correct++;
      }
      expect(correct / test.size).toBeGreaterThan(0.8);
    });
  }

  // A step draws the next minibatch's weights inside its update pass; this checks that the
  // fused pass is exactly Adam on the objective's gradients at the noise it drew.
  for (const noise of ["heterogeneous", "homogeneous"] as const) {
    it(`takes the Adam step of gradients() at the drawn noise (${noise})`, async () => {
      const data = batches(8, 10);
      const a = (await fusedBackend.createSession(options(noise))) as FusedSession;
      for (const b of data.slice(0, 5)) await a.step(b);
      const before = a.getParameters();
      const state = a.getOptimiserState();
      const xi = a.drawnNoise();
      const stepped = await a.step(data[5]);
      const after = a.getParameters();

      const b = await fusedBackend.createSession(options(noise));
      b.setParameters(before);
      const g = await b.gradients(data[5], xi);
      expect(g.loss).toBeCloseTo(stepped.loss, 4);
      const o = options(noise).optimiser;
      const t = state.step + 1;
      const adam = (p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array) => Float64Array.from(p, (x, i) => {
        const mi = o.beta1 * m[i] + (1 - o.beta1) * grad[i];
        const vi = o.beta2 * v[i] + (1 - o.beta2) * grad[i] ** 2;
        return x - (o.learningRate / (1 - o.beta1 ** t)) * mi / (Math.sqrt(vi / (1 - o.beta2 ** t)) + o.epsilon);
      });
      const expectClose = (got: Float32Array, want: Float64Array, moved: Float32Array) => {
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1e-3, Math.abs(want[i] - moved[i])));
        // relative to the size of the step each parameter took (floored): the kernel works in f32
        expect(worst).toBeLessThan(2e-3);
      };
      expectClose(after.mu, adam(before.mu, g.gradMu, state.mMu, state.vMu), before.mu);
      expectClose(after.phi, adam(before.phi, g.gradPhi, state.mPhi, state.vPhi), before.phi);
    });
  }

  it("round-trips parameters and optimiser state, and resumes identically", async () => {
    const data = batches(20, 10);
    const a = await fusedBackend.createSession(options());
    for (const b of data.slice(0, 10)) await a.step(b);
    const b = await fusedBackend.createSession({ ...options(), seed: 123 });
    b.setParameters(a.getParameters());
    b.setOptimiserState(a.getOptimiserState());
    a.reseedNoise(77);
    b.reseedNoise(77);
    for (const batch of data.slice(10)) {
      const [la, lb] = [await a.step(batch), await b.step(batch)];
      expect(la.loss).toBe(lb.loss);
    }
    expect(a.getParameters().mu).toEqual(b.getParameters().mu);
    expect(a.getOptimiserState().step).toBe(20);
  });
});
