/**
 * The experiment spec: a plain, serialisable value that says everything about a run.
 * It is validated once by {@link defineExperiment}, then frozen: nothing mutates it while training.
 */
import { check } from "./errors.js";

/** Hidden-layer nonlinearity; the output layer is always linear (logits or regression means). */
export type Activation = "relu" | "identity";

/** How synaptic noise is parameterised (paper, Figs. 2-3). */
export type NoiseMode = "heterogeneous" | "homogeneous";

/** The performance cost: categorical cross-entropy, or a Gaussian likelihood with fixed noise. */
export type LikelihoodSpec = { kind: "categorical" } | { kind: "gaussian"; noiseStd: number };

export interface NetworkSpec {
  /** Layer widths from input to output, e.g. `[784, 100, 100, 10]`. */
  readonly layers: readonly number[];
  /** Activation of every hidden layer. */
  readonly activation: Activation;
  readonly likelihood: LikelihoodSpec;
  /** `heterogeneous`: one σ per synapse; `homogeneous`: one σ shared by every synapse, optimised. */
  readonly noise: NoiseMode;
  /** μ ~ U(-muInitRange, muInitRange) (Methods: 0.1). */
  readonly muInitRange: number;
  /** Every σ starts here (Methods: 1e-4). */
  readonly sigmaInit: number;
}

