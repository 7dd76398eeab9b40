import { VesicleError } from "@vesicle/core";
import { describe, expect, it } from "vitest";
import { cFromS, powerLawCost, powerLawTerm, sFromC } from "./power-law.js";

/** n points log-spaced from lo to hi inclusive. */
function logspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / (n - 1)));
}

/** Central difference with a step relative to x, so it stays accurate from 1e-4 to 10. */
function centralDifference(f: (x: number) => number, x: number): number {
  const h = 1e-5 * Math.abs(x);
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe("power-law cost", () => {
  it("has value c·σ^-ρ", () => {
    const t = powerLawTerm(2, 2);
    expect(t.value(0.5)).toBeCloseTo(8, 12);
    expect(t.value(1)).toBe(2);
    expect(powerLawTerm(0.01, 0.5).value(4)).toBeCloseTo(0.005, 15);
    expect(powerLawTerm(3, 4 / 3).value(8)).toBeCloseTo(3 / 16, 14);
    expect(powerLawTerm(0, 2).value(1e-3)).toBe(0);
  });

  for (const rho of [0.5, 2 / 3, 4 / 3, 2, 3.7]) {
    it(`derivative matches central differences for ρ = ${rho.toFixed(3)} over σ ∈ [1e-4, 10]`, () => {
      const t = powerLawTerm(0.03, rho);
      for (const sigma of logspace(1e-4, 10, 41)) {
        const fd = centralDifference((s) => t.value(s), sigma);
        // Truncation error ~ (1e-5)²·ρ², rounding ~ 1e-16/1e-5: both far below 1e-7.
        expect(Math.abs(t.derivative(sigma) - fd) / Math.abs(fd)).toBeLessThan(1e-7);
        expect(t.derivative(sigma)).toBeLessThan(0);
      }
    });
  }

  it("carries a closed form a backend can fuse", () => {
    const t = powerLawTerm(0.02, 1.5);
    expect(t.closedForm).toEqual({ kind: "power", rho: 1.5, c: 0.02 });
    expect(t.target).toBe("sigma");
    expect(t.name).toBe("power-law");
    expect(powerLawTerm(1, 2, "mine").name).toBe("mine");
  });

  it("plugin needs rho, defaults c to 0.01", () => {
    expect(powerLawCost.params.rho.default).toBeUndefined();
    expect(powerLawCost.params.c.default).toBe(0.01);
    expect(powerLawCost.create({ c: 0.5, rho: 3 }).value(2)).toBeCloseTo(0.0625, 15);
  });

  it.each([
    [{ c: -1, rho: 2 }, /"c".*≥ 0, got -1/],
    [{ c: NaN, rho: 2 }, /"c".*got NaN/],
    [{ c: Infinity, rho: 2 }, /"c".*got Infinity/],
    [{ c: 1, rho: 0 }, /"rho".*> 0, got 0/],
    [{ c: 1, rho: -0.5 }, /"rho".*> 0, got -0.5/],
    [{ c: 1, rho: NaN }, /"rho".*got NaN/],
  ])("rejects %o", (params, message) => {
    expect(() => powerLawCost.create(params)).toThrow(VesicleError);
    expect(() => powerLawCost.create(params)).toThrow(message);
    expect(() => powerLawCost.create(params)).toThrow(/cost "power-law"/);
  });
});

describe("s-parameterisation (Appendix 4, Eqs. 41-48)", () => {
  it("c = s^ρ/ρ and back", () => {
    expect(cFromS(1, 2)).toBe(0.5);
    expect(cFromS(0.001, 0.5)).toBeCloseTo(Math.sqrt(0.001) / 0.5, 15);
    for (const rho of [0.5, 2 / 3, 4 / 3, 2]) for (const s of [1e-4, 1e-3, 0.1, 1, 3]) expect(sFromC(cFromS(s, rho), rho) / s).toBeCloseTo(1, 12);
  });

  it("c·σ^-ρ - 1/ρ - ½log(2πe s²) bounds the negative entropy -½log(2πe σ²), tight at σ = s", () => {
    for (const rho of [0.5, 2 / 3, 4 / 3, 2]) {
      const s = 0.05;
      const t = powerLawTerm(cFromS(s, rho), rho);
      const bound = (sigma: number) => t.value(sigma) - 1 / rho - 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
      const negEntropy = (sigma: number) => -0.5 * Math.log(2 * Math.PI * Math.E * sigma * sigma);
      for (const sigma of logspace(1e-4, 10, 31)) expect(bound(sigma)).toBeGreaterThanOrEqual(negEntropy(sigma) - 1e-12);
      expect(bound(s)).toBeCloseTo(negEntropy(s), 12);
      expect(bound(2 * s) - negEntropy(2 * s)).toBeGreaterThan(1e-3);
    }
  });

  it("rejects s ≤ 0", () => {
    expect(() => cFromS(0, 2)).toThrow(/"s".*got 0/);
  });
});
