/**
 * The table behind Figs. 2 and 3 of Malkin et al. (eLife 2024): one row per trained network, and the
 * pure helpers that validate it, group it into columns (one per biophysical mechanism) and average
 * the seeds of each (mechanism, noise, c) cell.
 */
import { VesicleError } from "@vesicle/core";

/** How synaptic noise is parameterised: one σ per synapse, or one σ shared by all (paper, Fig. 2). */
export type NoiseSetting = "heterogeneous" | "homogeneous";

/** The noise settings in drawing order (homogeneous first, so the green heterogeneous lines lie on top). */
export const NOISE_SETTINGS: readonly NoiseSetting[] = ["homogeneous", "heterogeneous"];

/** One trained network of a c-sweep. */
export interface TradeoffPoint {
  /** Mechanism (reliability cost) name, e.g. `"calcium-efflux"`. */
  mechanism: string;
  /** Power-law exponent ρ of the reliability cost c·σ^-ρ. */
  rho: number;
  /** Reliability-cost multiplier c (Eq. 4). */
  c: number;
  noise: NoiseSetting;
  seed: number;
  /** Test accuracy with one sample of the noisy weights (what the paper plots in Figs. 2-3), in [0, 1]. */
  accuracy: number;
  /** RMS σ over synapses. */
  sigma: number;
  /** Reliability cost Σ_i σ_i^-ρ / ρ at s = 1 (Fig. 3); Infinity when some σ_i = 0. */
  reliabilityCost: number;
}

/** A column of Figs. 2-3. */
export interface MechanismInfo {
  /** The name used in {@link TradeoffPoint.mechanism}. */
  name: string;
  /** Column header, e.g. `"Calcium efflux"`. */
  label: string;
  rho: number;
}

/** The four biophysical mechanisms of the paper, in column order (ascending ρ). */
export const PAPER_MECHANISMS: readonly MechanismInfo[] = Object.freeze([
  { name: "calcium-efflux", label: "Calcium efflux", rho: 1 / 2 },
  { name: "vesicle-membrane", label: "Vesicle membrane", rho: 2 / 3 },
  { name: "actin", label: "Actin", rho: 4 / 3 },
  { name: "trafficking", label: "Trafficking", rho: 2 },
]);

/** Line colours: heterogeneous green and homogeneous grey, as in the paper. */
export const NOISE_COLORS: Readonly<Record<NoiseSetting, string>> = Object.freeze({
  heterogeneous: "#2a9d3f",
  homogeneous: "#8c8c8c",
});

export const NOISE_LABELS: Readonly<Record<NoiseSetting, string>> = Object.freeze({
  heterogeneous: "Heterogeneous noise (σ per synapse)",
  homogeneous: "Homogeneous noise (one shared σ)",
});

/** A (mechanism, noise, c) cell: the mean over its seeds, and the seeds themselves. */
export interface TradeoffMean {
  mechanism: string;
  rho: number;
  c: number;
  noise: NoiseSetting;
  /** Number of seeds averaged. */
  n: number;
  accuracy: number;
  sigma: number;
  reliabilityCost: number;
  points: TradeoffPoint[];
}

/** A column with its rows (possibly none). */
export interface MechanismColumn {
  info: MechanismInfo;
  points: TradeoffPoint[];
  /** Cell means, grouped by noise setting and sorted by c. */
  means: Record<NoiseSetting, TradeoffMean[]>;
}

/** Normalises a mechanism name so "Calcium efflux", "calcium_efflux" and "calcium-efflux" match. */
export function mechanismKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

/** ρ as the paper writes it: 1/2, 2/3, 4/3, 2; other values with up to 3 decimals. */
export function formatRho(rho: number): string {
  for (let den = 1; den <= 12; den++) {
    const num = Math.round(rho * den);
    if (num !== 0 && Math.abs(num / den - rho) < 1e-9) return den === 1 ? String(num) : `${num}/${den}`;
  }
  return String(Number(rho.toFixed(3)));
}

