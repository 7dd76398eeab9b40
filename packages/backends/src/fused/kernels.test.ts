/** The kernels' element-wise math and Gaussian sampler, checked directly on kernel memory. */
import { describe, expect, it } from "vitest";
import { instantiateKernels } from "./kernels.js";

function setup(n: number) {
  const k = instantiateKernels();
  const base = Math.ceil(k.heapBase() / 16) * 16;
  k.memory.grow(Math.ceil((base + 2 * n * 4 + 64) / 65536));
  return { k, src: base, dst: base + n * 4 };
}

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

describe("vector math", () => {
  const n = 4096;
  const cases: [string, number, (x: number) => number, number, number][] = [
    ["exp", 0, Math.exp, -80, 80],
    ["log", 1, Math.log, -30, 30], // x = 10^u for u in [lo, hi]
    ["softplus", 2, (x) => (x > 30 ? x : Math.log1p(Math.exp(x))), -80, 80],
    ["sigmoid", 3, (x) => 1 / (1 + Math.exp(-x)), -80, 80],
    // The series the parameter passes use when every φ of a vector is below -5, or below -3.
    ["softplus (small-σ series)", 4, (x) => Math.log1p(Math.exp(x)), -80, -5],
    ["sigmoid (small-σ series)", 5, (x) => 1 / (1 + Math.exp(-x)), -80, -5],
    ["softplus (medium-σ series)", 6, (x) => Math.log1p(Math.exp(x)), -80, -3],
    ["sigmoid (medium-σ series)", 7, (x) => 1 / (1 + Math.exp(-x)), -80, -3],
  ];
  for (const [name, fn, ref, lo, hi] of cases) {
    it(`${name} is accurate to ~1e-6 relative over a wide range`, () => {
      const { k, src, dst } = setup(n);
      const x = new Float32Array(k.memory.buffer, src, n);
      for (let i = 0; i < n; i++) {
        const u = lo + ((hi - lo) * i) / (n - 1);
        x[i] = name === "log" ? Math.pow(10, u) : u;
      }
      k.mapBuffer(fn, src, dst, n);
      const y = new Float32Array(k.memory.buffer, dst, n);
      let worst = 0;
      // The reference is evaluated at the float32 input actually given.
      for (let i = 0; i < n; i++) worst = Math.max(worst, name === "log" ? Math.abs(y[i] - ref(x[i])) / Math.max(1, Math.abs(ref(x[i]))) : relErr(y[i], ref(x[i])));
      expect(worst).toBeLessThan(2e-6);
    });
  }
});

describe("Gaussian sampler", () => {
  const n = 200_000;
  /** n normals from a fresh kernel instance whose 16 seed words are `mix`·(i + 1). */
  const draw = (mix: number) => {
    const { k, src, dst } = setup(n);
    const seed = new Uint32Array(k.memory.buffer, dst, 16);
    for (let i = 0; i < 16; i++) seed[i] = mix * (i + 1);
    k.seedNoise(dst);
    k.fillNormal(src, n);
    return Float64Array.from(new Float32Array(k.memory.buffer, src, n));
  };

  it("has the moments of a standard normal and passes a Kolmogorov-Smirnov test", () => {
    const z = draw(0x9e3779b9);
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (const v of z) {
      m1 += v; m2 += v * v; m3 += v ** 3; m4 += v ** 4;
    }
    m1 /= n; m2 /= n; m3 /= n; m4 /= n;
    // Standard errors: 1/√n, √(2/n), √(15/n), √(96/n); allow ~4.5 of them.
    expect(Math.abs(m1)).toBeLessThan(4.5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(4.5 * Math.sqrt(2 / n));
    expect(Math.abs(m3)).toBeLessThan(4.5 * Math.sqrt(15 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(4.5 * Math.sqrt(96 / n));
    z.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const cdf = normalCdf(z[i]);
      d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
    }
    // 1% critical value of the KS statistic: 1.63/√n.
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it("draws independent normals: Box-Muller partners, neighbouring streams and consecutive draws are uncorrelated", () => {
    const z = draw(0x85ebca6b);
    // lag 4: a pair's x and y (same radius, angle, bits); lag 1: the next lane's stream; lag 8: the next draw
    for (const lag of [1, 4, 8]) {
      let xy = 0, sq = 0, signs = 0;
      const m = n - lag;
      for (let i = 0; i < m; i++) {
        xy += z[i] * z[i + lag];
        sq += (z[i] * z[i] - 1) * (z[i + lag] * z[i + lag] - 1);
        signs += Math.sign(z[i]) * Math.sign(z[i + lag]);
      }
      // standard errors: 1/√m for z·z' and sign·sign', 2/√m for (z²−1)(z'²−1)
      expect(Math.abs(xy / m), `lag ${lag}: E[z z']`).toBeLessThan(4.5 / Math.sqrt(m));
      expect(Math.abs(sq / m), `lag ${lag}: E[(z²−1)(z'²−1)]`).toBeLessThan(9 / Math.sqrt(m));
      expect(Math.abs(signs / m), `lag ${lag}: E[sign z sign z']`).toBeLessThan(4.5 / Math.sqrt(m));
    }
  });

  it("is reproducible from its seed", () => {
    const draw = () => {
      const { k, src, dst } = setup(64);
      new Uint32Array(k.memory.buffer, dst, 16).fill(7).set([1, 2, 3]);
      k.seedNoise(dst);
      k.fillNormal(src, 64);
      return Array.from(new Float32Array(k.memory.buffer, src, 64));
    };
    expect(draw()).toEqual(draw());
  });
});

/** Φ(x) via erfc (Abramowitz-Stegun 7.1.26 is too coarse; use a continued-fraction-free series). */
function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// erfc with relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit).
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
