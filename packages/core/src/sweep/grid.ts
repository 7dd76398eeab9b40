/**
 * The sweep grid of Figs. 2-3: mechanisms (ρ) × reliability-cost multipliers c × noise modes × seeds,
 * and its expansion into members, each a complete {@link ExperimentSpec} with a readable, stable id.
 */
import { VesicleError, check } from "../errors.js";
import { defineExperiment, deepFreeze, type CostSpec, type ExperimentInput, type ExperimentSpec, type NoiseMode } from "../spec.js";

/**
 * A biophysical mechanism: a reliability-cost plugin with its power-law exponent ρ.
 * Core knows no mechanism by name; the caller passes the list. `@vesicle/costs`'s mechanism objects
 * fit as they are (`Object.values(mechanisms)`); only these fields are read and stored.
 */
export interface SweepMechanism {
  /** Name in the grid and in member ids; also the cost plugin's name unless `costName` is set. */
  readonly name: string;
  /** The exponent of σ^-ρ; reported in results and needed for the s = 1 cost of Fig. 3. */
  readonly rho: number;
  /**
   * A different cost plugin to use, e.g. `"power-law"`; it then receives `{ c, rho }` rather than `{ c }`,
   * so one generic plugin can stand in for any ρ.
   */
  readonly costName?: string;
}

/** c values 10^k for k = log10(from), log10(from) + step, … up to `to` (inclusive when on the grid). */
export type LogRange =
  | { readonly from: number; readonly to: number; readonly perDecade: number }
  | { readonly from: number; readonly to: number; readonly step: number };

/** What the user asks for; every field has a default. */
export interface SweepGrid {
  /** SweepMechanism names; default: every mechanism in the list passed alongside. */
  readonly mechanisms?: readonly string[];
  /** Reliability-cost multipliers, as a list or a log range; default {@link DEFAULT_C_VALUES}. */
  readonly c?: readonly number[] | LogRange;
  /** Default: both modes. */
  readonly noise?: readonly NoiseMode[];
  /** Training seeds; default `[0]`. */
  readonly seeds?: readonly number[];
}

/** A grid with every axis spelled out, as stored in sweep.json. */
export interface ResolvedGrid {
  readonly mechanisms: readonly string[];
  readonly c: readonly number[];
  readonly noise: readonly NoiseMode[];
  readonly seeds: readonly number[];
}

/** One training run of the sweep. */
export interface SweepMember {
  /** E.g. `calcium-efflux_c1e-02_heterogeneous_s0`; also the name of its run dir. */
  readonly id: string;
  readonly mechanism: string;
  readonly rho: number;
  readonly c: number;
  readonly noise: NoiseMode;
  readonly seed: number;
  readonly spec: ExperimentSpec;
}

/** Significant digits kept in log-range values, so they are the same on every platform and in every file. */
const LOG_RANGE_DIGITS = 15;

/** The values of a {@link LogRange}, e.g. `{ from: 1e-2, to: 1e4, perDecade: 4 }` → 25 values. */
export function logRange(range: LogRange): number[] {
  const { from, to } = range;
  check(Number.isFinite(from) && from > 0, `log range: from must be a positive finite number, got ${from}`);
  check(Number.isFinite(to) && to > 0, `log range: to must be a positive finite number, got ${to}`);
  check(from <= to, `log range: from (${from}) must not exceed to (${to})`);
  const perDecade = "perDecade" in range ? range.perDecade : 1 / range.step;
  check(
    Number.isFinite(perDecade) && perDecade > 0,
    "perDecade" in range
      ? `log range: perDecade must be a positive number, got ${range.perDecade}`
      : `log range: step (in decades) must be a positive number, got ${(range as { step: number }).step}`,
  );
  const a = Math.log10(from);
  const span = (Math.log10(to) - a) * perDecade;
  // The tolerance keeps `to` when float rounding lands a hair below it.
  const n = Math.floor(span + 1e-9);
  check(n < 10_000, `log range: ${n + 1} values is more than a sweep can hold`);
  const values: number[] = [];
  // Each exponent from k directly (not by repeated addition), so errors do not accumulate.
  for (let k = 0; k <= n; k++) values.push(Number((10 ** (a + k / perDecade)).toPrecision(LOG_RANGE_DIGITS)));
  return values;
}

/** The paper's range of c: 10^-2 to 10^4 in steps of 10^0.25 (25 values). */
export const DEFAULT_C_VALUES: readonly number[] = deepFreeze(logRange({ from: 1e-2, to: 1e4, perDecade: 4 }));

export const NOISE_MODES: readonly NoiseMode[] = deepFreeze(["heterogeneous", "homogeneous"] as NoiseMode[]);

