/**
 * A biophysical mechanism of Appendix 1: a cost paid by the synapse's release machinery that,
 * with μ held by compensating q, grows as σ^-ρ.
 *
 * Each mechanism carries two views of the same cost: the biophysical `energy` of a quantal
 * synapse (computed from n, p and q, so its σ-scaling is derived rather than assumed), and the
 * `plugin` c·σ^-ρ that training uses.
 */
import { check, type CostPlugin } from "@vesicle/core";
import { DEFAULT_RELIABILITY_C, powerLawTerm } from "./power-law.js";
import { DEFAULT_RELEASE_PROBABILITY, DEFAULT_RELEASE_SITES, synapseWithFixedN, synapseWithFixedP, type QuantalSynapse } from "./quantal.js";

/** Which of n, p the mechanism changes; the other is held fixed and q compensates. */
export type ReleaseVariable = "n" | "p";

/** The held quantal variable: `n` for a mechanism that varies p, `p` for one that varies n. */
export interface HeldRelease {
  readonly n?: number;
  readonly p?: number;
}

export interface Mechanism {
  /** Registry name of its cost plugin, also the CLI's `--mechanism` value. */
  readonly name: string;
  /** Exponent of the cost ∝ σ^-ρ it implies. */
  readonly rho: number;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** The release variable it changes. */
  readonly varies: ReleaseVariable;
  /** The c·σ^-ρ reliability cost plugin (param c, default {@link DEFAULT_RELIABILITY_C}). */
  readonly plugin: CostPlugin;
  /** The quantal synapse with mean μ ≠ 0 and std σ > 0, with `held` (or its default) fixed. */
  synapse(sigma: number, mu: number, held?: HeldRelease): QuantalSynapse;
  /** Energy, in arbitrary units (proportionality constants 1), of that synapse. */
  energy(sigma: number, mu: number, held?: HeldRelease): number;
}

/** What a mechanism file supplies; {@link defineMechanism} does the rest. */
export interface MechanismDefinition {
  readonly name: string;
  readonly rho: number;
  readonly summary: string;
  readonly varies: ReleaseVariable;
  /** The biophysical energy of a synapse, from n, p, q alone (never from σ directly). */
  readonly energyOf: (synapse: QuantalSynapse) => number;
}

/** A `CostPlugin` for c·σ^-ρ with a fixed ρ, named `name`. */
export function mechanismPlugin(name: string, rho: number, summary: string): CostPlugin {
  return Object.freeze({
    name,
    target: "sigma" as const,
    summary,
    params: Object.freeze({
      c: { description: "multiplier c ≥ 0 (Eq. 4; c = s^ρ/ρ, Eq. 48)", default: DEFAULT_RELIABILITY_C },
    }),
    create: (params: Readonly<Record<string, number>>) => powerLawTerm(params.c, rho, name),
  });
}

/** Builds a {@link Mechanism} from its biophysical energy. */
export function defineMechanism(def: MechanismDefinition): Mechanism {
  const synapse = (sigma: number, mu: number, held: HeldRelease = {}): QuantalSynapse => {
    if (def.varies === "p") {
      // p varies, so a held p would contradict the mechanism; say so rather than ignore it.
      check(held.p === undefined, `mechanism "${def.name}" varies p and holds n; it cannot take a fixed p (got ${held.p})`);
      return synapseWithFixedN(mu, sigma, held.n ?? DEFAULT_RELEASE_SITES);
    }
    check(held.n === undefined, `mechanism "${def.name}" varies n and holds p; it cannot take a fixed n (got ${held.n})`);
    return synapseWithFixedP(mu, sigma, held.p ?? DEFAULT_RELEASE_PROBABILITY);
  };
  return Object.freeze({
    name: def.name,
    rho: def.rho,
    summary: def.summary,
    varies: def.varies,
    plugin: mechanismPlugin(def.name, def.rho, def.summary),
    synapse,
    energy: (sigma: number, mu: number, held?: HeldRelease) => def.energyOf(synapse(sigma, mu, held)),
  });
}
