/**
 * Progress counts and the ETA of a running sweep.
 */
import type { JobOutcome } from "../jobs.js";
import type { SweepProgress } from "./events.js";

/**
 * Counts finished members and estimates the time left as
 * (mean wall time of members finished this session) × remaining / workers.
 */
export class ProgressTracker {
  private readonly started = new Map<string, number>();
  private readonly walls: number[] = [];
  private finishedNow = 0;
  private readonly t0: number;

  constructor(
    private complete: number,
    private failed: number,
    private remaining: number,
    private readonly total: number,
    private readonly workers: number,
    private readonly now: () => number,
  ) {
    this.t0 = now();
  }

  /** Call on a member's first training event. */
  start(id: string): void {
    if (!this.started.has(id)) this.started.set(id, this.now());
  }

  /** Records a finished member; returns its wall seconds (when its start was seen) and the new counts. */
  finish(id: string, outcome: JobOutcome): { wallSeconds: number | undefined; progress: SweepProgress } {
    const start = this.started.get(id);
    const wallSeconds = start === undefined ? undefined : (this.now() - start) / 1000;
    if (wallSeconds !== undefined) this.walls.push(wallSeconds);
    this.finishedNow++;
    this.remaining = Math.max(0, this.remaining - 1);
    if (outcome.ok) this.complete++;
    else this.failed++;
    return { wallSeconds, progress: this.progress() };
  }

  progress(): SweepProgress {
    const base = { total: this.total, complete: this.complete, failed: this.failed, remaining: this.remaining };
    if (this.finishedNow === 0) return base;
    // Without start events (a runner that forwards none) fall back to overall throughput.
    const perMember = this.walls.length
      ? this.walls.reduce((a, b) => a + b, 0) / this.walls.length / this.workers
      : (this.now() - this.t0) / 1000 / this.finishedNow;
    return { ...base, etaSeconds: this.remaining * perMember };
  }
}
