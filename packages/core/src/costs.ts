/**
 * Cost terms: the magnitude cost (Eq. 3) on μ and the reliability cost (Eq. 4) on σ.
 *
 * A cost term is per-synapse and separable: the total is Σ_i value(x_i). Plugins implement
 * {@link CostPlugin} and are registered by name in a {@link CostRegistry}; no backend changes.
 * Built-ins also carry a {@link ClosedForm} so a fast backend can compute them inside its kernel;
 * any other term takes the generic path (value/derivative applied to the σ or μ buffer).
 */
import { VesicleError, check } from "./errors.js";
import type { CostSpec, ObjectiveSpec } from "./spec.js";

/** What a cost acts on: σ (reliability) or μ (magnitude). */
export type CostTarget = "sigma" | "mu";

/** Forms a backend may compute natively: c·x^-ρ, or λ·|x|. */
export type ClosedForm = { readonly kind: "power"; readonly rho: number; readonly c: number } | { readonly kind: "l1"; readonly lambda: number };

export interface CostTerm {
  /** Registry name of the plugin that made it. */
  readonly name: string;
  readonly target: CostTarget;
  /** Cost of one synapse whose σ (or μ) is `x`. */
  value(x: number): number;
  /** d value / dx. */
  derivative(x: number): number;
  /** Present when the term is one of the forms a backend can fuse. */
  readonly closedForm?: ClosedForm;
}

/** A named factory of cost terms: what a library user writes to add a cost. */
export interface CostPlugin {
  readonly name: string;
  readonly target: CostTarget;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** Parameter names with defaults; a parameter without a default must be given. */
  readonly params: Readonly<Record<string, { readonly description: string; readonly default?: number }>>;
  /** Builds the term; validate params here and throw a VesicleError naming the bad one. */
  create(params: Readonly<Record<string, number>>): CostTerm;
}

/** Plugins keyed by name. Built-ins come from `@vesicle/costs`; users add their own with `register`. */
export class CostRegistry {
  private readonly plugins = new Map<string, CostPlugin>();

  register(plugin: CostPlugin): this {
    check(!this.plugins.has(plugin.name), `a cost named "${plugin.name}" is already registered`, "duplicate-cost");
    this.plugins.set(plugin.name, plugin);
    return this;
  }

  has(name: string): boolean {
    return this.plugins.has(name);
  }

  get(name: string): CostPlugin {
    const p = this.plugins.get(name);
    if (!p) throw new VesicleError(`unknown cost "${name}"; known: ${this.names().join(", ")}`, "unknown-cost");
    return p;
  }

  names(): string[] {
    return [...this.plugins.keys()];
  }

  list(): CostPlugin[] {
    return [...this.plugins.values()];
  }

  /** Resolves a named spec into a term, filling defaults and rejecting unknown parameters. */
  create(spec: CostSpec): CostTerm {
    const plugin = this.get(spec.name);
    for (const k of Object.keys(spec.params))
      check(k in plugin.params, `cost "${spec.name}" has no parameter "${k}"; it takes: ${Object.keys(plugin.params).join(", ")}`);
    const params: Record<string, number> = {};
    for (const [k, p] of Object.entries(plugin.params)) {
      const v = spec.params[k] ?? p.default;
      check(v !== undefined, `cost "${spec.name}" needs parameter "${k}" (${p.description})`);
      params[k] = v;
    }
    return plugin.create(params);
  }
}

/** An objective whose cost terms are resolved, ready for a backend. */
export interface ResolvedObjective {
  readonly reliability: readonly CostTerm[];
  readonly magnitude: readonly CostTerm[];
}

export function resolveObjective(spec: ObjectiveSpec, registry: CostRegistry): ResolvedObjective {
  const reliability = spec.reliability.map((c) => registry.create(c));
  const magnitude = spec.magnitude.map((c) => registry.create(c));
  for (const t of reliability) check(t.target === "sigma", `cost "${t.name}" acts on μ; it cannot be a reliability cost`);
  for (const t of magnitude) check(t.target === "mu", `cost "${t.name}" acts on σ; it cannot be a magnitude cost`);
  return { reliability, magnitude };
}
