import { CostRegistry, VesicleError, resolveObjective, type CostPlugin } from "@vesicle/core";
import { describe, expect, it } from "vitest";
import { builtinCostPlugins, createCostRegistry, mechanisms, registerCosts } from "./index.js";

const BUILTINS = ["power-law", "calcium-efflux", "vesicle-membrane", "actin", "trafficking", "l1"];

describe("registry", () => {
  it("createCostRegistry lists every built-in", () => {
    const r = createCostRegistry();
    expect(r.names()).toEqual(BUILTINS);
    expect(builtinCostPlugins.map((p) => p.name)).toEqual(BUILTINS);
    for (const m of Object.values(mechanisms)) expect(r.get(m.name)).toBe(m.plugin);
    expect(r.list().filter((p) => p.target === "mu").map((p) => p.name)).toEqual(["l1"]);
  });

  it("registerCosts fills an empty registry, and refuses to do it twice", () => {
    const r = new CostRegistry();
    registerCosts(r);
    expect(r.names()).toEqual(BUILTINS);
    expect(() => registerCosts(r)).toThrow(/already registered/);
  });

  it("resolves built-ins by name with defaults filled", () => {
    const r = createCostRegistry();
    const t = r.create({ name: "actin", params: {} });
    expect(t.closedForm).toEqual({ kind: "power", rho: 4 / 3, c: 0.01 });
    expect(r.create({ name: "l1", params: {} }).closedForm).toEqual({ kind: "l1", lambda: 1e-4 });
    expect(() => r.create({ name: "power-law", params: { c: 1 } })).toThrow(/needs parameter "rho"/);
    expect(() => r.create({ name: "trafficking", params: { rho: 1 } })).toThrow(/no parameter "rho"/);
    expect(() => r.create({ name: "calcium-efflux", params: { c: -2 } })).toThrow(VesicleError);
  });

  it("a user-defined cost registered by name resolves and works in an objective", () => {
    // log-barrier-ish reliability cost: a·(σ - log σ), not a closed form a backend knows.
    const userCost: CostPlugin = {
      name: "my-log",
      target: "sigma",
      summary: "a·(σ - log σ)",
      params: { a: { description: "scale", default: 2 } },
      create: ({ a }) => ({
        name: "my-log",
        target: "sigma",
        value: (s) => a * (s - Math.log(s)),
        derivative: (s) => a * (1 - 1 / s),
      }),
    };
    const r = createCostRegistry().register(userCost);
    expect(r.has("my-log")).toBe(true);
    const objective = resolveObjective(
      {
        reliability: [
          { name: "my-log", params: { a: 3 } },
          { name: "trafficking", params: { c: 0.5 } },
        ],
        magnitude: [{ name: "l1", params: { lambda: 0.1 } }],
      },
      r,
    );
    const [mine, traffic] = objective.reliability;
    expect(mine.value(1)).toBe(3);
    expect(mine.derivative(0.5)).toBe(-3);
    expect(mine.closedForm).toBeUndefined();
    expect(traffic.value(0.5)).toBeCloseTo(2, 14);
    expect(objective.magnitude[0].value(-2)).toBeCloseTo(0.2, 15);
    // Target mismatch is caught by the core resolver.
    expect(() => resolveObjective({ reliability: [{ name: "l1", params: {} }], magnitude: [] }, r)).toThrow(/acts on μ/);
  });
});
