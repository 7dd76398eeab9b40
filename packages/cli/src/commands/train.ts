/**
 * `vesicle train`: one network, trained as the paper's Methods say unless told otherwise.
 */
import { join } from "node:path";
import {
  PAPER_DEFAULTS,
  VesicleError,
  defineExperiment,
  readRecord,
  train,
  type CostSpec,
  type ExperimentSpec,
  type RunRecord,
} from "@vesicle/core";
import { getFlag, getNumber, getString, type CommandDef, type OptionDef, type ParsedArgs } from "../options.js";
import { Progress } from "../progress.js";
import { loadDataset, dataSpecFromOption } from "../data.js";
import { backendNames, backendRegistry, costRegistry, mechanismNames } from "../registries.js";
import { formatRecord } from "../report.js";

const d = PAPER_DEFAULTS;

/** Options shared by `train` and `sweep`: everything that defines one member's experiment. */
export const EXPERIMENT_OPTIONS: readonly OptionDef[] = [
  { name: "noise", type: "string", description: "one σ per synapse, or one σ shared by all synapses", choices: () => ["heterogeneous", "homogeneous"], defaultText: d.network.noise },
  { name: "lambda", type: "number", description: "magnitude cost multiplier λ in λΣ|μ|", defaultText: "1e-4" },
  { name: "epochs", type: "integer", description: "training epochs", defaultText: String(d.training.epochs) },
  { name: "batch-size", type: "integer", description: "minibatch size B", defaultText: String(d.training.batchSize) },
  { name: "lr", type: "number", description: "Adam base learning rate η_base", defaultText: String(d.optimiser.learningRate) },
  { name: "beta2", type: "number", description: "Adam's second-moment decay β2 (its memory is about 1/(1-β2) steps)", defaultText: String(d.optimiser.beta2) },
  { name: "hidden", type: "numbers", description: "hidden layer widths", defaultText: "100,100" },
  { name: "train-subset", type: "integer", description: "train on the first N training examples only", defaultText: "all" },
  { name: "eval-samples", type: "integer", description: "weight samples in the predictive at evaluation", defaultText: String(d.training.evalSamples) },
  { name: "backend", type: "string", description: "training backend", choices: backendNames, defaultText: d.backend },
  { name: "data", type: "string", description: "directory of MNIST-style IDX files (e.g. Fashion-MNIST)", defaultText: "embedded MNIST" },
];

export const trainCommand: CommandDef = {
  name: "train",
  summary: "Train one stochastic-synapse network (784-100-100-10 ReLU on MNIST by default) and write a run dir.",
  options: [
    { name: "mechanism", type: "string", description: "reliability-cost mechanism (sets ρ)", choices: mechanismNames, defaultText: "calcium-efflux" },
    { name: "rho", type: "number", description: "use a generic power law c·σ^-ρ with this ρ instead of a mechanism" },
    { name: "c", type: "number", description: "reliability cost multiplier c in cΣσ^-ρ", defaultText: "0.01" },
    { name: "seed", type: "integer", description: "random seed (initialisation, data order, noise)", defaultText: "0" },
    ...EXPERIMENT_OPTIONS,
    { name: "out", type: "string", description: "run dir to create (must not exist or be empty)", defaultText: "runs/<mechanism>-c<c>-<noise>-s<seed>-<time>" },
    { name: "resume", type: "string", description: "continue the unfinished run in this dir (its own spec is used)" },
    { name: "quiet", type: "boolean", description: "no progress output" },
  ],
  run: runTrain,
};

/** Builds the experiment spec of a `train`-like invocation. */
export function experimentFromArgs(args: ParsedArgs, reliability: CostSpec[], seed: number): ExperimentSpec {
  const hidden = args.options.hidden as number[] | undefined;
  return defineExperiment({
    network: {
      layers: [784, ...(hidden ?? [100, 100]), 10],
      noise: (getString(args, "noise") ?? d.network.noise) as "heterogeneous" | "homogeneous",
    },
    optimiser: { learningRate: getNumber(args, "lr") ?? d.optimiser.learningRate, beta2: getNumber(args, "beta2") ?? d.optimiser.beta2 },
    objective: { reliability, magnitude: [{ name: "l1", params: { lambda: getNumber(args, "lambda") ?? 1e-4 } }] },
    training: {
      epochs: getNumber(args, "epochs") ?? d.training.epochs,
      batchSize: getNumber(args, "batch-size") ?? d.training.batchSize,
      seed,
      trainSubset: getNumber(args, "train-subset"),
      evalSamples: getNumber(args, "eval-samples") ?? d.training.evalSamples,
    },
    data: dataSpecFromOption(getString(args, "data")),
    backend: getString(args, "backend") ?? d.backend,
  });
}

