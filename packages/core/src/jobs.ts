/**
 * Training jobs as values, and the shape of anything that runs them (in this process, on
 * worker threads, later on other machines through a queue). The sweep code only sees a
 * {@link JobRunner}; where the work happens is the runner's business.
 */
import type { ExperimentSpec } from "./spec.js";
import type { RunRecord, TrainEvent } from "./train.js";

export interface TrainJob {
  /** Unique within one batch of jobs, e.g. a sweep member id. */
  readonly id: string;
  readonly spec: ExperimentSpec;
  /** The job's run dir (see `train.ts`); created if missing. */
  readonly runDir: string;
  /** Continue an unfinished run found in `runDir` rather than requiring an empty dir. */
  readonly resume: boolean;
}

export type JobOutcome =
  | { readonly ok: true; readonly record: RunRecord }
  | { readonly ok: false; readonly error: string; readonly code: string };

export interface JobHooks {
  onEvent?(jobId: string, event: TrainEvent): void;
  onFinished?(jobId: string, outcome: JobOutcome): void;
}

/** Runs every job (in any order, possibly concurrently) and resolves when all have finished. */
export type JobRunner = (jobs: readonly TrainJob[], hooks: JobHooks) => Promise<void>;
