import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { VesicleError } from "../errors.js";
import { createFreshDirectory, readJson, writeJsonAtomic } from "../files.js";
import type { JobRunner, TrainJob } from "../jobs.js";
import type { EvalMetrics } from "../metrics.js";
import { CHECKPOINT_FILE, RUN_FILE, RUN_FORMAT, RUN_VERSION, readRecord, type RunRecord, type RunStatus } from "../train.js";
import type { SweepEvent } from "./events.js";
import type { SweepMechanism, SweepGrid } from "./grid.js";
import { LOCK_FILE } from "./lock.js";
import { SWEEP_FILE, createSweep, memberDir, openSweep, type Sweep } from "./manifest.js";
import { planSweep } from "./plan.js";
import { ProgressTracker } from "./progress.js";
import { RESULTS_CSV, RESULTS_JSON, collectResults, type ResultRow } from "./results.js";
import { runSweep } from "./run.js";

const MECHANISMS: SweepMechanism[] = [
  { name: "calcium-efflux", rho: 1 / 2 },
  { name: "trafficking", rho: 2 },
];
/** 2 mechanisms × 3 c × 1 noise mode = 6 members. */
const GRID: SweepGrid = { c: [0.01, 1, 100], noise: ["heterogeneous"] };
const BASE = { training: { epochs: 2, trainSubset: 100 } };

/** Made-up final metrics that identify the member, so tests can tell rows apart. */
function finalFor(job: TrainJob): EvalMetrics {
  const c = job.spec.objective.reliability[0].params.c;
  return {
    accuracyMean: 1 / (1 + c),
    accuracySample: 0.5,
    accuracyExpected: 0.75,
    testNll: Math.log(1 + c),
    sigmaMean: c / 3,
    sigmaRms: c / 2,
    reliabilityCostS1: 1 / c,
    magnitudeCost: 0.125,
  };
}

function record(job: TrainJob, status: RunStatus, epochs: number, final?: EvalMetrics): RunRecord {
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    status,
    spec: job.spec,
    dataset: { name: "fake", trainCount: 100, testCount: 10 },
    epochs: Array.from({ length: epochs }, (_, e) => ({ epoch: e + 1, trainLossPerExample: 1, trainNllPerExample: 1, accuracyMean: 0.5, sigmaMean: 0.1, seconds: 0.5 })),
    trainingSeconds: epochs * 0.5,
    ...(final ? { final } : {}),
    ...(status === "diverged" ? { error: "training diverged: the loss became NaN" } : {}),
  };
}

interface FakeOptions {
  /** Throw (like a killed process) halfway through the n-th job (0-based), leaving it at epoch 1. */
  crashAt?: number;
  /** Report these jobs as failed without finishing them. */
  fail?: Set<string>;
  /** Diverge these jobs. */
  diverge?: Set<string>;
}

/** Writes run dirs as `train` would (fresh dir unless resuming, running → complete), without training. */
function fakeRunner(seen: TrainJob[], options: FakeOptions = {}): JobRunner {
  return async (jobs, hooks) => {
    for (const [n, job] of jobs.entries()) {
      seen.push(job);
      const existing = job.resume ? readRecord(job.runDir) : undefined;
      if (existing?.status === "complete") throw new Error(`fake runner: ${job.id} is complete; a sweep must never resume it`);
      if (!existing) createFreshDirectory(job.runDir);
      hooks.onEvent?.(job.id, { kind: "start", startEpoch: existing?.epochs.length ?? 0, epochs: 2, stepsPerEpoch: 5 });
      writeJsonAtomic(join(job.runDir, CHECKPOINT_FILE), { fake: true });
      writeJsonAtomic(join(job.runDir, RUN_FILE), record(job, "running", 1));
      if (n === options.crashAt) throw new Error("killed");
      if (options.fail?.has(job.id)) {
        hooks.onFinished?.(job.id, { ok: false, error: "backend exploded", code: "boom" });
        continue;
      }
      if (options.diverge?.has(job.id)) {
        writeJsonAtomic(join(job.runDir, RUN_FILE), record(job, "diverged", 1));
        hooks.onFinished?.(job.id, { ok: false, error: "training diverged", code: "diverged" });
        continue;
      }
      const done = record(job, "complete", 2, finalFor(job));
      writeJsonAtomic(join(job.runDir, RUN_FILE), done);
      hooks.onFinished?.(job.id, { ok: true, record: done });
    }
  };
}

let dir: string;
let sweep: Sweep;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "vesicle-sweep-")), "sweep");
  sweep = createSweep(dir, GRID, BASE, MECHANISMS);
});

async function rejection(p: Promise<unknown>): Promise<VesicleError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VesicleError);
    return e as VesicleError;
  }
  throw new Error("expected a VesicleError");
}

