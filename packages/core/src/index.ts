/**
 * @packageDocumentation
 * `@vesicle/core`: the model of energy-efficient stochastic synapses (Malkin et al., eLife 2024)
 * and the interfaces every other package implements. No compute library is imported here.
 */
export { VesicleError, check } from "./errors.js";
export { Rng, mixSeed } from "./random.js";
export {
  PAPER_DEFAULTS,
  defineExperiment,
  validateExperiment,
  deepFreeze,
  type Activation,
  type NoiseMode,
  type LikelihoodSpec,
  type NetworkSpec,
  type OptimiserSpec,
  type CostSpec,
  type ObjectiveSpec,
  type TrainingSpec,
  type DataSpec,
  type ExperimentSpec,
  type ExperimentInput,
} from "./spec.js";
export { parameterLayout, type LayerSlots, type ParameterLayout } from "./layout.js";
export {
  softplus,
  inverseSoftplus,
  sigmoid,
  initialParameters,
  sigmas,
  checkParameters,
  cloneParameters,
  type NetworkParameters,
} from "./parameters.js";
export { zeroAdamState, type AdamState } from "./optimiser.js";
export {
  CostRegistry,
  resolveObjective,
  type CostTarget,
  type ClosedForm,
  type CostTerm,
  type CostPlugin,
  type ResolvedObjective,
} from "./costs.js";
export { costScale, sumCost, reliabilityExponents } from "./objective.js";
export {
  BackendRegistry,
  hasCurvature,
  type Batch,
  type StepResult,
  type GradientResult,
  type WeightChoice,
  type SessionOptions,
  type TrainingSession,
  type CurvatureCapable,
  type Availability,
  type TrainingBackend,
  type TrainedModel,
  type InferenceBackend,
  type InferenceSession,
} from "./backend.js";
export { parseIdx, type IdxArray } from "./data/idx.js";
export {
  IDX_FILES,
  loadIdxDirectory,
  toSplit,
  assembleDataset,
  head,
  makeBatch,
  normalisedInputs,
  type Split,
  type Dataset,
  type LoadOptions,
} from "./data/dataset.js";
export { writeFileAtomic, writeJsonAtomic, readJson, createFreshDirectory } from "./files.js";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  encodeFloats,
  decodeFloats,
  serialiseCheckpoint,
  deserialiseCheckpoint,
  writeCheckpoint,
  readCheckpoint,
  type Checkpoint,
} from "./checkpoint.js";
export { accuracy, accumulateSoftmax, parameterMetrics, evaluate, type EvalMetrics, type EpochMetrics, type TestSet } from "./metrics.js";
export {
  RUN_FORMAT,
  RUN_VERSION,
  RUN_FILE,
  CHECKPOINT_FILE,
  LOCK_FILE,
  train,
  readRecord,
  type RunStatus,
  type RunRecord,
  type TrainEvent,
  type TrainOptions,
} from "./train.js";
export type { TrainJob, JobOutcome, JobHooks, JobRunner } from "./jobs.js";
export { createInProcessRunner, type InProcessRunnerOptions } from "./in-process-runner.js";
export { acquireLock } from "./lock.js";
export * from "./sweep/index.js";
