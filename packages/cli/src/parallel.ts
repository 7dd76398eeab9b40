/**
 * The worker-thread runner, set up with the built-in cost plugins so each worker builds the same
 * cost registry as this process.
 */
import type { Dataset, JobRunner } from "@vesicle/core";

export interface ParallelRunnerOptions {
  readonly workers: number;
  readonly dataset: Dataset;
  readonly signal?: AbortSignal;
}

export function createParallelRunner(options: ParallelRunnerOptions): JobRunner {
  void options;
  throw new Error("worker runner not wired yet");
}