function vesicleError(f: () => unknown): VesicleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VesicleError);
    return e as VesicleError;
  }
  throw new Error("expected a VesicleError");
}

/** Content and mtime of a member's run.json, to prove it was not touched. */
function snapshot(id: string) {
  const path = join(memberDir(dir, id), RUN_FILE);
  return { text: readFileSync(path, "utf8"), mtimeMs: statSync(path).mtimeMs };
}

describe("createSweep / openSweep", () => {
  it("writes a versioned manifest with the grid, base spec and member specs", () => {
    const m = readJson(join(dir, SWEEP_FILE), "manifest") as Record<string, unknown> & typeof sweep.manifest;
    expect(m.format).toBe("vesicle-sweep");
    expect(m.version).toBe(1);
    expect(Number.isNaN(Date.parse(m.created))).toBe(false);
    expect(m.grid).toEqual({ mechanisms: ["calcium-efflux", "trafficking"], c: [0.01, 1, 100], noise: ["heterogeneous"], seeds: [0] });
    expect(m.base.training.epochs).toBe(2);
    expect(m.members.map((x) => x.id)).toEqual([
      "calcium-efflux_c1e-02_heterogeneous_s0",
      "calcium-efflux_c1e+00_heterogeneous_s0",
      "calcium-efflux_c1e+02_heterogeneous_s0",
      "trafficking_c1e-02_heterogeneous_s0",
      "trafficking_c1e+00_heterogeneous_s0",
      "trafficking_c1e+02_heterogeneous_s0",
    ]);
    expect(m.members[5].spec.objective.reliability).toEqual([{ name: "trafficking", params: { c: 100 } }]);
    expect(openSweep(dir).manifest).toEqual(m);
  });

  it("stores only a mechanism's name, ρ and cost name, whatever else the caller's objects carry", () => {
    const rich = MECHANISMS.map((m) => ({ ...m, summary: "x", energy: () => 1, plugin: { name: m.name } }));
    const other = createSweep(join(dir, "..", "rich"), GRID, BASE, rich);
    expect(openSweep(other.dir).manifest.mechanisms).toEqual(MECHANISMS);
  });

  it("reopens the same sweep without rewriting it", () => {
    const before = readFileSync(join(dir, SWEEP_FILE), "utf8");
    const again = createSweep(dir, GRID, BASE, MECHANISMS);
    expect(again.existed).toBe(true);
    expect(readFileSync(join(dir, SWEEP_FILE), "utf8")).toBe(before);
  });

  it("refuses to mix a different grid or base into an existing sweep dir", () => {
    const before = readFileSync(join(dir, SWEEP_FILE), "utf8");
    const e = vesicleError(() => createSweep(dir, { ...GRID, c: [0.01, 1, 100, 1e4] }, BASE, MECHANISMS));
    expect(e.code).toBe("sweep-mismatch");
    expect(e.message).toMatch(/different sweep.*new members not in it: 2 \(e\.g\. calcium-efflux_c1e\+04_heterogeneous_s0\)/);
    expect(vesicleError(() => createSweep(dir, GRID, { training: { epochs: 3 } }, MECHANISMS)).message).toMatch(/different spec/);
    expect(readFileSync(join(dir, SWEEP_FILE), "utf8")).toBe(before);
  });

  it("refuses a non-empty dir that holds no sweep", () => {
    const other = mkdtempSync(join(tmpdir(), "vesicle-other-"));
    writeFileSync(join(other, "notes.txt"), "mine");
    expect(vesicleError(() => createSweep(other, GRID, BASE, MECHANISMS)).code).toBe("dir-exists");
    expect(readFileSync(join(other, "notes.txt"), "utf8")).toBe("mine");
  });

  it("rejects a manifest of another version or format, or none", () => {
    const path = join(dir, SWEEP_FILE);
    const m = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...m, version: 2 }));
    const e = vesicleError(() => openSweep(dir));
    expect(e.code).toBe("incompatible-sweep");
    expect(e.message).toMatch(/incompatible vesicle \(sweep format version 2; this one reads version 1\)/);
    writeFileSync(path, JSON.stringify({ ...m, format: "vesicle-run" }));
    expect(vesicleError(() => openSweep(dir)).message).toMatch(/not a vesicle sweep manifest/);
    writeFileSync(path, "{ truncated");
    expect(vesicleError(() => openSweep(dir)).message).toMatch(/corrupt or truncated/);
    writeFileSync(path, JSON.stringify({ ...m, members: [{ ...m.members[0], id: "../escape" }] }));
    expect(vesicleError(() => openSweep(dir)).message).toMatch(/not a valid name/);
    expect(vesicleError(() => openSweep(join(dir, "nowhere"))).code).toBe("no-sweep");
  });
});

