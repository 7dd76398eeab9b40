/**
 * The simplest {@link JobRunner}: trains jobs one after another in this thread. Used for one
 * worker, for tests, and as the reference the worker-thread runner must behave like.
 */
import type { BackendRegistry, TrainingBackend } from "./backend.js";
import type { CostRegistry } from "./costs.js";
import type { Dataset } from "./data/dataset.js";
import { VesicleError } from "./errors.js";
import type { JobRunner } from "./jobs.js";
import { train } from "./train.js";

export interface InProcessRunnerOptions {
  readonly backends: BackendRegistry<TrainingBackend>;
  readonly costs: CostRegistry;
  readonly dataset: Dataset;
  readonly signal?: AbortSignal;
}

export function createInProcessRunner(options: InProcessRunnerOptions): JobRunner {
  return async (jobs, hooks) => {
    for (const job of jobs) {
      if (options.signal?.aborted) return;
      try {
        const backend = await options.backends.require(job.spec.backend);
        const record = await train({
          spec: job.spec,
          backend,
          costs: options.costs,
          dataset: options.dataset,
          runDir: job.runDir,
          resume: job.resume,
          signal: options.signal,
          onEvent: (e) => hooks.onEvent?.(job.id, e),
        });
        hooks.onFinished?.(job.id, { ok: true, record });
      } catch (e) {
        const code = e instanceof VesicleError ? e.code : "crash";
        hooks.onFinished?.(job.id, { ok: false, error: (e as Error).message, code });
        if (code === "interrupted") return;
      }
    }
  };
}