/** The reliability cost named by --mechanism or --rho, with --c. */
export function reliabilityFromArgs(args: ParsedArgs): { cost: CostSpec; label: string } {
  const mechanism = getString(args, "mechanism");
  const rho = getNumber(args, "rho");
  const c = getNumber(args, "c") ?? 0.01;
  if (mechanism !== undefined && rho !== undefined) throw new VesicleError("give --mechanism or --rho, not both", "bad-option");
  const cost: CostSpec = rho !== undefined ? { name: "power-law", params: { c, rho } } : { name: mechanism ?? "calcium-efflux", params: { c } };
  costRegistry.create(cost); // validates c and ρ now, before any work
  return { cost, label: rho !== undefined ? `rho${rho}` : cost.name };
}

async function runTrain(args: ParsedArgs): Promise<number> {
  const resumeDir = getString(args, "resume");
  let spec: ExperimentSpec;
  let runDir: string;
  if (resumeDir !== undefined) {
    const record = readRecord(resumeDir);
    if (!record) throw new VesicleError(`${resumeDir} holds no run.json; nothing to resume`, "bad-run");
    spec = defineExperiment(record.spec);
    runDir = resumeDir;
  } else {
    const { cost, label } = reliabilityFromArgs(args);
    const seed = getNumber(args, "seed") ?? 0;
    spec = experimentFromArgs(args, [cost], seed);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace("T", "_").slice(0, 19);
    runDir = getString(args, "out") ?? join("runs", `${label}-c${cost.params.c}-${spec.network.noise}-s${seed}-${stamp}`);
  }
  const backend = await backendRegistry.require(spec.backend);
  const dataset = loadDataset(spec.data);
  const quiet = getFlag(args, "quiet");
  const progress = new Progress();
  let epochs = spec.training.epochs;
  let lastAccuracy = "";
  const log = (s: string) => (quiet ? undefined : progress.log(s));
  log(`vesicle train: ${dataset.name}, ${spec.network.layers.join("-")}, ${spec.network.noise} noise, backend ${spec.backend} → ${runDir}`);
  // Ctrl-C stops between steps; the last epoch's checkpoint stays for --resume.
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  let record: RunRecord;
  try {
    record = await train({
    spec,
    signal: controller.signal,
    backend,
    costs: costRegistry,
    dataset,
    runDir,
    resume: resumeDir !== undefined,
    onEvent: (e) => {
      if (quiet) return;
      if (e.kind === "start") {
        epochs = e.epochs;
        if (e.startEpoch > 0) log(`resuming after epoch ${e.startEpoch}`);
      } else if (e.kind === "progress") {
        const fraction = (e.epoch - 1 + e.step / e.stepsPerEpoch) / epochs;
        progress.update({ fraction, label: `epoch ${e.epoch}/${epochs}  loss/example ${e.lossPerExample.toFixed(4)}${lastAccuracy}` });
      } else if (e.kind === "epoch") {
        const m = e.metrics;
        lastAccuracy = `  test accuracy ${(100 * m.accuracyMean).toFixed(2)}%`;
        log(`epoch ${m.epoch}/${epochs}: train NLL/example ${m.trainNllPerExample.toFixed(4)}, test accuracy ${(100 * m.accuracyMean).toFixed(2)}%, mean σ ${m.sigmaMean.toExponential(3)}, ${m.seconds.toFixed(1)} s`);
      } else if (e.kind === "evaluating") {
        progress.done();
        log(`evaluating on ${dataset.test.count} test images (${spec.training.evalSamples} weight samples)…`);
      }
    },
  });
  } catch (e) {
    progress.done();
    if (e instanceof VesicleError && e.code === "interrupted")
      throw new VesicleError(`interrupted; the last finished epoch is checkpointed. Continue with: vesicle train --resume ${runDir}`, "interrupted");
    throw e;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
  progress.done();
  process.stdout.write(formatRecord(record, runDir) + "\n");
  return 0;
}
