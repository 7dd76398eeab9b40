/**
 * `vesicle sweep`: a grid of training runs (mechanism × c × noise mode × seed), in parallel,
 * resumable after any interruption, with results.csv/json kept up to date.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  SWEEP_PRESETS,
  VesicleError,
  createInProcessRunner,
  createSweep,
  openSweep,
  runSweep,
  type ExperimentInput,
  type JobRunner,
  type LogRange,
  type NoiseMode,
  type SweepGrid,
  type SweepEvent,
} from "@vesicle/core";
import { mechanisms } from "@vesicle/costs";
import { getFlag, getNumber, getString, type CommandDef, type ParsedArgs } from "../options.js";
import { Progress, formatSeconds } from "../progress.js";
import { dataSpecFromOption, loadDataset } from "../data.js";
import { backendNames, backendRegistry, costRegistry, mechanismNames } from "../registries.js";
import { createParallelRunner } from "../parallel.js";
import { EXPERIMENT_OPTIONS } from "./train.js";

export const sweepCommand: CommandDef = {
  name: "sweep",
  summary: "Run a grid of training runs (Figs. 2-3: mechanisms × c × noise modes), resumable, in parallel.",
  options: [
    { name: "out", type: "string", description: "sweep dir to create", defaultText: "sweeps/<preset>-<time>" },
    { name: "resume", type: "string", description: "finish the unfinished members of this sweep dir (its own grid and spec are used)" },
    { name: "preset", type: "string", description: "starting grid and settings", choices: () => Object.keys(SWEEP_PRESETS), defaultText: "paper" },
    { name: "quick", type: "boolean", description: "same as --preset quick: a few-minute preview (MNIST subset, few epochs, 3 values of c)" },
    { name: "mechanisms", type: "strings", description: "mechanisms to sweep", choices: mechanismNames, defaultText: "all four" },
    { name: "c", type: "numbers", description: "reliability cost multipliers, as a list" },
    { name: "c-range", type: "string", description: "c values as FROM:TO:PER_DECADE, e.g. 1e-2:1e4:4", defaultText: "1e-2:1e4:4 (25 values)" },
    { name: "noise-modes", type: "strings", description: "noise modes to sweep", choices: () => ["heterogeneous", "homogeneous"], defaultText: "both" },
    { name: "seeds", type: "numbers", description: "training seeds", defaultText: "0" },
    ...EXPERIMENT_OPTIONS.filter((o) => o.name !== "noise"),
    { name: "workers", type: "integer", description: "networks trained at once, one per worker thread", defaultText: "one per core" },
    { name: "skip-corrupt", type: "boolean", description: "run the other members when some members' results are unreadable" },
  ],
  run: runSweepCommand,
};

function gridFromArgs(args: ParsedArgs, preset: SweepGrid): SweepGrid {
  const list = args.options.c as number[] | undefined;
  const range = getString(args, "c-range");
  if (list && range) throw new VesicleError("give --c or --c-range, not both", "bad-option");
  let c: SweepGrid["c"] = list ?? preset.c;
  if (range !== undefined) {
    const parts = range.split(":").map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
      throw new VesicleError(`--c-range must be FROM:TO:PER_DECADE with three numbers, e.g. 1e-2:1e4:4; got "${range}"`, "bad-option");
    c = { from: parts[0], to: parts[1], perDecade: parts[2] } satisfies LogRange;
  }
  const seeds = args.options.seeds as number[] | undefined;
  if (seeds) for (const s of seeds) if (!Number.isInteger(s) || s < 0) throw new VesicleError(`--seeds must be non-negative integers, got ${s}`, "bad-option");
  return {
    mechanisms: (args.options.mechanisms as string[] | undefined) ?? preset.mechanisms,
    c,
    noise: (args.options["noise-modes"] as NoiseMode[] | undefined) ?? preset.noise,
    seeds: seeds ?? preset.seeds,
  };
}

/** The preset's base spec with the experiment options given on the command line laid over it. */
function baseFromArgs(args: ParsedArgs, preset: ExperimentInput): ExperimentInput {
  const given = <T>(entries: Record<string, T | undefined>) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  const hidden = args.options.hidden as number[] | undefined;
  const lambda = getNumber(args, "lambda");
  const data = getString(args, "data");
  return {
    ...preset,
    network: { ...preset.network, ...(hidden ? { layers: [784, ...hidden, 10] } : {}) },
    optimiser: { ...preset.optimiser, ...given({ learningRate: getNumber(args, "lr"), beta2: getNumber(args, "beta2") }) },
    objective: lambda !== undefined ? { magnitude: [{ name: "l1", params: { lambda } }] } : preset.objective,
    training: {
      ...preset.training,
      ...given({ epochs: getNumber(args, "epochs"), batchSize: getNumber(args, "batch-size"), trainSubset: getNumber(args, "train-subset"), evalSamples: getNumber(args, "eval-samples") }),
    },
    data: data !== undefined ? dataSpecFromOption(data) : preset.data,
    backend: getString(args, "backend") ?? preset.backend,
  };
}

