import { describe, expect, it } from "vitest";
import { Rng } from "./random.js";

describe("Rng", () => {
  it("repeats its stream for the same seed and differs for another", () => {
    const a = new Rng(7).fillNormal(new Float32Array(100));
    const b = new Rng(7).fillNormal(new Float32Array(100));
    const c = new Rng(8).fillNormal(new Float32Array(100));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("samples a standard normal (moments within 5 standard errors)", () => {
    const n = 200_000;
    const x = new Rng(1).fillNormal(new Float32Array(n));
    let m = 0;
    for (const v of x) m += v;
    m /= n;
    let v2 = 0;
    let k4 = 0;
    for (const v of x) {
      v2 += (v - m) ** 2;
      k4 += (v - m) ** 4;
    }
    v2 /= n;
    k4 /= n;
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(k4 / (v2 * v2) - 3)).toBeLessThan(5 * Math.sqrt(24 / n));
  });

  it("makes permutations", () => {
    const p = new Rng(3).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
  });
});
