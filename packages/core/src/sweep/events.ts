/**
 * What a running sweep tells its caller (the CLI prints a line per finished member and the counts),
 * with the counts and ETA after each finished member.
 */
import type { EvalMetrics } from "../metrics.js";
import type { RunRecord, TrainEvent } from "../train.js";
import type { SweepMember } from "./grid.js";
import type { CorruptMember } from "./plan.js";
import type { ResultRow } from "./results.js";

/** Overall counts after each finished member. */
export interface SweepProgress {
  readonly total: number;
  /** Completed members, including those completed before this session. */
  readonly complete: number;
  /** Diverged or failed members (previous sessions' diverged ones included). */
  readonly failed: number;
  /** Members of this session not finished yet (running or waiting). */
  readonly remaining: number;
  /** Estimated seconds until this session's members are all done; undefined until one has finished. */
  readonly etaSeconds?: number;
}

export type SweepEvent =
  /** Before anything runs: what the sweep dir holds and what this session will do. */
  | {
      readonly kind: "plan";
      readonly total: number;
      readonly complete: number;
      /** Interrupted members, resumed from their checkpoints. */
      readonly resuming: number;
      readonly pending: number;
      readonly diverged: number;
      /** Corrupt members skipped (only with `skipCorrupt`; otherwise the run stops before this event). */
      readonly corrupt: readonly CorruptMember[];
    }
  /** A training event of one member, passed through from the runner. */
  | { readonly kind: "member-event"; readonly member: SweepMember; readonly event: TrainEvent }
  | {
      readonly kind: "member-done";
      readonly member: SweepMember;
      readonly final: EvalMetrics;
      readonly record: RunRecord;
      /** Wall-clock seconds from the member's start to its end in this session (loading and evaluation included). */
      readonly wallSeconds: number | undefined;
      readonly progress: SweepProgress;
    }
  | { readonly kind: "member-failed"; readonly member: SweepMember; readonly error: string; readonly code: string; readonly progress: SweepProgress }
  /** results.csv / results.json were rewritten. */
  | { readonly kind: "results"; readonly rows: number; readonly csv: string; readonly json: string }
  /** Something went wrong that loses no result (e.g. results.csv could not be written; it is rebuilt next time). */
  | { readonly kind: "warning"; readonly message: string };

/** What {@link runSweep} resolves to. */
export interface SweepSummary {
  readonly dir: string;
  readonly total: number;
  readonly complete: number;
  /** Members finished successfully in this session. */
  readonly ranNow: number;
  /** Members that failed in this session, with the runner's error. */
  readonly failed: readonly { readonly id: string; readonly error: string; readonly code: string }[];
  readonly diverged: readonly string[];
  readonly corrupt: readonly CorruptMember[];
  /** Members still unfinished (interrupted or not started) after this session. */
  readonly unfinished: readonly string[];
  readonly rows: readonly ResultRow[];
  readonly seconds: number;
}
