import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Batch, TrainingBackend, TrainingSession } from "./backend.js";
import { readCheckpoint } from "./checkpoint.js";
import { CostRegistry } from "./costs.js";
import { assembleDataset } from "./data/dataset.js";
import { parameterLayout } from "./layout.js";
import { zeroAdamState } from "./optimiser.js";
import { initialParameters } from "./parameters.js";
import { defineExperiment } from "./spec.js";
import { readRecord, train } from "./train.js";

// A fake backend that "learns" by counting steps, so the loop's bookkeeping can be tested
// without any compute: μ[0] holds the number of steps taken.
function fakeBackend(options: { nanAtStep?: number } = {}): TrainingBackend & { batches: Batch[] } {
  const batches: Batch[] = [];
  return {
    name: "fake",
    summary: "test double",
    batches,
    probe: async () => ({ ok: true }),
    async createSession(o) {
      const layout = parameterLayout(o.network);
      let params = initialParameters(o.network, o.seed);
      params.mu[0] = 0;
      let opt = zeroAdamState(params);
      const session: TrainingSession = {
        layout,
        async step(batch) {
          batches.push(batch);
          params.mu[0] += 1;
          const loss = options.nanAtStep !== undefined && params.mu[0] >= options.nanAtStep ? NaN : 1 / params.mu[0];
          opt = { ...opt, step: opt.step + 1 };
          return { loss, nll: loss };
        },
        async gradients() {
          throw new Error("unused");
        },
        async forward(_inputs, count) {
          const out = new Float32Array(count * 2);
          for (let n = 0; n < count; n++) out[n * 2] = 1; // always predicts class 0
          return out;
        },
        getParameters: () => ({ mu: params.mu.slice(), phi: params.phi.slice() }),
        setParameters: (p) => (params = { mu: p.mu.slice(), phi: p.phi.slice() }),
        getOptimiserState: () => opt,
        setOptimiserState: (s) => (opt = s),
        reseedNoise: () => undefined,
        dispose: () => undefined,
      };
      return session;
    },
  };
}

// 10 training examples of 3 pixels, 4 test examples, 2 classes; class 0 for 3 of 4 test labels.
const dataset = assembleDataset(
  "tiny",
  { count: 10, pixels: Uint8Array.from({ length: 30 }, (_, i) => (i * 37) % 256), labels: Uint8Array.from({ length: 10 }, (_, i) => i % 2) },
  { count: 4, pixels: new Uint8Array(12).fill(9), labels: Uint8Array.from([0, 0, 1, 0]) },
);
const costs = new CostRegistry();
const spec = defineExperiment({
  network: { layers: [3, 2] },
  objective: { reliability: [], magnitude: [] },
  training: { epochs: 3, batchSize: 4, evalSamples: 2, seed: 11 },
  backend: "fake",
});
const tmp = () => join(mkdtempSync(join(tmpdir(), "vesicle-train-")), "run");