/** Adam (Kingma and Ba, 2014), the optimiser of the paper's Eq. 7. */
export interface OptimiserSpec {
  readonly kind: "adam";
  /** η_base (Methods: 5e-4). */
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** A cost term named in a registry, with its numeric parameters, e.g. `{ name: "calcium-efflux", params: { c: 0.01 } }`. */
export interface CostSpec {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** Eq. 2: performance cost + magnitude cost + reliability cost. */
export interface ObjectiveSpec {
  /** Costs on σ (Eq. 4), summed. */
  readonly reliability: readonly CostSpec[];
  /** Costs on μ (Eq. 3), summed. */
  readonly magnitude: readonly CostSpec[];
}

export interface TrainingSpec {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Use only the first `trainSubset` training examples (all when undefined). */
  readonly trainSubset?: number;
  /** Monte-Carlo samples for the predictive at evaluation (issue: 20). */
  readonly evalSamples: number;
}

/** Where the data comes from: the embedded MNIST, or a directory of IDX files. */
export type DataSpec = { readonly source: "mnist" } | { readonly source: "idx-dir"; readonly path: string };

export interface ExperimentSpec {
  readonly network: NetworkSpec;
  readonly optimiser: OptimiserSpec;
  readonly objective: ObjectiveSpec;
  readonly training: TrainingSpec;
  readonly data: DataSpec;
  /** Name of the training backend in the backend registry. */
  readonly backend: string;
}

/** Everything optional except what has no sensible default; nested parts may be partial too. */
export interface ExperimentInput {
  network?: Partial<NetworkSpec>;
  optimiser?: Partial<OptimiserSpec>;
  objective?: Partial<ObjectiveSpec>;
  training?: Partial<TrainingSpec>;
  data?: DataSpec;
  backend?: string;
}

/** The paper's Methods: 784-100-100-10 ReLU, Adam 5e-4, batch 20, 50 epochs, λ = 1e-4. */
export const PAPER_DEFAULTS: ExperimentSpec = deepFreeze({
  network: {
    layers: [784, 100, 100, 10],
    activation: "relu",
    likelihood: { kind: "categorical" },
    noise: "heterogeneous",
    muInitRange: 0.1,
    sigmaInit: 1e-4,
  },
  optimiser: { kind: "adam", learningRate: 5e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  objective: {
    reliability: [{ name: "calcium-efflux", params: { c: 0.01 } }],
    magnitude: [{ name: "l1", params: { lambda: 1e-4 } }],
  },
  training: { epochs: 50, batchSize: 20, seed: 0, evalSamples: 20 },
  data: { source: "mnist" },
  backend: "fused",
} satisfies ExperimentSpec);

/**
 * Fills defaults, validates every field once and returns a deeply frozen spec.
 * Throws a {@link VesicleError} naming the first bad field.
 */
export function defineExperiment(input: ExperimentInput = {}): ExperimentSpec {
  const d = PAPER_DEFAULTS;
  const spec: ExperimentSpec = {
    network: { ...d.network, ...input.network },
    optimiser: { ...d.optimiser, ...input.optimiser },
    objective: { ...d.objective, ...input.objective },
    training: { ...d.training, ...input.training },
    data: input.data ?? d.data,
    backend: input.backend ?? d.backend,
  };
  validateExperiment(spec);
  return deepFreeze(structuredClone(spec));
}

/** Validates a complete spec (e.g. one read back from run.json). */
export function validateExperiment(spec: ExperimentSpec): void {
  const { network: n, optimiser: o, training: t, objective } = spec;
  check(Array.isArray(n.layers) && n.layers.length >= 2, "network.layers needs at least an input and an output width");
  for (const w of n.layers) check(Number.isInteger(w) && w > 0, `network.layers: every width must be a positive integer, got ${w}`);
  check(n.activation === "relu" || n.activation === "identity", `network.activation must be "relu" or "identity", got "${n.activation}"`);
  check(n.noise === "heterogeneous" || n.noise === "homogeneous", `noise mode must be "heterogeneous" or "homogeneous", got "${n.noise}"`);
  if (n.likelihood.kind === "gaussian") positive(n.likelihood.noiseStd, "likelihood.noiseStd");
  else check(n.likelihood.kind === "categorical", `likelihood must be "categorical" or "gaussian"`);
  nonNegative(n.muInitRange, "network.muInitRange");
  positive(n.sigmaInit, "network.sigmaInit");
  check(o.kind === "adam", `optimiser must be "adam", got "${o.kind}"`);
  positive(o.learningRate, "learning rate");
  check(finite(o.beta1) && o.beta1 >= 0 && o.beta1 < 1, `optimiser.beta1 must be in [0, 1), got ${o.beta1}`);
  check(finite(o.beta2) && o.beta2 >= 0 && o.beta2 < 1, `optimiser.beta2 must be in [0, 1), got ${o.beta2}`);
  positive(o.epsilon, "optimiser.epsilon");
  check(Number.isInteger(t.epochs) && t.epochs >= 1, `epochs must be a positive integer, got ${t.epochs}`);
  check(Number.isInteger(t.batchSize) && t.batchSize >= 1, `batch size must be a positive integer, got ${t.batchSize}`);
  check(Number.isInteger(t.seed) && t.seed >= 0 && t.seed <= 0xffffffff, `seed must be an integer in [0, 2^32), got ${t.seed}`);
  check(Number.isInteger(t.evalSamples) && t.evalSamples >= 1, `evalSamples must be a positive integer, got ${t.evalSamples}`);
  if (t.trainSubset !== undefined)
    check(Number.isInteger(t.trainSubset) && t.trainSubset >= 1, `train subset must be a positive integer, got ${t.trainSubset}`);
  for (const c of [...objective.reliability, ...objective.magnitude]) {
    check(typeof c.name === "string" && c.name.length > 0, "every cost term needs a name");
    for (const [k, v] of Object.entries(c.params)) check(finite(v), `cost "${c.name}": parameter ${k} must be a finite number, got ${v}`);
  }
  check(typeof spec.backend === "string" && spec.backend.length > 0, "backend must be named");
  if (spec.data.source === "idx-dir") check(typeof spec.data.path === "string" && spec.data.path.length > 0, "data.path is empty");
  else check(spec.data.source === "mnist", `data.source must be "mnist" or "idx-dir"`);
}

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
function positive(v: number, what: string): void {
  check(finite(v) && v > 0, `${what} must be a positive finite number, got ${v}`);
}
function nonNegative(v: number, what: string): void {
  check(finite(v) && v >= 0, `${what} must be a non-negative finite number, got ${v}`);
}

/** Freezes a plain value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
