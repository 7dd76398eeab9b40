/** Running many training jobs at once on worker threads. */
export { createWorkerRunner, type WorkerRunnerOptions } from "./pool.js";
