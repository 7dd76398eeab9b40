/**
 * Runs (or resumes) a sweep: plans from the member run dirs, hands the unfinished members to a
 * {@link JobRunner} and rebuilds the results after each one finishes.
 *
 * Loss-free by construction: every member's results live only in its own run dir, written atomically
 * by training; this code never writes into a complete member's dir, and results.csv/json are derived
 * files rebuilt from the run dirs. Stopping at any moment leaves at worst an interrupted member, which
 * the next run resumes from its last epoch checkpoint.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { VesicleError, check } from "../errors.js";
import type { JobOutcome, JobRunner, TrainJob } from "../jobs.js";
import type { SweepEvent, SweepSummary } from "./events.js";
import type { SweepMember } from "./grid.js";
import { acquireSweepLock } from "./lock.js";
import { memberDir, openSweep, type Sweep } from "./manifest.js";
import { corruptMessage, planSweep } from "./plan.js";
import { ProgressTracker } from "./progress.js";
import { collectResults, writeResults } from "./results.js";

export interface RunSweepOptions {
  /** The sweep dir (made by `createSweep`). */
  readonly dir: string;
  /** Trains the jobs: in this process, on worker threads, elsewhere. */
  readonly runner: JobRunner;
  readonly onEvent?: (event: SweepEvent) => void;
  /** How many jobs the runner trains at once; only used for the ETA. Default 1. */
  readonly workers?: number;
  /**
   * Run the other members when some are corrupt (they are reported in the summary and left untouched).
   * Default false: stop before training anything, with a message naming them.
   */
  readonly skipCorrupt?: boolean;
  /** Clock in milliseconds (tests); default `performance.now`. */
  readonly now?: () => number;
}

/** Runs every interrupted or unstarted member of the sweep in `dir` and resolves when the runner is done. */
export async function runSweep(options: RunSweepOptions): Promise<SweepSummary> {
  const { dir, runner } = options;
  const emit = options.onEvent ?? (() => {});
  const now = options.now ?? (() => performance.now());
  const workers = options.workers ?? 1;
  check(Number.isInteger(workers) && workers >= 1, `workers must be a positive integer, got ${workers}`);
  const sweep = openSweep(dir);
  const release = acquireSweepLock(dir);
  try {
    const t0 = now();
    const plan = planSweep(sweep);
    if (plan.corrupt.length && !options.skipCorrupt) throw new VesicleError(corruptMessage(sweep, plan.corrupt), "corrupt-member");
    // Leftovers of a run killed before its first run.json hold no results; training wants an empty dir.
    for (const { member, leftovers } of plan.pending)
      for (const name of leftovers) rmSync(join(memberDir(dir, member.id), name), { force: true });

    const jobs: TrainJob[] = [
      ...plan.partial.map(({ member }) => trainJob(sweep, member, true)),
      ...plan.pending.map(({ member }) => trainJob(sweep, member, false)),
    ];
    const total = sweep.manifest.members.length;
    emit({
      kind: "plan",
      total,
      complete: plan.complete.length,
      resuming: plan.partial.length,
      pending: plan.pending.length,
      diverged: plan.diverged.length,
      corrupt: plan.corrupt,
    });
    refreshResults(sweep, emit);

    const members = new Map(jobs.map((j) => [j.id, sweep.manifest.members.find((m) => m.id === j.id)!]));
    const tracker = new ProgressTracker(plan.complete.length, plan.diverged.length, jobs.length, total, workers, now);
    const finished = new Set<string>();
    const failed: { id: string; error: string; code: string }[] = [];
    let ranNow = 0;
    if (jobs.length)
      await runner(jobs, {
        onEvent(id, event) {
          const member = members.get(id);
          if (!member) return;
          tracker.start(id);
          emit({ kind: "member-event", member, event });
        },
        onFinished(id, outcome) {
          const member = members.get(id);
          // A runner reporting a job twice, or one it was not given, changes nothing.
          if (!member || finished.has(id)) return;
          finished.add(id);
          const result: JobOutcome =
            outcome.ok && !outcome.record.final ? { ok: false, error: `member ${id} finished without final metrics`, code: "no-final" } : outcome;
          const { wallSeconds, progress } = tracker.finish(id, result);
          if (result.ok) {
            ranNow++;
            emit({ kind: "member-done", member, final: result.record.final!, record: result.record, wallSeconds, progress });
            refreshResults(sweep, emit);
          } else {
            failed.push({ id, error: result.error, code: result.code });
            emit({ kind: "member-failed", member, error: result.error, code: result.code, progress });
          }
        },
      });

    const after = planSweep(sweep);
    const rows = refreshResults(sweep, emit) ?? [];
    return {
      dir,
      total,
      complete: after.complete.length,
      ranNow,
      failed,
      diverged: after.diverged.map((d) => d.member.id),
      corrupt: after.corrupt,
      unfinished: [...after.partial, ...after.pending].map((p) => p.member.id),
      rows,
      seconds: (now() - t0) / 1000,
    };
  } finally {
    release();
  }
}

function trainJob(sweep: Sweep, member: SweepMember, resume: boolean): TrainJob {
  return { id: member.id, spec: member.spec, runDir: memberDir(sweep.dir, member.id), resume };
}

/** Rebuilds results.csv/json from the run dirs; a failure loses nothing (they are rebuilt next time), so it only warns. */
function refreshResults(sweep: Sweep, emit: (e: SweepEvent) => void) {
  try {
    const { rows } = collectResults(sweep);
    const paths = writeResults(sweep.dir, rows);
    emit({ kind: "results", rows: rows.length, ...paths });
    return rows;
  } catch (e) {
    emit({ kind: "warning", message: `could not update the results files: ${(e as Error).message}` });
    return undefined;
  }
}