describe("train loop", () => {
  it("runs whole batches per epoch, records metrics and writes run.json and a checkpoint", async () => {
    const backend = fakeBackend();
    const runDir = tmp();
    const record = await train({ spec, backend, costs, dataset, runDir });
    expect(backend.batches.length).toBe(3 * 2); // floor(10 / 4) = 2 steps per epoch
    expect(record.status).toBe("complete");
    expect(record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(record.final?.accuracyMean).toBe(0.75);
    expect(readRecord(runDir)?.status).toBe("complete");
    const ckpt = readCheckpoint(join(runDir, "checkpoint.json"));
    expect(ckpt.epoch).toBe(3);
    expect(ckpt.parameters.mu[0]).toBe(6);
  });

  it("draws a seeded, different order each epoch", async () => {
    const a = fakeBackend();
    const b = fakeBackend();
    await train({ spec, backend: a, costs, dataset });
    await train({ spec, backend: b, costs, dataset });
    const labels = (x: Batch[]) => x.map((batch) => [...batch.pixels!].join(","));
    expect(labels(a.batches)).toEqual(labels(b.batches));
    expect(labels(a.batches).slice(0, 2)).not.toEqual(labels(a.batches).slice(2, 4));
  });

  it("refuses a non-empty run dir and leaves its files alone", async () => {
    const runDir = tmp();
    await train({ spec, backend: fakeBackend(), costs, dataset, runDir });
    const before = readFileSync(join(runDir, "run.json"), "utf8");
    await expect(train({ spec, backend: fakeBackend(), costs, dataset, runDir })).rejects.toThrow(/already exists and is not empty/);
    expect(readFileSync(join(runDir, "run.json"), "utf8")).toBe(before);
  });

  it("stops on a non-finite loss, says so, and keeps the last good checkpoint", async () => {
    const runDir = tmp();
    await expect(train({ spec, backend: fakeBackend({ nanAtStep: 4 }), costs, dataset, runDir })).rejects.toThrow(/diverged: the loss became NaN at epoch 2, step 2/);
    const record = readRecord(runDir)!;
    expect(record.status).toBe("diverged");
    expect(record.error).toMatch(/checkpoint of epoch 1 is kept/);
    const ckpt = readCheckpoint(join(runDir, "checkpoint.json"));
    expect(ckpt.epoch).toBe(1);
    expect(Number.isFinite(ckpt.parameters.mu[0])).toBe(true);
    expect(readdirSync(runDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("resumes an interrupted run from its checkpoint and ends where an uninterrupted run ends", async () => {
    const full = tmp();
    await train({ spec, backend: fakeBackend(), costs, dataset, runDir: full });
    const cut = tmp();
    const controller = new AbortController();
    await expect(
      train({ spec, backend: fakeBackend(), costs, dataset, runDir: cut, signal: controller.signal, onEvent: (e) => e.kind === "epoch" && e.metrics.epoch === 2 && controller.abort() }),
    ).rejects.toThrow(/interrupted/);
    expect(readCheckpoint(join(cut, "checkpoint.json")).epoch).toBe(2);
    const resumed = fakeBackend();
    const record = await train({ spec, backend: resumed, costs, dataset, runDir: cut, resume: true });
    expect(resumed.batches.length).toBe(2); // only epoch 3
    expect(record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(readCheckpoint(join(cut, "checkpoint.json")).parameters.mu).toEqual(readCheckpoint(join(full, "checkpoint.json")).parameters.mu);
  });

  it("will not resume a finished run or a run of another spec", async () => {
    const runDir = tmp();
    await train({ spec, backend: fakeBackend(), costs, dataset, runDir });
    await expect(train({ spec, backend: fakeBackend(), costs, dataset, runDir, resume: true })).rejects.toThrow(/holds a finished run/);
    const other = tmp();
    const c = new AbortController();
    await expect(train({ spec, backend: fakeBackend(), costs, dataset, runDir: other, signal: c.signal, onEvent: (e) => e.kind === "epoch" && c.abort() })).rejects.toThrow();
    const changed = defineExperiment({ ...spec, training: { ...spec.training, epochs: 4 } });
    await expect(train({ spec: changed, backend: fakeBackend(), costs, dataset, runDir: other, resume: true })).rejects.toThrow(/different experiment spec/);
  });

  it("rejects a batch larger than the data and a network that does not fit the data", async () => {
    const big = defineExperiment({ ...spec, training: { ...spec.training, batchSize: 11 } });
    await expect(train({ spec: big, backend: fakeBackend(), costs, dataset })).rejects.toThrow(/batch size 11 is larger than the 10 training examples/);
    const wide = defineExperiment({ ...spec, network: { ...spec.network, layers: [5, 2] } });
    await expect(train({ spec: wide, backend: fakeBackend(), costs, dataset })).rejects.toThrow(/takes 5 inputs but tiny images have 3 pixels/);
    expect(existsSync("run")).toBe(false);
    void writeFileSync;
  });
});
