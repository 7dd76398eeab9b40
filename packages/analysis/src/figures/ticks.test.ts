import { describe, expect, it } from "vitest";
import { extendLogDomain, formatPow10, logTicks, paddedExtent, superscript } from "./ticks.js";

describe("log tick labels", () => {
  it("formats powers of ten with superscripts", () => {
    expect(superscript(-12)).toBe("⁻¹²");
    expect(formatPow10(0.01)).toBe("10⁻²");
    expect(formatPow10(1)).toBe("10⁰");
    expect(formatPow10(100)).toBe("10²");
    expect(formatPow10(2e-3)).toBe("2×10⁻³");
    expect(formatPow10(5e5)).toBe("5×10⁵");
    expect(formatPow10(0)).toBe("");
  });

  it("labels decades, thins long ranges, falls back to 1-2-5", () => {
    expect(logTicks(0.005, 20).major).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(1e-8, 1e4).major).toEqual([1e-6, 1e-3, 1, 1e3]); // 13 decades: every third
    expect(logTicks(0.02, 0.6).major).toEqual([0.02, 0.05, 0.1, 0.2, 0.5]);
    expect(logTicks(0.005, 20).minor).toContain(0.02);
    // Under half a decade: integer mantissas, no more than three labels (wide ones like 3×10⁵)
    const narrow = logTicks(2.6e5, 9.5e5);
    expect(narrow.major).toEqual([3e5, 6e5, 9e5]);
    expect(narrow.minor).toEqual(expect.arrayContaining([4e5, 5e5, 7e5, 8e5]));
  });

  it("widens a log domain to two powers of ten", () => {
    const [lo, hi] = extendLogDomain([2.7e5, 4e6]); // 10⁷ is nearer (in log space) than 10⁵
    expect(lo).toBe(2.7e5);
    expect(hi).toBeCloseTo(1e7, -1);
    const [lo2, hi2] = extendLogDomain([1.5e5, 4e6]);
    expect(lo2).toBeCloseTo(1e5, -1);
    expect(hi2).toBe(4e6);
    expect(extendLogDomain([0.02, 0.03])).toEqual([0.02, 0.03]);
  });

  it("pads extents in log space and ignores non-positive values on log axes", () => {
    const [lo, hi] = paddedExtent([0, 1, 100], true, 0.05)!;
    expect(Math.log10(lo)).toBeCloseTo(-0.1, 10);
    expect(Math.log10(hi)).toBeCloseTo(2.1, 10);
    expect(paddedExtent([0], true)).toBeUndefined();
    expect(paddedExtent([5], false)).toEqual([4.97, 5.03]);
  });
});