/** Throws a {@link VesicleError} naming the first bad row; `figure` names the caller in the message. */
export function validateTradeoffPoints(points: readonly TradeoffPoint[], figure: string): void {
  if (!Array.isArray(points)) throw new VesicleError(`${figure}: expected an array of tradeoff points`, "bad-data");
  if (points.length === 0)
    throw new VesicleError(`${figure}: no data; the tradeoff table is empty (train a c-sweep first)`, "no-data");
  const rhoByMechanism = new Map<string, number>();
  points.forEach((p, i) => {
    const bad = (what: string) => new VesicleError(`${figure}: row ${i}: ${what}`, "bad-data");
    if (p === null || typeof p !== "object") throw bad("not an object");
    if (typeof p.mechanism !== "string" || p.mechanism.trim() === "") throw bad("mechanism must be a non-empty string");
    if (p.noise !== "heterogeneous" && p.noise !== "homogeneous")
      throw bad(`noise must be "heterogeneous" or "homogeneous", got ${JSON.stringify(p.noise)}`);
    const num = (field: keyof TradeoffPoint, ok: (v: number) => boolean, rule: string, infinite = false) => {
      const v = p[field];
      if (typeof v !== "number" || Number.isNaN(v) || (!infinite && !Number.isFinite(v)) || !ok(v))
        throw bad(`${field} must be ${rule}, got ${String(v)}`);
    };
    num("rho", (v) => v > 0, "a positive number");
    num("c", (v) => v >= 0, "a non-negative number");
    num("seed", Number.isInteger, "an integer");
    num("accuracy", (v) => v >= 0 && v <= 1, "in [0, 1]");
    num("sigma", (v) => v >= 0, "a non-negative number");
    // σ = 0 makes Σ σ^-ρ/ρ infinite; such a run still belongs in Fig. 2 (Fig. 3 leaves it out).
    num("reliabilityCost", (v) => v >= 0, "a non-negative number or Infinity", true);
    const key = mechanismKey(p.mechanism);
    const seen = rhoByMechanism.get(key);
    if (seen !== undefined && Math.abs(seen - p.rho) > 1e-12)
      throw bad(`mechanism "${p.mechanism}" has ρ = ${p.rho}, but an earlier row has ρ = ${seen}`);
    rhoByMechanism.set(key, p.rho);
  });
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Averages the seeds of each (noise, c) cell of one mechanism; the result is sorted by c. */
export function meanOverSeeds(points: readonly TradeoffPoint[]): Record<NoiseSetting, TradeoffMean[]> {
  const out: Record<NoiseSetting, TradeoffMean[]> = { heterogeneous: [], homogeneous: [] };
  for (const noise of NOISE_SETTINGS) {
    const cells = new Map<number, TradeoffPoint[]>();
    for (const p of points) {
      if (p.noise !== noise) continue;
      const cell = cells.get(p.c);
      if (cell) cell.push(p);
      else cells.set(p.c, [p]);
    }
    for (const [c, cell] of [...cells].sort((a, b) => a[0] - b[0])) {
      const sorted = [...cell].sort((a, b) => a.seed - b.seed);
      out[noise].push({
        mechanism: sorted[0].mechanism,
        rho: sorted[0].rho,
        c,
        noise,
        n: sorted.length,
        accuracy: mean(sorted.map((p) => p.accuracy)),
        sigma: mean(sorted.map((p) => p.sigma)),
        reliabilityCost: mean(sorted.map((p) => p.reliabilityCost)),
        points: sorted,
      });
    }
  }
  return out;
}

/**
 * The columns of Figs. 2-3: every mechanism of `known` (even one without rows, drawn as an empty
 * panel) plus any other mechanism in the data, ordered by ρ. A mechanism's ρ comes from its rows
 * when it has any.
 */
export function mechanismColumns(
  points: readonly TradeoffPoint[],
  known: readonly MechanismInfo[] = PAPER_MECHANISMS,
): MechanismColumn[] {
  const byKey = new Map<string, { info: MechanismInfo; points: TradeoffPoint[] }>();
  for (const info of known) byKey.set(mechanismKey(info.name), { info: { ...info }, points: [] });
  const byLabel = new Map([...byKey].map(([k, v]) => [mechanismKey(v.info.label), k]));
  for (const p of points) {
    let key = mechanismKey(p.mechanism);
    if (!byKey.has(key) && byLabel.has(key)) key = byLabel.get(key)!;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { info: { name: p.mechanism, label: p.mechanism, rho: p.rho }, points: [] };
      byKey.set(key, entry);
    }
    entry.info.rho = p.rho;
    entry.points.push(p);
  }
  return [...byKey.values()]
    .map((e, order) => ({ ...e, order }))
    .sort((a, b) => a.info.rho - b.info.rho || a.order - b.order)
    .map(({ info, points }) => ({ info, points, means: meanOverSeeds(points) }));
}
