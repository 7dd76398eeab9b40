/** The worker pool: two jobs on two workers over one shared dataset, and a failing job's report. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Rng, assembleDataset, defineExperiment, type JobOutcome, type TrainEvent } from "@vesicle/core";
import { createWorkerRunner } from "./index.js";

// A cost plugin as a module URL, like the one @vesicle/costs provides.
const plugin = `data:text/javascript,${encodeURIComponent(`
export function registerCosts(registry) {
  registry.register({ name: "test-power", target: "sigma", summary: "c/sigma^0.5", params: { c: { description: "c", default: 0.01 } },
    create: ({ c }) => ({ name: "test-power", target: "sigma", closedForm: { kind: "power", rho: 0.5, c },
      value: (x) => c * Math.pow(x, -0.5), derivative: (x) => -0.5 * c * Math.pow(x, -1.5) }) });
  registry.register({ name: "test-l1", target: "mu", summary: "lambda|mu|", params: { lambda: { description: "lambda", default: 1e-4 } },
    create: ({ lambda }) => ({ name: "test-l1", target: "mu", closedForm: { kind: "l1", lambda },
      value: (x) => lambda * Math.abs(x), derivative: (x) => lambda * Math.sign(x) }) });
}`)}`;

function tinyDataset(shared: boolean) {
  const rng = new Rng(1);
  const split = (count: number) => {
    const make = (n: number) => (shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
    const pixels = make(count * 16);
    const labels = make(count);
    for (let i = 0; i < count; i++) {
      labels[i] = rng.int(3);
      for (let p = 0; p < 16; p++) pixels[i * 16 + p] = p % 3 === labels[i] ? 200 + rng.int(55) : rng.uniform() < 0.7 ? 0 : rng.int(100);
    }
    return { count, pixels, labels };
  };
  return assembleDataset("tiny", split(200), split(50));
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function spec(cost = "test-power") {
  return defineExperiment({
    network: { layers: [16, 8, 3] },
    objective: { reliability: [{ name: cost, params: {} }], magnitude: [{ name: "test-l1", params: {} }] },
    training: { epochs: 2, batchSize: 10, seed: 1, evalSamples: 2 },
    backend: "fused",
  });
}

describe("createWorkerRunner", () => {
  it("trains two jobs on two workers over one shared dataset and reports their outcomes", async () => {
    const dataset = tinyDataset(true);
    const root = mkdtempSync(join(tmpdir(), "vesicle-pool-"));
    dirs.push(root);
    const run = createWorkerRunner({ workers: 2, dataset, plugins: [plugin] });
    const outcomes = new Map<string, JobOutcome>();
    const events: TrainEvent[] = [];
    await run(
      [
        { id: "a", spec: spec(), runDir: join(root, "a"), resume: false },
        { id: "b", spec: { ...spec(), training: { ...spec().training, seed: 2 } }, runDir: join(root, "b"), resume: false },
      ],
      { onEvent: (_id, e) => events.push(e), onFinished: (id, o) => outcomes.set(id, o) },
    );
    expect([...outcomes.keys()].sort()).toEqual(["a", "b"]);
    for (const o of outcomes.values()) {
      if (!o.ok) expect.fail(o.error);
      expect(o.record.status).toBe("complete");
      expect(o.record.epochs).toHaveLength(2);
    }
    expect(events.some((e) => e.kind === "done")).toBe(true);
  });

  it("reports a failing job's error and code, and still finishes the others", async () => {
    const root = mkdtempSync(join(tmpdir(), "vesicle-pool-"));
    dirs.push(root);
    const run = createWorkerRunner({ workers: 2, dataset: tinyDataset(false), plugins: [plugin] });
    const outcomes = new Map<string, JobOutcome>();
    await run(
      [
        { id: "bad", spec: spec("no-such-cost"), runDir: join(root, "bad"), resume: false },
        { id: "good", spec: spec(), runDir: join(root, "good"), resume: false },
      ],
      { onFinished: (id, o) => outcomes.set(id, o) },
    );
    const bad = outcomes.get("bad")!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.code).toBe("unknown-cost");
      expect(bad.error).toContain("no-such-cost");
    }
    expect(outcomes.get("good")?.ok).toBe(true);
  });
});
