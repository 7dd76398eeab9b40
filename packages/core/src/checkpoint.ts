/**
 * The checkpoint file: a versioned, explicit serialised form of everything needed to continue or
 * analyse a run. JSON, with each Float32Array as base64 of its little-endian bytes.
 *
 *     { format: "vesicle-checkpoint", version: 1, spec, epoch, parameters: { mu, phi },
 *       optimiser: { step, mMu, vMu, mPhi, vPhi }, metrics }
 */
import { VesicleError } from "./errors.js";
import { readJson, writeJsonAtomic } from "./files.js";
import type { AdamState } from "./optimiser.js";
import type { NetworkParameters } from "./parameters.js";
import { validateExperiment, type ExperimentSpec } from "./spec.js";
import type { EpochMetrics } from "./metrics.js";
import { parameterLayout } from "./layout.js";

export const CHECKPOINT_FORMAT = "vesicle-checkpoint";
export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  readonly spec: ExperimentSpec;
  /** Epochs completed when it was written (0: the initial parameters). */
  readonly epoch: number;
  readonly parameters: NetworkParameters;
  readonly optimiser: AdamState;
  readonly metrics: readonly EpochMetrics[];
}

export function encodeFloats(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

export function decodeFloats(s: unknown, what: string): Float32Array {
  if (typeof s !== "string") throw new VesicleError(`checkpoint field ${what} is missing`, "bad-checkpoint");
  const bytes = Buffer.from(s, "base64");
  if (bytes.length % 4 !== 0) throw new VesicleError(`checkpoint field ${what} is not a whole number of float32 values`, "bad-checkpoint");
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function serialiseCheckpoint(c: Checkpoint): object {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    spec: c.spec,
    epoch: c.epoch,
    parameters: { mu: encodeFloats(c.parameters.mu), phi: encodeFloats(c.parameters.phi) },
    optimiser: {
      step: c.optimiser.step,
      mMu: encodeFloats(c.optimiser.mMu),
      vMu: encodeFloats(c.optimiser.vMu),
      mPhi: encodeFloats(c.optimiser.mPhi),
      vPhi: encodeFloats(c.optimiser.vPhi),
    },
    metrics: c.metrics,
  };
}

export function deserialiseCheckpoint(raw: unknown, source = "checkpoint"): Checkpoint {
  const bad = (why: string): never => {
    throw new VesicleError(`${source}: ${why}`, "bad-checkpoint");
  };
  if (!raw || typeof raw !== "object") bad("not a JSON object");
  const o = raw as Record<string, any>;
  if (o.format !== CHECKPOINT_FORMAT) bad(`not a vesicle checkpoint (format is ${JSON.stringify(o.format)})`);
  if (o.version !== CHECKPOINT_VERSION) bad(`checkpoint version ${o.version} is not supported by this vesicle (reads version ${CHECKPOINT_VERSION})`);
  try {
    validateExperiment(o.spec);
  } catch (e) {
    bad(`its spec is invalid: ${(e as Error).message}`);
  }
  const spec = o.spec as ExperimentSpec;
  const parameters = { mu: decodeFloats(o.parameters?.mu, "parameters.mu"), phi: decodeFloats(o.parameters?.phi, "parameters.phi") };
  const layout = parameterLayout(spec.network);
  if (parameters.mu.length !== layout.synapses || parameters.phi.length !== layout.phiLength)
    bad(`parameter sizes (${parameters.mu.length}, ${parameters.phi.length}) do not match its network (${layout.synapses}, ${layout.phiLength})`);
  const op = o.optimiser ?? bad("optimiser state is missing");
  const optimiser: AdamState = {
    step: Number.isInteger(op.step) ? op.step : bad("optimiser.step is not an integer"),
    mMu: decodeFloats(op.mMu, "optimiser.mMu"),
    vMu: decodeFloats(op.vMu, "optimiser.vMu"),
    mPhi: decodeFloats(op.mPhi, "optimiser.mPhi"),
    vPhi: decodeFloats(op.vPhi, "optimiser.vPhi"),
  };
  if (optimiser.mMu.length !== layout.synapses || optimiser.mPhi.length !== layout.phiLength) bad("optimiser state sizes do not match its network");
  if (!Number.isInteger(o.epoch) || o.epoch < 0) bad("epoch is not a non-negative integer");
  return { spec, epoch: o.epoch, parameters, optimiser, metrics: Array.isArray(o.metrics) ? o.metrics : [] };
}

export function writeCheckpoint(path: string, c: Checkpoint): void {
  writeJsonAtomic(path, serialiseCheckpoint(c));
}

export function readCheckpoint(path: string): Checkpoint {
  return deserialiseCheckpoint(readJson(path, "checkpoint"), path);
}