/** Names safe as a path component and unambiguous inside an id (no `_`, the id separator). */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/** `c` in an id: three significant digits, two-digit signed exponent (`1e-02`, `1.78e-02`, `3.16e+00`). */
export function formatC(c: number): string {
  const [mantissa, exponent] = c.toExponential(2).split("e");
  const m = mantissa.replace(/\.?0+$/, "");
  const e = Number(exponent);
  return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** The id (and run-dir name) of a member. */
export function memberId(mechanism: string, c: number, noise: NoiseMode, seed: number): string {
  return `${mechanism}_c${formatC(c)}_${noise}_s${seed}`;
}

/** Checks a mechanism list and indexes it by name. */
export function mechanismTable(mechanisms: readonly SweepMechanism[]): Map<string, SweepMechanism> {
  const table = new Map<string, SweepMechanism>();
  for (const m of mechanisms) {
    check(typeof m.name === "string" && NAME_PATTERN.test(m.name), `mechanism name "${m.name}" must be letters, digits, ".", "+" or "-"`);
    check(Number.isFinite(m.rho) && m.rho > 0, `mechanism "${m.name}": ρ must be a positive finite number, got ${m.rho}`);
    if (m.costName !== undefined) check(typeof m.costName === "string" && m.costName.length > 0, `mechanism "${m.name}": costName must be a name`);
    check(!table.has(m.name), `mechanism "${m.name}" is listed twice`);
    table.set(m.name, m);
  }
  return table;
}

/** Fills the grid's defaults and validates every axis: nothing empty, no duplicates, c > 0 and finite. */
export function resolveGrid(grid: SweepGrid, mechanisms: readonly SweepMechanism[]): ResolvedGrid {
  const table = mechanismTable(mechanisms);
  const names = grid.mechanisms ?? [...table.keys()];
  const c = grid.c === undefined ? DEFAULT_C_VALUES : Array.isArray(grid.c) ? (grid.c as readonly number[]) : logRange(grid.c as LogRange);
  const noise = grid.noise ?? NOISE_MODES;
  const seeds = grid.seeds ?? [0];

  const nonEmpty = (axis: readonly unknown[], what: string) =>
    check(Array.isArray(axis) && axis.length > 0, `the sweep grid is empty: no ${what} given`, "empty-grid");
  nonEmpty(names, "mechanisms");
  nonEmpty(c, "c values");
  nonEmpty(noise, "noise modes");
  nonEmpty(seeds, "seeds");

  for (const name of names)
    check(table.has(name), `unknown mechanism "${name}"; known: ${[...table.keys()].join(", ") || "(none)"}`);
  for (const v of c) check(typeof v === "number" && Number.isFinite(v) && v > 0, `every c must be a positive finite number, got ${v}`);
  for (const n of noise) check(n === "heterogeneous" || n === "homogeneous", `noise mode must be "heterogeneous" or "homogeneous", got "${n}"`);
  for (const s of seeds) check(Number.isInteger(s) && s >= 0 && s <= 0xffffffff, `seed must be an integer in [0, 2^32), got ${s}`);
  noDuplicates(names, "mechanism");
  noDuplicates(c, "c value");
  noDuplicates(noise, "noise mode");
  noDuplicates(seeds, "seed");
  return { mechanisms: [...names], c: [...c], noise: [...noise], seeds: [...seeds] };
}

function noDuplicates(values: readonly unknown[], what: string): void {
  const seen = new Set<unknown>();
  for (const v of values) {
    check(!seen.has(v), `duplicate ${what} ${typeof v === "string" ? `"${v}"` : v} in the sweep grid`, "duplicate-member");
    seen.add(v);
  }
}

/**
 * Every member of the grid, in mechanism, c, noise, seed order. Each member's spec is `base` with the
 * mechanism's reliability cost at that c (replacing any reliability cost in `base`), the noise mode
 * and the seed; everything else (epochs, batch size, train subset, backend, magnitude cost) comes from `base`.
 */
export function expandGrid(grid: SweepGrid, base: ExperimentInput, mechanisms: readonly SweepMechanism[]): SweepMember[] {
  const resolved = resolveGrid(grid, mechanisms);
  const table = mechanismTable(mechanisms);
  const baseSpec = defineExperiment(base);
  const members: SweepMember[] = [];
  const byId = new Map<string, SweepMember>();
  for (const name of resolved.mechanisms) {
    const mechanism = table.get(name)!;
    for (const c of resolved.c)
      for (const noise of resolved.noise)
        for (const seed of resolved.seeds) {
          const id = memberId(name, c, noise, seed);
          const clash = byId.get(id);
          if (clash)
            throw new VesicleError(`c values ${clash.c} and ${c} are too close to tell apart: both give member ${id}`, "duplicate-member");
          const spec = defineExperiment({
            ...baseSpec,
            network: { ...baseSpec.network, noise },
            objective: { ...baseSpec.objective, reliability: [reliabilityCost(mechanism, c)] },
            training: { ...baseSpec.training, seed },
          });
          const member: SweepMember = deepFreeze({ id, mechanism: name, rho: mechanism.rho, c, noise, seed, spec });
          byId.set(id, member);
          members.push(member);
        }
  }
  return members;
}

function reliabilityCost(m: SweepMechanism, c: number): CostSpec {
  return m.costName === undefined ? { name: m.name, params: { c } } : { name: m.costName, params: { c, rho: m.rho } };
}

/** Just the fields a sweep stores (a caller's mechanism object may carry functions and more). */
export function plainMechanism(m: SweepMechanism): SweepMechanism {
  return m.costName === undefined ? { name: m.name, rho: m.rho } : { name: m.name, rho: m.rho, costName: m.costName };
}
