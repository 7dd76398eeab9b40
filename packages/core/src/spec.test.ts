import { describe, expect, it } from "vitest";
import { PAPER_DEFAULTS, defineExperiment } from "./spec.js";

describe("defineExperiment", () => {
  it("fills the paper's Methods defaults", () => {
    const s = defineExperiment();
    expect(s.network.layers).toEqual([784, 100, 100, 10]);
    expect(s.optimiser.learningRate).toBe(5e-4);
    expect(s.training.batchSize).toBe(20);
    expect(s.training.epochs).toBe(50);
    expect(s.network.sigmaInit).toBe(1e-4);
    expect(s.network.muInitRange).toBe(0.1);
  });

  it("returns a deeply frozen value that later edits cannot change", () => {
    const s = defineExperiment({ training: { epochs: 3 } });
    expect(Object.isFrozen(s.training)).toBe(true);
    expect(() => {
      (s.training as { epochs: number }).epochs = 5;
    }).toThrow(TypeError);
    expect(PAPER_DEFAULTS.training.epochs).toBe(50);
  });

  it.each([
    [{ training: { batchSize: 0 } }, /batch size must be a positive integer, got 0/],
    [{ optimiser: { learningRate: NaN } }, /learning rate must be a positive finite number, got NaN/],
    [{ network: { layers: [784] } }, /at least an input and an output/],
    [{ network: { noise: "sometimes" as never } }, /noise mode must be/],
    [{ training: { epochs: 1.5 } }, /epochs must be a positive integer/],
    [{ objective: { reliability: [{ name: "power-law", params: { c: Infinity } }] } }, /parameter c must be a finite number/],
  ])("rejects %j", (input, message) => {
    expect(() => defineExperiment(input)).toThrow(message);
  });
});
