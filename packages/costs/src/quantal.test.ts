import { VesicleError } from "@vesicle/core";
import { describe, expect, it } from "vitest";
import { quantalMoments, releaseOdds, synapseWithFixedN, synapseWithFixedP } from "./quantal.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("quantal model (Eq. 1)", () => {
  it("gives μ = npq and σ² = np(1-p)q²", () => {
    const m = quantalMoments({ n: 10, p: 0.3, q: 0.2 });
    expect(m.mu).toBeCloseTo(0.6, 14);
    expect(m.sigma).toBeCloseTo(Math.sqrt(10 * 0.3 * 0.7 * 0.04), 14);
    const inhibitory = quantalMoments({ n: 4, p: 0.5, q: -1 });
    expect(inhibitory).toEqual({ mu: -2, sigma: 1 });
  });

  const synapses = [
    { n: 1, p: 0.5, q: 1 },
    { n: 10, p: 0.3, q: 0.02 },
    { n: 200, p: 0.01, q: 3e-4 },
    { n: 3, p: 0.99, q: -0.7 },
    { n: 0.4, p: 1e-4, q: 50 },
  ];

  it.each(synapses)("(n, p, q) → (μ, σ) → (n, p, q) round trips for %o", (s) => {
    const { mu, sigma } = quantalMoments(s);
    const byN = synapseWithFixedN(mu, sigma, s.n);
    expect(rel(byN.p, s.p)).toBeLessThan(1e-12);
    expect(rel(byN.q, s.q)).toBeLessThan(1e-12);
    const byP = synapseWithFixedP(mu, sigma, s.p);
    expect(rel(byP.n, s.n)).toBeLessThan(1e-12);
    expect(rel(byP.q, s.q)).toBeLessThan(1e-12);
  });

  it("(μ, σ) → synapse → (μ, σ) round trips, both ways of holding", () => {
    for (const mu of [1e-3, 0.1, -0.4, 5]) {
      for (const sigma of [1e-4, 1e-2, 1, 10]) {
        for (const s of [synapseWithFixedN(mu, sigma, 7), synapseWithFixedP(mu, sigma, 0.25)]) {
          const m = quantalMoments(s);
          expect(rel(m.mu, mu)).toBeLessThan(1e-12);
          // σ needs 1 - p, which loses about ε/(1 - p) relatively as p → 1 (fixed n, σ ≪ |μ|).
          expect(rel(m.sigma, sigma)).toBeLessThan(1e-12 + 1e-15 / (1 - s.p));
        }
      }
    }
  });

  it("odds of release are μ²/(nσ²) exactly at fixed n", () => {
    const s = synapseWithFixedN(0.3, 0.05, 12);
    expect(rel(releaseOdds(s), (0.3 * 0.3) / (12 * 0.05 * 0.05))).toBeLessThan(1e-13);
  });

  it.each([
    [() => synapseWithFixedN(0, 1, 5), /"mu".*got 0/],
    [() => synapseWithFixedN(1, 0, 5), /"sigma".*got 0/],
    [() => synapseWithFixedN(1, -1, 5), /"sigma".*got -1/],
    [() => synapseWithFixedN(1, 1, 0), /"n".*got 0/],
    [() => synapseWithFixedP(1, 1, 1), /"p".*between 0 and 1, got 1/],
    [() => synapseWithFixedP(1, 1, NaN), /"p".*got NaN/],
    [() => quantalMoments({ n: 2, p: 0, q: 1 }), /"p".*got 0/],
    [() => quantalMoments({ n: 2, p: 0.5, q: 0 }), /"q".*got 0/],
  ])("rejects bad input %#", (fn, message) => {
    expect(fn).toThrow(VesicleError);
    expect(fn).toThrow(message);
  });
});
