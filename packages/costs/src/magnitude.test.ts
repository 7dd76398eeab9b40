import { VesicleError } from "@vesicle/core";
import { describe, expect, it } from "vitest";
import { l1Cost, l1Term } from "./magnitude.js";

describe("L1 magnitude cost", () => {
  it("has value λ·|μ|", () => {
    const t = l1Term(0.5);
    expect(t.value(3)).toBe(1.5);
    expect(t.value(-3)).toBe(1.5);
    expect(t.value(0)).toBe(0);
    expect(t.target).toBe("mu");
    expect(t.closedForm).toEqual({ kind: "l1", lambda: 0.5 });
  });

  it("derivative matches central differences away from 0 and is 0 at 0", () => {
    const t = l1Term(2e-3);
    for (const mag of [1e-4, 1e-3, 0.01, 0.1, 1, 10]) {
      for (const mu of [mag, -mag]) {
        const h = 1e-6 * mag;
        const fd = (t.value(mu + h) - t.value(mu - h)) / (2 * h);
        expect(t.derivative(mu)).toBeCloseTo(fd, 10);
        expect(t.derivative(mu)).toBe(mu > 0 ? 2e-3 : -2e-3);
      }
    }
    expect(t.derivative(0)).toBe(0);
    expect(Object.is(t.derivative(-0), 0)).toBe(true);
  });

  it("defaults λ to the Methods' 1e-4", () => {
    expect(l1Cost.params.lambda.default).toBe(1e-4);
    expect(l1Cost.name).toBe("l1");
  });

  it.each([[-1e-4], [NaN], [-Infinity]])("rejects λ = %s", (lambda) => {
    expect(() => l1Cost.create({ lambda })).toThrow(VesicleError);
    expect(() => l1Cost.create({ lambda })).toThrow(new RegExp(`cost "l1": parameter "lambda" .* got ${lambda}`));
  });
});
