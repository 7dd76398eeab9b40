/**
 * What is left to do in a sweep, read from the member run dirs (the single source of truth): which
 * members are complete, interrupted (resumable from their checkpoint), not started, diverged, or corrupt.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RUN_FILE, readRecord, type RunRecord } from "../train.js";
import type { EvalMetrics } from "../metrics.js";
import type { SweepMember } from "./grid.js";
import { canonicalJson, memberDir, type Sweep } from "./manifest.js";

/** A member whose run finished, with the record its run dir holds. */
export interface CompleteMember {
  readonly member: SweepMember;
  readonly record: RunRecord & { readonly final: EvalMetrics };
}

/** A member that started but did not finish: it resumes from its last epoch checkpoint. */
export interface PartialMember {
  readonly member: SweepMember;
  /** Epochs finished so far. */
  readonly epochsDone: number;
}

/** A member not started yet. */
export interface PendingMember {
  readonly member: SweepMember;
  /**
   * Files a run leaves before its first run.json (the initial checkpoint, temporary files of an
   * interrupted atomic write); they hold no results and are cleared before the member runs.
   */
  readonly leftovers: readonly string[];
}

/** A member whose training diverged (run.json status "diverged"); rerunning it would diverge again. */
export interface DivergedMember {
  readonly member: SweepMember;
  readonly error: string;
}

/** A member whose run dir cannot be trusted; it is reported and never touched. */
export interface CorruptMember {
  readonly member: SweepMember;
  /** Why, naming the member and the file. */
  readonly reason: string;
}

export interface SweepPlan {
  readonly complete: readonly CompleteMember[];
  readonly partial: readonly PartialMember[];
  readonly pending: readonly PendingMember[];
  readonly diverged: readonly DivergedMember[];
  readonly corrupt: readonly CorruptMember[];
}

/** Written by a run before its first run.json: safe to clear, since they hold no result. */
const LEFTOVER = /^(checkpoint\.json|run\.lock|\.(run|checkpoint)\.json\.\d+\.\d+\.tmp)$/;

/** Classifies every member of `sweep` by what its run dir holds. Reads only. */
export function planSweep(sweep: Sweep): SweepPlan {
  const plan = { complete: [] as CompleteMember[], partial: [] as PartialMember[], pending: [] as PendingMember[], diverged: [] as DivergedMember[], corrupt: [] as CorruptMember[] };
  for (const member of sweep.manifest.members) {
    const dir = memberDir(sweep.dir, member.id);
    const corrupt = (why: string) => plan.corrupt.push({ member, reason: `member ${member.id}: ${why}` });
    if (!existsSync(dir)) {
      plan.pending.push({ member, leftovers: [] });
      continue;
    }
    if (!existsSync(join(dir, RUN_FILE))) {
      const entries = readdirSync(dir).sort();
      const unknown = entries.filter((e) => !LEFTOVER.test(e));
      if (unknown.length) corrupt(`${dir} has no ${RUN_FILE} but holds other files (${unknown.join(", ")})`);
      else plan.pending.push({ member, leftovers: entries });
      continue;
    }
    let record: RunRecord | undefined;
    try {
      record = readRecord(dir);
    } catch (e) {
      corrupt((e as Error).message);
      continue;
    }
    if (!record || typeof record !== "object" || !record.spec) {
      corrupt(`${join(dir, RUN_FILE)} is not a complete run record`);
      continue;
    }
    if (canonicalJson(record.spec) !== canonicalJson(member.spec)) {
      corrupt(`${join(dir, RUN_FILE)} holds a run of a different spec than sweep.json lists for this member`);
      continue;
    }
    if (record.status === "complete") {
      if (!record.final || typeof record.final !== "object") corrupt(`${join(dir, RUN_FILE)} says complete but has no final metrics`);
      else plan.complete.push({ member, record: record as CompleteMember["record"] });
    } else if (record.status === "running") plan.partial.push({ member, epochsDone: Array.isArray(record.epochs) ? record.epochs.length : 0 });
    else if (record.status === "diverged") plan.diverged.push({ member, error: record.error ?? "training diverged" });
    else corrupt(`${join(dir, RUN_FILE)} has an unknown status "${String(record.status)}"`);
  }
  return plan;
}

/** The user-facing advice for corrupt members: what is wrong and how to rerun them. */
export function corruptMessage(sweep: Sweep, corrupt: readonly CorruptMember[]): string {
  const lines = corrupt.map((c) => `  ${c.reason}`);
  return [
    `${corrupt.length} member${corrupt.length === 1 ? "" : "s"} of the sweep in ${sweep.dir} cannot be read, and ${corrupt.length === 1 ? "was" : "were"} left untouched:`,
    ...lines,
    `To rerun ${corrupt.length === 1 ? "it" : "them"}, move ${corrupt.length === 1 ? "its run dir" : "their run dirs"} out of ${join(sweep.dir, "members")} (keep a copy if in doubt) and resume the sweep; or resume with corrupt members skipped to finish the others first.`,
  ].join("\n");
}
