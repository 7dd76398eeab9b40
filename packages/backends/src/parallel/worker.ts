/**
 * A pool worker: builds its cost registry from the plugin modules and its backend registry, then
 * trains each job it is sent with core's `train`, posting events (progress throttled) and one
 * outcome per job. Runs as a worker_threads entry point.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BackendRegistry, CostRegistry, VesicleError, train, type TrainEvent, type TrainingBackend } from "@vesicle/core";
import { fusedBackend } from "../fused/index.js";
import type { FromWorker, ToWorker, WorkerInit } from "./messages.js";

/** Progress events closer together than this are dropped (epoch/start/done events always go). */
const PROGRESS_INTERVAL_MS = 250;

async function backendRegistry(): Promise<BackendRegistry<TrainingBackend>> {
  // The package index provides every backend; fall back to fused alone if it does not (yet).
  const index = (await import("../index.js")) as { defaultTrainingBackends?: () => BackendRegistry<TrainingBackend> };
  const registry = typeof index.defaultTrainingBackends === "function" ? index.defaultTrainingBackends() : new BackendRegistry<TrainingBackend>();
  if (!registry.names().includes(fusedBackend.name)) registry.register(fusedBackend);
  return registry;
}

async function costRegistry(plugins: readonly string[]): Promise<CostRegistry> {
  const registry = new CostRegistry();
  for (const url of plugins) {
    const mod = (await import(url)) as { registerCosts?: (r: CostRegistry) => void };
    if (typeof mod.registerCosts !== "function") throw new VesicleError(`cost plugin ${url} does not export registerCosts(registry)`, "bad-plugin");
    mod.registerCosts(registry);
  }
  return registry;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  const post = (m: FromWorker) => port.postMessage(m);
  // A plugin that fails to load fails every job sent here, with its message.
  const setup = Promise.all([backendRegistry(), costRegistry(init.plugins)]);
  setup.catch(() => undefined);
  port.on("message", async (msg: ToWorker) => {
    const { job } = msg;
    let lastProgress = 0;
    const onEvent = (event: TrainEvent) => {
      if (event.kind === "progress") {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
      }
      post({ kind: "event", jobId: job.id, event });
    };
    try {
      const [backends, costs] = await setup;
      const backend = await backends.require(job.spec.backend);
      const record = await train({ spec: job.spec, backend, costs, dataset: init.dataset, runDir: job.runDir, resume: job.resume, onEvent });
      post({ kind: "outcome", jobId: job.id, outcome: { ok: true, record } });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const code = e instanceof VesicleError ? e.code : "error";
      post({ kind: "outcome", jobId: job.id, outcome: { ok: false, error, code } });
    }
  });
  post({ kind: "ready" });
}

void main();
