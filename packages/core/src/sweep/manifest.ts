/**
 * The sweep dir and its manifest, sweep.json: which grid, which base spec and which members a sweep
 * holds. Written once when the sweep is created and never changed, so a dir holds exactly one grid.
 *
 * Layout: `sweep.json`, `members/<id>/` (a run dir each, as `vesicle train` makes), `results.csv`,
 * `results.json`, and `sweep.lock` while a process runs the sweep.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { VesicleError } from "../errors.js";
import { readJson, writeJsonAtomic } from "../files.js";
import { defineExperiment, deepFreeze, validateExperiment, type ExperimentInput, type ExperimentSpec } from "../spec.js";
import { expandGrid, mechanismTable, plainMechanism, resolveGrid, type SweepMechanism, type ResolvedGrid, type SweepGrid, type SweepMember } from "./grid.js";

export const SWEEP_FORMAT = "vesicle-sweep";
export const SWEEP_VERSION = 1;
export const SWEEP_FILE = "sweep.json";
export const MEMBERS_DIR = "members";

export interface SweepManifest {
  readonly format: typeof SWEEP_FORMAT;
  readonly version: number;
  /** ISO 8601 time the sweep was created. */
  readonly created: string;
  readonly grid: ResolvedGrid;
  /** The mechanisms the grid uses, with their ρ. */
  readonly mechanisms: readonly SweepMechanism[];
  /** The base spec every member starts from (defaults filled in when the sweep was created). */
  readonly base: ExperimentSpec;
  readonly members: readonly SweepMember[];
}

/** An opened, validated sweep. */
export interface Sweep {
  readonly dir: string;
  readonly manifest: SweepManifest;
}

/** Where a member's run dir lives. */
export function memberDir(sweepDir: string, id: string): string {
  return join(sweepDir, MEMBERS_DIR, id);
}

/** What {@link createSweep} returns: the sweep and whether it was already there. */
export interface CreatedSweep extends Sweep {
  /** True when `dir` already held this very sweep (same grid, base and mechanisms): nothing was written. */
  readonly existed: boolean;
}

/**
 * Creates a sweep in `dir` (made if missing) and writes sweep.json. If `dir` already holds the same
 * sweep it is returned as it is, so running the same command twice resumes; a dir holding anything
 * else (another sweep, other files) is refused, so grids never mix and nothing is overwritten.
 */
export function createSweep(dir: string, grid: SweepGrid, base: ExperimentInput, mechanisms: readonly SweepMechanism[]): CreatedSweep {
  const members = expandGrid(grid, base, mechanisms);
  const resolved = resolveGrid(grid, mechanisms);
  const table = mechanismTable(mechanisms);
  const manifest: SweepManifest = {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    created: new Date().toISOString(),
    grid: resolved,
    mechanisms: resolved.mechanisms.map((name) => plainMechanism(table.get(name)!)),
    base: defineExperiment(base),
    members,
  };
  if (existsSync(join(dir, SWEEP_FILE))) {
    const existing = openSweep(dir);
    const difference = describeDifference(existing.manifest, manifest);
    if (difference)
      throw new VesicleError(
        `${dir} already holds a different sweep (${difference}). A sweep dir holds one grid only: choose another directory, or resume the existing sweep as it is. Nothing was changed.`,
        "sweep-mismatch",
      );
    return { ...existing, existed: true };
  }
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new VesicleError(`${dir} is not empty and holds no ${SWEEP_FILE}; choose an empty or new directory for the sweep (nothing was changed)`, "dir-exists");
  mkdirSync(join(dir, MEMBERS_DIR), { recursive: true });
  writeJsonAtomic(join(dir, SWEEP_FILE), manifest);
  return { dir, manifest: deepFreeze(manifest), existed: false };
}

/** Reads and validates `dir/sweep.json`; an absent, corrupt or incompatible manifest is a clear {@link VesicleError}. */
export function openSweep(dir: string): Sweep {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) throw new VesicleError(`${dir} holds no sweep (no ${SWEEP_FILE}); create one first`, "no-sweep");
  const m = readJson(path, "sweep manifest") as SweepManifest;
  if (m === null || typeof m !== "object" || m.format !== SWEEP_FORMAT)
    throw new VesicleError(`${path} is not a vesicle sweep manifest (format "${(m as { format?: unknown })?.format}")`, "bad-sweep");
  if (m.version !== SWEEP_VERSION)
    throw new VesicleError(
      `${path} was written by an incompatible vesicle (sweep format version ${m.version}; this one reads version ${SWEEP_VERSION}). Use a matching vesicle to resume it, or start a new sweep in another directory.`,
      "incompatible-sweep",
    );
  const bad = (what: string): never => {
    throw new VesicleError(`${path} is damaged: ${what}`, "bad-sweep");
  };
  if (!m.grid || !Array.isArray(m.grid.c) || !Array.isArray(m.grid.mechanisms)) bad("the grid is missing");
  if (!Array.isArray(m.mechanisms)) bad("the mechanism list is missing");
  if (!Array.isArray(m.members) || m.members.length === 0) bad("it lists no members");
  try {
    validateExperiment(m.base);
  } catch (e) {
    bad(`the base spec is invalid: ${(e as Error).message}`);
  }
  const ids = new Set<string>();
  for (const member of m.members) {
    // Ids become paths: a hand-edited id must not escape the members dir.
    if (typeof member?.id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(member.id) || member.id.includes(".."))
      bad(`member id ${JSON.stringify(member?.id)} is not a valid name`);
    if (ids.has(member.id)) bad(`member ${member.id} is listed twice`);
    ids.add(member.id);
    try {
      validateExperiment(member.spec);
    } catch (e) {
      bad(`member ${member.id} has an invalid spec: ${(e as Error).message}`);
    }
  }
  return { dir, manifest: deepFreeze(m) };
}

/** JSON with object keys sorted, so equal values compare equal whatever order their keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A short description of how two manifests differ in substance (`created` ignored), or undefined if they do not. */
function describeDifference(old: SweepManifest, wanted: SweepManifest): string | undefined {
  const oldMembers = new Map(old.members.map((m) => [m.id, m]));
  const newMembers = new Map(wanted.members.map((m) => [m.id, m]));
  const added = wanted.members.filter((m) => !oldMembers.has(m.id)).map((m) => m.id);
  const dropped = old.members.filter((m) => !newMembers.has(m.id)).map((m) => m.id);
  const changed = wanted.members.filter((m) => oldMembers.has(m.id) && canonicalJson(oldMembers.get(m.id)) !== canonicalJson(m)).map((m) => m.id);
  const parts: string[] = [];
  const list = (ids: string[]) => `${ids.length} (e.g. ${ids[0]})`;
  if (added.length) parts.push(`new members not in it: ${list(added)}`);
  if (dropped.length) parts.push(`its members missing from the new grid: ${list(dropped)}`);
  if (changed.length) parts.push(`members with a different spec: ${list(changed)}`);
  if (!parts.length && canonicalJson(old.base) !== canonicalJson(wanted.base)) parts.push("a different base spec");
  if (!parts.length && canonicalJson([old.grid, old.mechanisms]) !== canonicalJson([wanted.grid, wanted.mechanisms])) parts.push("a different grid");
  return parts.length ? parts.join("; ") : undefined;
}
