/**
 * @packageDocumentation
 * `@vesicle/backends`: compute backends implementing `@vesicle/core`'s training interface.
 */
import { BackendRegistry, type TrainingBackend } from "@vesicle/core";
import { TFJS_ENGINES, tfjsBackend } from "./tfjs/index.js";

export { tfjsBackend, TFJS_ENGINES, type TfjsEngineName } from "./tfjs/index.js";

/** A registry of every built-in training backend: the tfjs engines (and the fused engine once registered). */
export function defaultTrainingBackends(): BackendRegistry<TrainingBackend> {
  const registry = new BackendRegistry<TrainingBackend>();
  for (const engine of TFJS_ENGINES) registry.register(tfjsBackend(engine));
  return registry;
}