describe("runSweep", () => {
  it("runs every member once and writes one results row each", async () => {
    const seen: TrainJob[] = [];
    const events: SweepEvent[] = [];
    const summary = await runSweep({ dir, runner: fakeRunner(seen), onEvent: (e) => events.push(e) });
    expect(seen.map((j) => j.id)).toEqual(sweep.manifest.members.map((m) => m.id));
    expect(seen.every((j) => !j.resume && j.runDir === memberDir(dir, j.id))).toBe(true);
    expect(summary).toMatchObject({ total: 6, complete: 6, ranNow: 6, failed: [], diverged: [], unfinished: [] });
    expect(events[0]).toMatchObject({ kind: "plan", total: 6, complete: 0, pending: 6, resuming: 0 });
    const done = events.filter((e) => e.kind === "member-done");
    expect(done).toHaveLength(6);
    expect(done.map((e) => e.progress.complete)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(done.at(-1)!.progress).toMatchObject({ remaining: 0, etaSeconds: 0 });
    expect(done[0].progress.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(done[0].final.accuracyMean).toBe(1 / 1.01);

    const rows = JSON.parse(readFileSync(join(dir, RESULTS_JSON), "utf8")) as ResultRow[];
    expect(rows).toHaveLength(6);
    expect(rows[5]).toEqual({
      mechanism: "trafficking",
      rho: 2,
      c: 100,
      noise: "heterogeneous",
      seed: 0,
      epochs: 2,
      accuracy_mean: 1 / 101,
      accuracy_sample: 0.5,
      accuracy_expected: 0.75,
      test_nll: Math.log(101),
      sigma_rms: 50,
      sigma_mean: 100 / 3,
      reliability_cost_s1: 0.01,
      magnitude_cost: 0.125,
      wall_seconds: 1,
      member_id: "trafficking_c1e+02_heterogeneous_s0",
    });
    expect(readFileSync(join(dir, RESULTS_CSV), "utf8").split("\r\n")).toHaveLength(8); // header + 6 + final ""
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("after a crash, resumes only the unfinished members and never touches a complete one", async () => {
    const first: TrainJob[] = [];
    await expect(runSweep({ dir, runner: fakeRunner(first, { crashAt: 2 }) })).rejects.toThrow("killed");
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const ids = sweep.manifest.members.map((m) => m.id);
    const plan = planSweep(openSweep(dir));
    expect(plan.complete.map((c) => c.member.id)).toEqual(ids.slice(0, 2));
    expect(plan.partial.map((p) => [p.member.id, p.epochsDone])).toEqual([[ids[2], 1]]);
    expect(plan.pending.map((p) => p.member.id)).toEqual(ids.slice(3));
    // Results already hold the members finished before the crash.
    expect(collectResults(dir).rows.map((r) => r.member_id)).toEqual(ids.slice(0, 2));

    // Age the complete members' files so any rewrite would show in the mtime.
    const old = new Date(Date.now() - 3_600_000);
    for (const id of ids.slice(0, 2)) utimesSync(join(memberDir(dir, id), RUN_FILE), old, old);
    const before = ids.slice(0, 2).map(snapshot);

    const second: TrainJob[] = [];
    const events: SweepEvent[] = [];
    const summary = await runSweep({ dir, runner: fakeRunner(second), onEvent: (e) => events.push(e) });
    expect(second.map((j) => [j.id, j.resume])).toEqual([[ids[2], true], ...ids.slice(3).map((id) => [id, false])]);
    expect(events[0]).toMatchObject({ kind: "plan", complete: 2, resuming: 1, pending: 3 });
    expect(ids.slice(0, 2).map(snapshot)).toEqual(before);
    expect(summary).toMatchObject({ complete: 6, ranNow: 4, unfinished: [] });
    expect(collectResults(dir).rows.map((r) => r.member_id)).toEqual(ids);

    // A third run has nothing to do.
    const third: TrainJob[] = [];
    expect((await runSweep({ dir, runner: fakeRunner(third) })).ranNow).toBe(0);
    expect(third).toEqual([]);
  });

  it("clears what a member killed before its first run.json left, and runs it", async () => {
    const id = sweep.manifest.members[0].id;
    mkdirSync(memberDir(dir, id), { recursive: true });
    writeFileSync(join(memberDir(dir, id), CHECKPOINT_FILE), "{}");
    writeFileSync(join(memberDir(dir, id), ".run.json.123.456.tmp"), "{ half");
    expect(planSweep(sweep).pending[0]).toMatchObject({ member: { id }, leftovers: [".run.json.123.456.tmp", CHECKPOINT_FILE] });
    const summary = await runSweep({ dir, runner: fakeRunner([]) });
    expect(summary.complete).toBe(6);
  });

  it("stops on a corrupt member, naming it and telling how to rerun it, without touching it", async () => {
    await runSweep({ dir, runner: fakeRunner([], { crashAt: 3 }) }).catch(() => {});
    const id = sweep.manifest.members[1].id;
    const path = join(memberDir(dir, id), RUN_FILE);
    writeFileSync(path, '{"format": "vesicle-run", "vers');
    const before = snapshot(id);

    const seen: TrainJob[] = [];
    const e = await rejection(runSweep({ dir, runner: fakeRunner(seen) }));
    expect(e.code).toBe("corrupt-member");
    expect(e.message).toContain(`member ${id}`);
    expect(e.message).toMatch(/corrupt or truncated/);
    expect(e.message).toMatch(/To rerun it, move its run dir out of/);
    expect(seen).toEqual([]);
    expect(snapshot(id)).toEqual(before);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    // Skipping it finishes the rest and still leaves it alone.
    const summary = await runSweep({ dir, runner: fakeRunner(seen), skipCorrupt: true });
    expect(seen.map((j) => j.id)).not.toContain(id);
    expect(summary.corrupt.map((c) => c.member.id)).toEqual([id]);
    expect(summary.complete).toBe(5);
    expect(summary.rows.map((r) => r.member_id)).not.toContain(id);
    expect(snapshot(id)).toEqual(before);
  });

  it("treats a run dir of another spec, or one without final metrics, as corrupt", async () => {
    await runSweep({ dir, runner: fakeRunner([]) });
    const [a, b] = sweep.manifest.members;
    const ra = JSON.parse(readFileSync(join(memberDir(dir, a.id), RUN_FILE), "utf8"));
    ra.spec.training.epochs = 99;
    writeFileSync(join(memberDir(dir, a.id), RUN_FILE), JSON.stringify(ra));
    const rb = JSON.parse(readFileSync(join(memberDir(dir, b.id), RUN_FILE), "utf8"));
    delete rb.final;
    writeFileSync(join(memberDir(dir, b.id), RUN_FILE), JSON.stringify(rb));
    const corrupt = planSweep(sweep).corrupt;
    expect(corrupt.map((c) => c.member.id)).toEqual([a.id, b.id]);
    expect(corrupt[0].reason).toMatch(/different spec/);
    expect(corrupt[1].reason).toMatch(/no final metrics/);
    expect(collectResults(dir).rows).toHaveLength(4);
  });

  it("reports failures, keeps diverged members finished, and resumes a failed one next time", async () => {
    const ids = sweep.manifest.members.map((m) => m.id);
    const events: SweepEvent[] = [];
    const summary = await runSweep({
      dir,
      runner: fakeRunner([], { fail: new Set([ids[0]]), diverge: new Set([ids[1]]) }),
      onEvent: (e) => events.push(e),
    });
    expect(summary.failed).toEqual([
      { id: ids[0], error: "backend exploded", code: "boom" },
      { id: ids[1], error: "training diverged", code: "diverged" },
    ]);
    expect(summary.diverged).toEqual([ids[1]]);
    expect(summary.unfinished).toEqual([ids[0]]);
    expect(events.filter((e) => e.kind === "member-failed").map((e) => e.progress.failed)).toEqual([1, 2]);

    const seen: TrainJob[] = [];
    const again = await runSweep({ dir, runner: fakeRunner(seen) });
    expect(seen.map((j) => [j.id, j.resume])).toEqual([[ids[0], true]]);
    expect(again).toMatchObject({ complete: 5, diverged: [ids[1]], unfinished: [] });
  });

  it("refuses to run while another live process holds the sweep, and takes over a dead one's lock", async () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: (await import("node:os")).hostname(), started: "earlier" }));
    const e = await rejection(runSweep({ dir, runner: fakeRunner([]) }));
    expect(e.code).toBe("locked");
    expect(e.message).toContain(`pid ${process.pid}`);

    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: (await import("node:os")).hostname(), started: "earlier" }));
    expect((await runSweep({ dir, runner: fakeRunner([]) })).complete).toBe(6);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe("ProgressTracker", () => {
  it("estimates the time left from finished members' wall times and the worker count", () => {
    let t = 0;
    const p = new ProgressTracker(10, 1, 8, 20, 2, () => t);
    expect(p.progress()).toEqual({ total: 20, complete: 10, failed: 1, remaining: 8 });
    p.start("a");
    p.start("b");
    t = 30_000;
    const a = p.finish("a", { ok: true, record: {} as RunRecord });
    expect(a.wallSeconds).toBe(30);
    // 7 left × 30 s / 2 workers.
    expect(a.progress).toEqual({ total: 20, complete: 11, failed: 1, remaining: 7, etaSeconds: 105 });
    p.start("c");
    t = 40_000;
    const b = p.finish("b", { ok: false, error: "x", code: "y" });
    expect(b.wallSeconds).toBe(40);
    expect(b.progress).toEqual({ total: 20, complete: 11, failed: 2, remaining: 6, etaSeconds: (6 * 35) / 2 });
  });
});
