/**
 * Trains independent networks concurrently on worker_threads, one per core by default. Every
 * worker reads the same dataset: its pixels live in SharedArrayBuffers handed over through
 * workerData, which shares them rather than copying.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { VesicleError, check, type Dataset, type JobHooks, type JobOutcome, type JobRunner, type Split, type TrainJob } from "@vesicle/core";
import type { FromWorker, WorkerInit } from "./messages.js";

export interface WorkerRunnerOptions {
  /** Number of worker threads (default: one per core, `os.availableParallelism()`). */
  readonly workers?: number;
  /** The dataset every job trains on; copied once into shared memory if it is not already there. */
  readonly dataset: Dataset;
  /** Cost plugin module URLs, each exporting `registerCosts(registry)` (e.g. the URL of `@vesicle/costs`). */
  readonly plugins: readonly string[];
  /**
   * Stops everything: running workers are terminated (their jobs keep their last epoch checkpoint,
   * written atomically) and queued jobs are not started; neither gets an outcome.
   */
  readonly signal?: AbortSignal;
}

/** The worker script: compiled beside this module, or in dist/ when running from src/ (tests). */
function workerUrl(): URL {
  for (const rel of ["./worker.js", "../../dist/parallel/worker.js"]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new VesicleError("the worker script (dist/parallel/worker.js) is not built; run `npm run build` in packages/backends", "backend-unavailable");
}

function sharedSplit(s: Split): Split {
  const share = (a: Uint8Array) => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const out = new Uint8Array(new SharedArrayBuffer(a.length));
    out.set(a);
    return out;
  };
  return { count: s.count, pixels: share(s.pixels), labels: share(s.labels) };
}

/** A {@link JobRunner} over a pool of worker threads, started per call and shut down when all jobs finish. */
export function createWorkerRunner(options: WorkerRunnerOptions): JobRunner {
  const workers = options.workers ?? availableParallelism();
  check(Number.isInteger(workers) && workers >= 1, `workers must be a positive integer, got ${workers}`);
  const dataset: Dataset = { ...options.dataset, train: sharedSplit(options.dataset.train), test: sharedSplit(options.dataset.test) };
  const init: WorkerInit = { dataset, plugins: [...options.plugins] };
  const url = workerUrl();

  return (jobs: readonly TrainJob[], hooks: JobHooks) =>
    new Promise<void>((resolve) => {
      const queue = [...jobs];
      let unfinished = jobs.length;
      if (unfinished === 0) return resolve();
      const live = new Set<Worker>();
      const stop = () => {
        queue.length = 0;
        for (const w of live) void w.terminate();
        live.clear();
        resolve();
      };
      if (options.signal?.aborted) return resolve();
      options.signal?.addEventListener("abort", stop, { once: true });

      const finish = (jobId: string, outcome: JobOutcome) => {
        try {
          hooks.onFinished?.(jobId, outcome);
        } finally {
          if (--unfinished === 0) {
            options.signal?.removeEventListener("abort", stop);
            for (const w of live) void w.terminate();
            resolve();
          }
        }
      };

      const spawn = () => {
        const worker = new Worker(url, { workerData: init });
        live.add(worker);
        let current: TrainJob | undefined;
        const next = () => {
          current = queue.shift();
          if (current) worker.postMessage({ kind: "job", job: current });
          else {
            live.delete(worker);
            void worker.terminate();
          }
        };
        worker.on("message", (m: FromWorker) => {
          if (m.kind === "ready") next();
          else if (m.kind === "event") hooks.onEvent?.(m.jobId, m.event);
          else {
            current = undefined;
            finish(m.jobId, m.outcome);
            if (unfinished > 0) next();
          }
        });
        // A crash fails the job it was running (never hangs) and a fresh worker takes the rest.
        const crashed = (why: string) => {
          if (!live.has(worker)) return;
          live.delete(worker);
          const job = current;
          current = undefined;
          if (job) finish(job.id, { ok: false, error: `worker crashed while training job ${job.id}: ${why}`, code: "worker-crashed" });
          if (queue.length > 0) spawn();
        };
        worker.on("error", (e) => crashed(e.message));
        worker.on("exit", (code) => crashed(`exited with code ${code}`));
      };

      for (let i = 0; i < Math.min(workers, jobs.length); i++) spawn();
    });
}
