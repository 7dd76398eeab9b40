import { VesicleError } from "@vesicle/core";
import { describe, expect, it } from "vitest";
import { mechanisms } from "./index.js";
import { actin } from "./mechanisms/actin.js";
import { calciumEfflux } from "./mechanisms/calcium-efflux.js";
import { trafficking } from "./mechanisms/trafficking.js";
import { vesicleMembrane } from "./mechanisms/vesicle-membrane.js";
import type { HeldRelease, Mechanism } from "./mechanism.js";

function logspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / (n - 1)));
}

/** Least-squares slope of log y on log x, and the largest residual. */
function logLogFit(xs: number[], ys: number[]): { slope: number; maxResidual: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  const maxResidual = Math.max(...lx.map((x, i) => Math.abs(ly[i] - my - slope * (x - mx))));
  return { slope, maxResidual };
}

const all = Object.values(mechanisms);
const expectedRho: Record<string, number> = { "calcium-efflux": 1 / 2, "vesicle-membrane": 2 / 3, actin: 4 / 3, trafficking: 2 };

describe("mechanisms", () => {
  it("are the paper's four, keyed by their plugin names, with the paper's ρ", () => {
    expect(Object.keys(mechanisms)).toEqual(["calcium-efflux", "vesicle-membrane", "actin", "trafficking"]);
    for (const [name, m] of Object.entries(mechanisms)) {
      expect(m.name).toBe(name);
      expect(m.plugin.name).toBe(name);
      expect(m.rho).toBe(expectedRho[name]);
    }
  });

  describe.each(all.map((m) => [m.name, m] as [string, Mechanism]))("%s", (_name, m) => {
    const helds: HeldRelease[] = m.varies === "n" ? [{}, { p: 0.05 }, { p: 0.9 }] : [{}, { n: 1 }, { n: 300 }];

    // Membrane, actin and trafficking are exact power laws of σ (n ∝ σ^-2, q ∝ σ² at fixed p), and
    // so is calcium efflux (odds = μ²/(nσ²) exactly), so the only error is rounding. The worst is
    // calcium efflux's 1 - p as p → 1 (σ = 1e-4, n = 300: 1 - p ≈ 3e-6, relative error ≈ 1e-16/3e-6),
    // i.e. ≲ 1e-10 in log energy; 1e-8 leaves margin and still catches any wrong exponent.
    it.each(helds)("log-energy vs log-σ has slope -ρ over σ ∈ [1e-4, 10], holding %o", (held) => {
      for (const mu of [0.01, 0.3, -2]) {
        const sigmas = logspace(1e-4, 10, 50);
        const fit = logLogFit(
          sigmas,
          sigmas.map((s) => m.energy(s, mu, held)),
        );
        expect(Math.abs(fit.slope + m.rho)).toBeLessThan(1e-8);
        expect(fit.maxResidual).toBeLessThan(1e-8);
      }
    });

    it("keeps μ fixed and σ right while the release variable moves", () => {
      for (const sigma of [1e-3, 0.1, 2]) {
        const s = m.synapse(sigma, 0.4);
        const sigmaOf = Math.sqrt(s.n * s.p * (1 - s.p)) * Math.abs(s.q);
        expect(s.n * s.p * s.q).toBeCloseTo(0.4, 12);
        // 1 - p costs about ε/(1 - p) of relative precision as p → 1.
        expect(Math.abs(sigmaOf / sigma - 1)).toBeLessThan(1e-12 + 1e-15 / (1 - s.p));
      }
      const a = m.synapse(0.01, 0.4);
      const b = m.synapse(0.02, 0.4);
      if (m.varies === "n") {
        expect(a.p).toBe(b.p);
        expect(a.n / b.n).toBeCloseTo(4, 10);
      } else {
        expect(a.n).toBe(b.n);
        expect(a.p).toBeGreaterThan(b.p);
      }
    });

    it("plugin: c·σ^-ρ with default c = 0.01 and a derivative matching central differences", () => {
      expect(m.plugin.params.c.default).toBe(0.01);
      expect(Object.keys(m.plugin.params)).toEqual(["c"]);
      const t = m.plugin.create({ c: 0.2 });
      expect(t.name).toBe(m.name);
      expect(t.closedForm).toEqual({ kind: "power", rho: m.rho, c: 0.2 });
      expect(t.value(0.25)).toBeCloseTo(0.2 * Math.pow(4, m.rho), 13);
      for (const sigma of logspace(1e-4, 10, 25)) {
        const h = 1e-5 * sigma;
        const fd = (t.value(sigma + h) - t.value(sigma - h)) / (2 * h);
        expect(Math.abs(t.derivative(sigma) - fd) / Math.abs(fd)).toBeLessThan(1e-7);
      }
    });

    it.each([[-0.01], [NaN], [Infinity]])("rejects c = %s naming the parameter", (c) => {
      expect(() => m.plugin.create({ c })).toThrow(VesicleError);
      expect(() => m.plugin.create({ c })).toThrow(`cost "${m.name}": parameter "c" must be a finite number ≥ 0, got ${c}`);
    });

    it("rejects holding the variable it changes", () => {
      const wrong = m.varies === "n" ? { n: 5 } : { p: 0.5 };
      expect(() => m.energy(0.1, 1, wrong)).toThrow(VesicleError);
      expect(() => m.energy(0.1, 1, wrong)).toThrow(new RegExp(`"${m.name}" varies ${m.varies}`));
    });
  });

  it("calcium efflux equals Eq. 12-13 in closed form: (μ²/(nσ²))^(1/4)", () => {
    for (const [sigma, mu, n] of [
      [0.1, 1, 10],
      [1e-3, 0.05, 2],
      [3, -0.2, 100],
    ])
      expect(calciumEfflux.energy(sigma, mu, { n })).toBeCloseTo(Math.pow((mu * mu) / (n * sigma * sigma), 0.25), 12);
  });

  it("calcium efflux's slope is -1/2 at every p, from p ≈ 1 - 1e-6 to p ≈ 1e-6", () => {
    // Local slopes between neighbours, not one fit, so a p-dependent bend could not average out.
    const n = 10;
    const sigmas = logspace(3e-4, 300, 61);
    const ps = sigmas.map((s) => calciumEfflux.synapse(s, 1, { n }).p);
    expect(ps[0]).toBeGreaterThan(1 - 1e-5);
    expect(ps[ps.length - 1]).toBeLessThan(1e-5);
    for (let i = 1; i < sigmas.length; i++) {
      const slope = Math.log(calciumEfflux.energy(sigmas[i], 1, { n }) / calciumEfflux.energy(sigmas[i - 1], 1, { n })) / Math.log(sigmas[i] / sigmas[i - 1]);
      expect(Math.abs(slope + 0.5)).toBeLessThan(1e-7);
    }
  });

  it("contrast: a pump cost written in p (not odds) only gives -1/2 at small p", () => {
    // p^(1/4) ≈ odds^(1/4) only while p ≪ 1; this is why the mechanism uses the odds form (Eq. 11).
    const n = 10;
    const localSlope = (sigma: number) => {
      const f = (s: number) => Math.log(Math.pow(calciumEfflux.synapse(s, 1, { n }).p, 0.25));
      const h = 1e-4;
      return (f(sigma * Math.exp(h)) - f(sigma * Math.exp(-h))) / (2 * h);
    };
    expect(localSlope(100)).toBeCloseTo(-0.5, 3); // p ≈ 1e-5
    expect(Math.abs(localSlope(1e-3) + 0.5)).toBeGreaterThan(0.49); // p ≈ 1: slope → 0
  });

  it("vesicle membrane equals Eq. 15 in closed form: (nμ²/p²)^(1/3)", () => {
    for (const [sigma, mu, p] of [
      [0.1, 1, 0.5],
      [2e-3, 0.05, 0.1],
      [4, -3, 0.8],
    ]) {
      const s = vesicleMembrane.synapse(sigma, mu, { p });
      expect(vesicleMembrane.energy(sigma, mu, { p })).toBeCloseTo(Math.cbrt((s.n * mu * mu) / (p * p)), 10);
    }
  });

  it("actin equals n·|q|^(1/3) with n = (1-p)/(p k²), q = μk²/(1-p), k = σ/|μ|", () => {
    for (const [sigma, mu, p] of [
      [0.1, 1, 0.5],
      [2e-3, -0.05, 0.1],
    ]) {
      const k2 = (sigma / mu) ** 2;
      expect(actin.energy(sigma, mu, { p }) / (((1 - p) / (p * k2)) * Math.cbrt((Math.abs(mu) * k2) / (1 - p)))).toBeCloseTo(1, 12);
    }
  });

  it("trafficking equals n·p = μ²(1-p)/σ² (Eq. 18's form, p held)", () => {
    for (const [sigma, mu, p] of [
      [0.1, 1, 0.5],
      [2e-3, -0.05, 0.1],
      [5, 3, 0.9],
    ])
      expect(trafficking.energy(sigma, mu, { p }) / ((mu * mu * (1 - p)) / (sigma * sigma))).toBeCloseTo(1, 12);
  });
});