async function runSweepCommand(args: ParsedArgs): Promise<number> {
  const resumeDir = getString(args, "resume");
  let dir: string;
  if (resumeDir !== undefined) {
    for (const o of Object.keys(args.options))
      if (!["resume", "workers", "skip-corrupt"].includes(o)) throw new VesicleError(`--${o} cannot change a sweep being resumed; it keeps the grid and spec it was created with`, "bad-option");
    dir = resumeDir;
  } else {
    const presetName = getFlag(args, "quick") ? "quick" : (getString(args, "preset") ?? "paper");
    if (getFlag(args, "quick") && getString(args, "preset") && getString(args, "preset") !== "quick") throw new VesicleError("--quick and --preset disagree", "bad-option");
    const preset = SWEEP_PRESETS[presetName];
    const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace("T", "_").slice(0, 19);
    dir = getString(args, "out") ?? join("sweeps", `${presetName}-${stamp}`);
    createSweep(dir, gridFromArgs(args, preset.grid), baseFromArgs(args, preset.base), Object.values(mechanisms));
  }
  const sweep = openSweep(dir);
  const members = sweep.manifest.members;
  const backendsUsed = [...new Set(members.map((m) => m.spec.backend))];
  for (const b of backendsUsed) await backendRegistry.require(b);
  const workers = getNumber(args, "workers") ?? Math.max(1, Math.min(availableParallelism(), members.length));
  if (!Number.isInteger(workers) || workers < 1) throw new VesicleError(`--workers must be a positive integer, got ${workers}`, "bad-option");

  const dataSpecs = [...new Set(members.map((m) => JSON.stringify(m.spec.data)))];
  if (dataSpecs.length !== 1) throw new VesicleError("every member of a sweep must use the same data", "bad-sweep");
  const dataset = loadDataset(JSON.parse(dataSpecs[0]), { shared: workers > 1 });

  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  const runner: JobRunner =
    workers > 1
      ? createParallelRunner({ workers, dataset, signal: controller.signal })
      : createInProcessRunner({ backends: backendRegistry, costs: costRegistry, dataset, signal: controller.signal });

  const progress = new Progress();
  progress.log(`vesicle sweep: ${members.length} members in ${dir}, ${workers} worker${workers > 1 ? "s" : ""}, backend ${backendsUsed.join(", ")}`);
  const onEvent = (e: SweepEvent) => {
    switch (e.kind) {
      case "plan":
        progress.log(`  ${e.complete} complete, ${e.resuming} to resume, ${e.pending} to run${e.diverged ? `, ${e.diverged} diverged` : ""}${e.corrupt.length ? `, ${e.corrupt.length} unreadable (skipped)` : ""}`);
        break;
      case "member-done": {
        const f = e.final;
        progress.log(
          `✓ ${e.member.id}: accuracy ${(100 * f.accuracyMean).toFixed(2)}%, σ rms ${f.sigmaRms.toExponential(2)}, ${e.wallSeconds?.toFixed(0) ?? "?"} s` +
            `  [${e.progress.complete}/${e.progress.total}${e.progress.failed ? `, ${e.progress.failed} failed` : ""}]`,
        );
        const done = e.progress.total - e.progress.remaining;
        progress.update({ fraction: done / e.progress.total, label: `${e.progress.complete}/${e.progress.total} members` });
        break;
      }
      case "member-failed":
        progress.log(`✗ ${e.member.id}: ${e.error}`);
        break;
      case "warning":
        progress.log(`warning: ${e.message}`);
        break;
    }
  };
  try {
    const summary = await runSweep({ dir, runner, onEvent, workers, skipCorrupt: getFlag(args, "skip-corrupt") });
    progress.done();
    const lines = [
      `sweep ${summary.unfinished.length ? "stopped" : "complete"}: ${summary.complete}/${summary.total} members complete (${summary.ranNow} now, ${formatSeconds(summary.seconds)})`,
      `results: ${join(dir, "results.csv")}, ${join(dir, "results.json")}`,
    ];
    if (summary.diverged.length) lines.push(`diverged: ${summary.diverged.join(", ")}`);
    if (summary.failed.length) lines.push(...summary.failed.map((f) => `failed: ${f.id}: ${f.error}`));
    if (summary.unfinished.length) lines.push(`unfinished: ${summary.unfinished.length}; continue with: vesicle sweep --resume ${dir}`);
    else lines.push(`figures: vesicle figures fig2 fig3 --sweep ${dir}`);
    process.stdout.write(lines.join("\n") + "\n");
    return summary.unfinished.length || summary.failed.length ? 1 : 0;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}
