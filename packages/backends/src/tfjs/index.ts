/**
 * tfjs training backends: one implementation, four engines selected by name.
 */
import type { TrainingBackend } from "@vesicle/core";
import { ENGINES, probeEngine, type TfjsEngineName } from "./engines.js";
import { createTfjsSession } from "./session.js";

export type { TfjsEngineName } from "./engines.js";

/** The tfjs training backend running on `engine`. */
export function tfjsBackend(engine: TfjsEngineName): TrainingBackend {
  return {
    name: engine,
    summary: ENGINES[engine].summary,
    probe: () => probeEngine(engine),
    createSession: (options) => createTfjsSession(engine, options),
  };
}

export const TFJS_ENGINES: readonly TfjsEngineName[] = ["tfjs-node", "tfjs-node-gpu", "tfjs-wasm", "tfjs-cpu"];
