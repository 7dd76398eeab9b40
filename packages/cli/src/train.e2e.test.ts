import { describe, expect, it } from "vitest";
import { defineExperiment, train } from "@vesicle/core";
import { backendRegistry, costRegistry } from "./registries.js";
import { loadDataset } from "./data.js";

const mnist = loadDataset({ source: "mnist" });

describe("end to end on MNIST", () => {
  it.each(["fused", "tfjs-wasm"])("one epoch on a 2,000-image subset beats 80 percent test accuracy on %s", async (backendName) => {
    const spec = defineExperiment({ training: { epochs: 1, trainSubset: 2000, evalSamples: 2 }, backend: backendName });
    const record = await train({ spec, backend: await backendRegistry.require(backendName), costs: costRegistry, dataset: mnist });
    expect(record.final!.accuracyMean).toBeGreaterThan(0.8);
    expect(record.final!.accuracyExpected).toBeGreaterThan(0.8);
    // σ must have moved from its 1e-4 start under the reliability cost
    expect(record.final!.sigmaMean).toBeGreaterThan(1e-4);
  });
});
