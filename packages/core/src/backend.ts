/**
 * What a compute backend must provide. `core` defines these shapes and never imports a compute
 * library; `@vesicle/backends` implements them (tfjs, fused WebAssembly) and registers them by name.
 */
import { VesicleError, check } from "./errors.js";
import type { ResolvedObjective } from "./costs.js";
import type { ParameterLayout } from "./layout.js";
import type { AdamState } from "./optimiser.js";
import type { NetworkParameters } from "./parameters.js";
import type { NetworkSpec, OptimiserSpec } from "./spec.js";

/** One minibatch. Inputs are already normalised; `pixels` lets a backend skip zero inputs. */
export interface Batch {
  readonly size: number;
  /** `size × inputs`, row-major. */
  readonly inputs: Float32Array;
  /** Class indices, for the categorical likelihood. */
  readonly labels?: Int32Array;
  /** `size × outputs` regression targets, for the Gaussian likelihood. */
  readonly targets?: Float32Array;
  /** Raw pixels with `inputs = pixels * affine.scale + affine.shift`, when the data are images. */
  readonly pixels?: Uint8Array;
  readonly affine?: { readonly scale: number; readonly shift: number };
}

export interface StepResult {
  /** The minibatch objective (see `objective.ts`) before the update. */
  readonly loss: number;
  /** Σ_b NLL_b over the batch. */
  readonly nll: number;
}

/** Gradients of the minibatch objective at given noise, without updating anything. */
export interface GradientResult extends StepResult {
  readonly gradMu: Float32Array;
  /** d loss / d φ (length 1 in homogeneous mode). */
  readonly gradPhi: Float32Array;
}

/** Which weights a forward pass uses: the means, or one fresh sample w = μ + σξ. */
export type WeightChoice = "mean" | "sample";

export interface SessionOptions {
  readonly network: NetworkSpec;
  readonly optimiser: OptimiserSpec;
  readonly objective: ResolvedObjective;
  /** N in the B/N scaling of Eq. 2. */
  readonly datasetSize: number;
  /** Seeds initialisation and the noise stream. */
  readonly seed: number;
}

/** A network being trained on one backend. Not thread-safe; dispose when done. */
export interface TrainingSession {
  readonly layout: ParameterLayout;
  /** Samples weights once for the whole minibatch (reparameterisation), takes one Adam step. */
  step(batch: Batch): Promise<StepResult>;
  /** Loss and gradients with explicit noise ξ (one per synapse): for parity and gradient checks. */
  gradients(batch: Batch, noise: Float32Array): Promise<GradientResult>;
  /** Network outputs (logits or regression means), `count × outputs`. */
  forward(inputs: Float32Array, count: number, weights: WeightChoice): Promise<Float32Array>;
  getParameters(): NetworkParameters;
  setParameters(params: NetworkParameters): void;
  getOptimiserState(): AdamState;
  setOptimiserState(state: AdamState): void;
  /** Restarts the weight-noise stream; the train loop reseeds per epoch so a resumed run continues the same way. */
  reseedNoise(seed: number): void;
  dispose(): void;
}

/**
 * Optional capabilities a training backend may add for the importance analyses to come
 * (per-example gradients and the exact diagonal Gauss-Newton matrix at w = μ).
 * Check with {@link hasCurvature} before use.
 */
export interface CurvatureCapable {
  perExampleGradients(batch: Batch): Promise<Float32Array[]>;
  diagonalGGN(batch: Batch): Promise<Float32Array>;
}

export function hasCurvature(s: TrainingSession): s is TrainingSession & CurvatureCapable {
  return typeof (s as Partial<CurvatureCapable>).diagonalGGN === "function";
}

export type Availability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface TrainingBackend {
  readonly name: string;
  readonly summary: string;
  /** Whether this machine can run it; `reason` says how to fix it when not. */
  probe(): Promise<Availability>;
  createSession(options: SessionOptions): Promise<TrainingSession>;
}

/** A trained model as an inference backend sees it: layer widths, μ and σ. */
export interface TrainedModel {
  readonly network: NetworkSpec;
  readonly parameters: NetworkParameters;
}

/** Runs trained models (e.g. ONNX Runtime); no training. */
export interface InferenceBackend {
  readonly name: string;
  readonly summary: string;
  probe(): Promise<Availability>;
  load(model: TrainedModel): Promise<InferenceSession>;
}

export interface InferenceSession {
  predict(inputs: Float32Array, count: number, weights: WeightChoice): Promise<Float32Array>;
  dispose(): void;
}

/** Backends keyed by name, in registration order (the first registered is not the default; the spec names one). */
export class BackendRegistry<B extends { readonly name: string; readonly summary: string; probe(): Promise<Availability> } = TrainingBackend> {
  private readonly backends = new Map<string, B>();

  register(backend: B): this {
    check(!this.backends.has(backend.name), `a backend named "${backend.name}" is already registered`, "duplicate-backend");
    this.backends.set(backend.name, backend);
    return this;
  }

  get(name: string): B {
    const b = this.backends.get(name);
    if (!b) throw new VesicleError(`unknown backend "${name}"; known: ${this.names().join(", ")}`, "unknown-backend");
    return b;
  }

  /** The backend, after checking it can run here; throws its one-line reason otherwise. */
  async require(name: string): Promise<B> {
    const b = this.get(name);
    const a = await b.probe();
    if (!a.ok) throw new VesicleError(`backend "${name}" is not available: ${a.reason}`, "backend-unavailable");
    return b;
  }

  names(): string[] {
    return [...this.backends.keys()];
  }

  list(): B[] {
    return [...this.backends.values()];
  }
}
