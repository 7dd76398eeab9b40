/**
 * The backend-agnostic training loop: epochs of seeded minibatches, a divergence guard, atomic
 * checkpoints at every epoch end, progress events, and a run record (run.json).
 *
 * Run dir layout: `run.json` (spec, status, per-epoch and final metrics) and `checkpoint.json`.
 * A run dir holding a finished run is never written again; an unfinished one can be resumed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrainingBackend } from "./backend.js";
import { resolveObjective, type CostRegistry, type ResolvedObjective } from "./costs.js";
import { head, makeBatch, normalisedInputs, type Dataset, type Split } from "./data/dataset.js";
import { acquireLock } from "./lock.js";
import { VesicleError, check } from "./errors.js";
import { createFreshDirectory, readJson, writeJsonAtomic } from "./files.js";
import { readCheckpoint, writeCheckpoint, type Checkpoint } from "./checkpoint.js";
import { evaluate, accuracy, parameterMetrics, type EpochMetrics, type EvalMetrics } from "./metrics.js";
import { Rng, mixSeed } from "./random.js";
import type { ExperimentSpec } from "./spec.js";

export const RUN_FORMAT = "vesicle-run";
export const RUN_VERSION = 1;
export const RUN_FILE = "run.json";
export const CHECKPOINT_FILE = "checkpoint.json";
/** Present while a process trains in the run dir. */
export const LOCK_FILE = "run.lock";

export type RunStatus = "running" | "complete" | "diverged";

export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly version: number;
  readonly status: RunStatus;
  readonly spec: ExperimentSpec;
  readonly dataset: { readonly name: string; readonly trainCount: number; readonly testCount: number };
  readonly epochs: readonly EpochMetrics[];
  readonly final?: EvalMetrics;
  /** Seconds spent in training steps (evaluation and I/O excluded). */
  readonly trainingSeconds: number;
  readonly error?: string;
}

export type TrainEvent =
  | { readonly kind: "start"; readonly startEpoch: number; readonly epochs: number; readonly stepsPerEpoch: number }
  | { readonly kind: "progress"; readonly epoch: number; readonly step: number; readonly stepsPerEpoch: number; readonly lossPerExample: number }
  | { readonly kind: "epoch"; readonly metrics: EpochMetrics }
  | { readonly kind: "evaluating" }
  | { readonly kind: "done"; readonly record: RunRecord };

export interface TrainOptions {
  readonly spec: ExperimentSpec;
  readonly backend: TrainingBackend;
  readonly costs: CostRegistry;
  readonly dataset: Dataset;
  /** Where run.json and checkpoint.json go; omitted: nothing is written. */
  readonly runDir?: string;
  /** Continue the unfinished run in `runDir` from its checkpoint instead of starting a new one. */
  readonly resume?: boolean;
  readonly onEvent?: (event: TrainEvent) => void;
  /** Stops between steps; the last epoch-end checkpoint stays. */
  readonly signal?: AbortSignal;
}

/** Trains one network as the spec says and returns its record. */
export async function train(options: TrainOptions): Promise<RunRecord> {
  const { spec, dataset, runDir } = options;
  const objective = resolveObjective(spec.objective, options.costs);
  const trainSplit = spec.training.trainSubset ? head(dataset.train, spec.training.trainSubset) : dataset.train;
  const B = spec.training.batchSize;
  check(trainSplit.count >= B, `batch size ${B} is larger than the ${trainSplit.count} training examples`);
  check(spec.network.layers[0] === dataset.inputSize, `the network takes ${spec.network.layers[0]} inputs but ${dataset.name} images have ${dataset.inputSize} pixels`);
  check(spec.network.layers[spec.network.layers.length - 1] === dataset.classes, `the network has ${spec.network.layers.at(-1)} outputs but ${dataset.name} has ${dataset.classes} classes`);

  if (runDir && !(options.resume && existsSync(join(runDir, RUN_FILE)))) createFreshDirectory(runDir);
  const release = runDir ? acquireLock(join(runDir, LOCK_FILE), `the run in ${runDir}`) : () => {};
  try {
    return await trainLocked(options, objective, trainSplit);
  } finally {
    release();
  }
}

