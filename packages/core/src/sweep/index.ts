/**
 * Sweeps over the reliability-cost multiplier c, the mechanism (ρ), the noise mode and the seed
 * (Figs. 2-3): a grid expanded into training runs, each in its own run dir under the sweep dir,
 * resumable at any point, with results.csv/json rebuilt from the run dirs.
 */
export {
  logRange,
  DEFAULT_C_VALUES,
  NOISE_MODES,
  formatC,
  memberId,
  resolveGrid,
  expandGrid,
  type SweepMechanism,
  type LogRange,
  type SweepGrid,
  type ResolvedGrid,
  type SweepMember,
} from "./grid.js";
export {
  SWEEP_FORMAT,
  SWEEP_VERSION,
  SWEEP_FILE,
  MEMBERS_DIR,
  createSweep,
  openSweep,
  memberDir,
  type SweepManifest,
  type Sweep,
  type CreatedSweep,
} from "./manifest.js";
export {
  planSweep,
  corruptMessage,
  type SweepPlan,
  type CompleteMember,
  type PartialMember,
  type PendingMember,
  type DivergedMember,
  type CorruptMember,
} from "./plan.js";
export { RESULTS_CSV, RESULTS_JSON, RESULT_COLUMNS, resultRow, collectResults, toCsv, writeResults, type ResultRow, type SweepResults } from "./results.js";
export { csvField, formatCsv, type CsvValue } from "./csv.js";
export { LOCK_FILE } from "./lock.js";
export { runSweep, type RunSweepOptions } from "./run.js";
export type { SweepEvent, SweepProgress, SweepSummary } from "./events.js";
export { PAPER_PRESET, QUICK_PRESET, SWEEP_PRESETS, type SweepPreset } from "./presets.js";
