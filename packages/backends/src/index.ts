/**
 * @packageDocumentation
 * `@vesicle/backends`: compute backends implementing `@vesicle/core`'s training interface, and a
 * worker-thread job runner for training many networks at once.
 */
import { BackendRegistry, type TrainingBackend } from "@vesicle/core";
import { fusedBackend } from "./fused/index.js";
import { TFJS_ENGINES, tfjsBackend } from "./tfjs/index.js";

export { fusedBackend, FusedSession } from "./fused/index.js";
export { tfjsBackend, TFJS_ENGINES, type TfjsEngineName } from "./tfjs/index.js";
export { createWorkerRunner, type WorkerRunnerOptions } from "./parallel/index.js";

/** A registry of every built-in training backend: `fused` first, then the tfjs engines. */
export function defaultTrainingBackends(): BackendRegistry<TrainingBackend> {
  const registry = new BackendRegistry<TrainingBackend>().register(fusedBackend);
  for (const engine of TFJS_ENGINES) registry.register(tfjsBackend(engine));
  return registry;
}
