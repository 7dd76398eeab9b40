/**
 * A small seeded stand-in for a c-sweep, shaped like the paper's Figs. 2-3: σ grows with c as
 * c^(1/(2+ρ)), accuracy falls with σ (less for heterogeneous noise), reliability cost = N·σ^-ρ/ρ.
 * Used by the figure snapshot tests and the sample renders; not real training results.
 */
import type { TradeoffPoint } from "../src/figures/tradeoff.js";

/** mulberry32: a tiny deterministic PRNG in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  seed?: number;
  seeds?: number;
  cs?: readonly number[];
  mechanisms?: readonly { name: string; rho: number }[];
}

export const SYNTHETIC_MECHANISMS = [
  { name: "calcium-efflux", rho: 1 / 2 },
  { name: "vesicle-membrane", rho: 2 / 3 },
  { name: "actin", rho: 4 / 3 },
  { name: "trafficking", rho: 2 },
] as const;

const SYNAPSES = 784 * 100 + 100 * 100 + 100 * 10;

export function syntheticSweep(options: SyntheticOptions = {}): TradeoffPoint[] {
  const rand = mulberry32(options.seed ?? 42);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const cs = options.cs ?? [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
  const out: TradeoffPoint[] = [];
  for (const { name, rho } of options.mechanisms ?? SYNTHETIC_MECHANISMS)
    for (const noise of ["heterogeneous", "homogeneous"] as const)
      for (const c of cs)
        for (let seed = 0; seed < (options.seeds ?? 2); seed++) {
          const sigma = (noise === "heterogeneous" ? 0.85 : 1) * 0.2 * c ** (1 / (2 + rho)) * Math.exp(0.05 * gauss());
          const s50 = noise === "heterogeneous" ? 0.3 : 0.12;
          const accuracy = Math.min(1, Math.max(0, 0.1 + 0.88 / (1 + (sigma / s50) ** 2) + 0.003 * gauss()));
          const reliabilityCost = (noise === "heterogeneous" ? 1.3 : 1) * (SYNAPSES * sigma ** -rho) / rho;
          out.push({ mechanism: name, rho, c, noise, seed, accuracy, sigma, reliabilityCost });
        }
  return out;
}
