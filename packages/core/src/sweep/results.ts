/**
 * The sweep's results table (results.csv, results.json): one row per completed member, rebuilt from
 * the member run dirs each time, so it can never disagree with them for long, and written atomically.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../files.js";
import type { NoiseMode } from "../spec.js";
import { formatCsv } from "./csv.js";
import { openSweep, type Sweep } from "./manifest.js";
import { planSweep, type CompleteMember, type CorruptMember } from "./plan.js";

export const RESULTS_CSV = "results.csv";
export const RESULTS_JSON = "results.json";

/** One completed member. Metrics that are missing or not finite are `null` (an empty CSV field). */
export interface ResultRow {
  readonly mechanism: string;
  readonly rho: number;
  readonly c: number;
  readonly noise: NoiseMode;
  readonly seed: number;
  readonly epochs: number;
  readonly accuracy_mean: number | null;
  readonly accuracy_sample: number | null;
  readonly accuracy_expected: number | null;
  readonly test_nll: number | null;
  readonly sigma_rms: number | null;
  readonly sigma_mean: number | null;
  readonly reliability_cost_s1: number | null;
  readonly magnitude_cost: number | null;
  /** Seconds spent in training steps (the run's `trainingSeconds`). */
  readonly wall_seconds: number | null;
  readonly member_id: string;
}

/** The columns, in file order. */
export const RESULT_COLUMNS: readonly (keyof ResultRow)[] = [
  "mechanism",
  "rho",
  "c",
  "noise",
  "seed",
  "epochs",
  "accuracy_mean",
  "accuracy_sample",
  "accuracy_expected",
  "test_nll",
  "sigma_rms",
  "sigma_mean",
  "reliability_cost_s1",
  "magnitude_cost",
  "wall_seconds",
  "member_id",
];

/** What a sweep dir holds: a row per completed member (in manifest order) and the members that could not be read. */
export interface SweepResults {
  readonly rows: readonly ResultRow[];
  readonly corrupt: readonly CorruptMember[];
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The row of one completed member. */
export function resultRow({ member, record }: CompleteMember): ResultRow {
  const f = record.final;
  return {
    mechanism: member.mechanism,
    rho: member.rho,
    c: member.c,
    noise: member.noise,
    seed: member.seed,
    epochs: member.spec.training.epochs,
    accuracy_mean: num(f.accuracyMean),
    accuracy_sample: num(f.accuracySample),
    accuracy_expected: num(f.accuracyExpected),
    test_nll: num(f.testNll),
    sigma_rms: num(f.sigmaRms),
    sigma_mean: num(f.sigmaMean),
    reliability_cost_s1: num(f.reliabilityCostS1),
    magnitude_cost: num(f.magnitudeCost),
    wall_seconds: num(record.trainingSeconds),
    member_id: member.id,
  };
}

/** Reads every member's run dir and builds the rows; corrupt members are listed, not thrown. */
export function collectResults(sweep: string | Sweep): SweepResults {
  const s = typeof sweep === "string" ? openSweep(sweep) : sweep;
  const plan = planSweep(s);
  return { rows: plan.complete.map(resultRow), corrupt: plan.corrupt };
}

/** The rows as RFC 4180 CSV with a header of {@link RESULT_COLUMNS}. */
export function toCsv(rows: readonly ResultRow[]): string {
  return formatCsv(RESULT_COLUMNS, rows);
}

/** Writes results.csv and results.json (a JSON array of rows) into the sweep dir, each atomically. */
export function writeResults(dir: string, rows: readonly ResultRow[]): { csv: string; json: string } {
  const csv = join(dir, RESULTS_CSV);
  const json = join(dir, RESULTS_JSON);
  writeFileAtomic(csv, toCsv(rows));
  // Pretty enough to read, one row per line so diffs stay small.
  writeFileAtomic(json, rows.length ? "[\n" + rows.map((r) => "  " + JSON.stringify(r)).join(",\n") + "\n]\n" : "[]\n");
  return { csv, json };
}
