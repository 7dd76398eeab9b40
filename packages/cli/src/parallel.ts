/**
 * The worker-thread runner, set up with the built-in cost plugins so each worker builds the same
 * cost registry as this process.
 */
import { createWorkerRunner } from "@vesicle/backends";
import type { Dataset, JobRunner } from "@vesicle/core";

export interface ParallelRunnerOptions {
  readonly workers: number;
  readonly dataset: Dataset;
  readonly signal?: AbortSignal;
}

export function createParallelRunner(options: ParallelRunnerOptions): JobRunner {
  return createWorkerRunner({ ...options, plugins: [import.meta.resolve("@vesicle/costs")] });
}
