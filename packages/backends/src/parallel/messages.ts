/** What the pool and its workers say to each other (structured-clone messages). */
import type { Dataset, JobOutcome, TrainEvent, TrainJob } from "@vesicle/core";

/** Given to each worker at start: the dataset's pixels are SharedArrayBuffer views, so not copied. */
export interface WorkerInit {
  readonly dataset: Dataset;
  /** Module URLs, each exporting `registerCosts(registry)`. */
  readonly plugins: readonly string[];
}

export type ToWorker = { readonly kind: "job"; readonly job: TrainJob };

export type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "event"; readonly jobId: string; readonly event: TrainEvent }
  | { readonly kind: "outcome"; readonly jobId: string; readonly outcome: JobOutcome };