async function trainLocked(options: TrainOptions, objective: ResolvedObjective, trainSplit: Split): Promise<RunRecord> {
  const { spec, dataset, runDir } = options;
  const B = spec.training.batchSize;
  const resumed = options.resume ? resumePoint(spec, runDir) : undefined;

  const session = await options.backend.createSession({
    network: spec.network,
    optimiser: spec.optimiser,
    objective,
    datasetSize: trainSplit.count,
    seed: spec.training.seed,
  });
  try {
    if (resumed) {
      session.setParameters(resumed.parameters);
      session.setOptimiserState(resumed.optimiser);
    }
    const history: EpochMetrics[] = resumed ? [...resumed.metrics] : [];
    const base = {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      spec,
      dataset: { name: dataset.name, trainCount: trainSplit.count, testCount: dataset.test.count },
    } as const;
    let trainingSeconds = resumed ? (readRecord(runDir!)?.trainingSeconds ?? 0) : 0;
    const save = (status: RunStatus, extra: Partial<RunRecord> = {}): RunRecord => {
      const record: RunRecord = { ...base, status, epochs: [...history], trainingSeconds, ...extra };
      if (runDir) writeJsonAtomic(join(runDir, RUN_FILE), record);
      return record;
    };
    const checkpoint = (epoch: number) => {
      if (runDir) writeCheckpoint(join(runDir, CHECKPOINT_FILE), { spec, epoch, parameters: session.getParameters(), optimiser: session.getOptimiserState(), metrics: history });
    };
    const startEpoch = resumed?.epoch ?? 0;
    if (!resumed) checkpoint(0);
    save("running");

    const stepsPerEpoch = Math.floor(trainSplit.count / B);
    const testSet = { inputs: normalisedInputs(dataset, dataset.test), labels: dataset.test.labels, count: dataset.test.count };
    options.onEvent?.({ kind: "start", startEpoch, epochs: spec.training.epochs, stepsPerEpoch });
    const reportEvery = Math.max(1, Math.floor(stepsPerEpoch / 200));

    for (let epoch = startEpoch; epoch < spec.training.epochs; epoch++) {
      session.reseedNoise(mixSeed(spec.training.seed, 0x10000 + epoch));
      const order = new Rng(mixSeed(spec.training.seed, 0x20000 + epoch)).permutation(trainSplit.count);
      let lossSum = 0;
      let nllSum = 0;
      const t0 = performance.now();
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (options.signal?.aborted) throw new VesicleError("training was interrupted; the last epoch's checkpoint is kept", "interrupted");
        const batch = makeBatch(dataset, trainSplit, order.subarray(s * B, (s + 1) * B));
        const { loss, nll } = await session.step(batch);
        if (!Number.isFinite(loss)) {
          trainingSeconds += (performance.now() - t0) / 1000;
          const message = `training diverged: the loss became ${loss} at epoch ${epoch + 1}, step ${s + 1}; the checkpoint of epoch ${epoch} is kept. Try a smaller learning rate or c.`;
          save("diverged", { error: message });
          throw new VesicleError(message, "diverged");
        }
        lossSum += loss;
        nllSum += nll;
        if ((s + 1) % reportEvery === 0) {
          options.onEvent?.({ kind: "progress", epoch: epoch + 1, step: s + 1, stepsPerEpoch, lossPerExample: lossSum / ((s + 1) * B) });
          // Backends compute synchronously; let signal handlers and timers run now and then.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      trainingSeconds += seconds;
      const logits = await session.forward(testSet.inputs, testSet.count, "mean");
      const { sigmaMean } = parameterMetrics(session, objective);
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        trainLossPerExample: lossSum / (stepsPerEpoch * B),
        trainNllPerExample: nllSum / (stepsPerEpoch * B),
        accuracyMean: accuracy(logits, testSet.labels, dataset.classes),
        sigmaMean,
        seconds,
      };
      history.push(metrics);
      checkpoint(epoch + 1);
      save("running");
      options.onEvent?.({ kind: "epoch", metrics });
    }
    options.onEvent?.({ kind: "evaluating" });
    const final = await evaluate(session, testSet, dataset.classes, objective, spec.training.evalSamples);
    const record = save("complete", { final });
    options.onEvent?.({ kind: "done", record });
    return record;
  } finally {
    session.dispose();
  }
}

/** Reads run.json if present (undefined when the run dir has none yet). */
export function readRecord(runDir: string): RunRecord | undefined {
  const path = join(runDir, RUN_FILE);
  if (!existsSync(path)) return undefined;
  const r = readJson(path, "run record") as RunRecord;
  if (r?.format !== RUN_FORMAT) throw new VesicleError(`${path} is not a vesicle run record`, "bad-run");
  if (r.version !== RUN_VERSION) throw new VesicleError(`${path} was written by an incompatible vesicle (run format ${r.version}, this one reads ${RUN_VERSION})`, "bad-run");
  return r;
}

function resumePoint(spec: ExperimentSpec, runDir: string | undefined): Checkpoint | undefined {
  check(runDir !== undefined, "resuming needs a run dir");
  const record = readRecord(runDir);
  if (!record) return undefined; // nothing started there yet: a fresh run
  if (record.status === "complete") throw new VesicleError(`${runDir} holds a finished run; nothing to resume`, "run-complete");
  const path = join(runDir, CHECKPOINT_FILE);
  if (!existsSync(path)) return undefined;
  const c = readCheckpoint(path);
  if (JSON.stringify(c.spec) !== JSON.stringify(spec))
    throw new VesicleError(`${path} was written for a different experiment spec; refusing to resume it with this one`, "spec-mismatch");
  return c;
}

