import { describe, expect, it } from "vitest";
import { VesicleError } from "../errors.js";
import { DEFAULT_C_VALUES, expandGrid, formatC, logRange, memberId, resolveGrid, type SweepMechanism } from "./grid.js";
import { QUICK_PRESET } from "./presets.js";

const MECHANISMS: SweepMechanism[] = [
  { name: "calcium-efflux", rho: 1 / 2 },
  { name: "vesicle-membrane", rho: 2 / 3 },
  { name: "actin", rho: 4 / 3 },
  { name: "trafficking", rho: 2 },
];
const BASE = { training: { epochs: 3, trainSubset: 1000 } };

function vesicleError(f: () => unknown): VesicleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VesicleError);
    return e as VesicleError;
  }
  throw new Error("expected a VesicleError, nothing was thrown");
}

describe("logRange", () => {
  it("gives the paper's 25 values 10^-2 … 10^4 in steps of 10^0.25", () => {
    expect(DEFAULT_C_VALUES).toHaveLength(25);
    expect(DEFAULT_C_VALUES[0]).toBe(0.01);
    expect(DEFAULT_C_VALUES[4]).toBe(0.1);
    expect(DEFAULT_C_VALUES[8]).toBe(1);
    expect(DEFAULT_C_VALUES[24]).toBe(10000);
    for (let k = 1; k < 25; k++) expect(DEFAULT_C_VALUES[k] / DEFAULT_C_VALUES[k - 1]).toBeCloseTo(10 ** 0.25, 12);
    expect(DEFAULT_C_VALUES[1]).toBe(0.0177827941003892);
  });

  it("takes perDecade or a step in decades, exact at whole decades", () => {
    expect(logRange({ from: 1e-2, to: 1e2, perDecade: 1 })).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(logRange({ from: 1e-2, to: 1e2, step: 0.5 })).toHaveLength(9);
    expect(logRange({ from: 1e-2, to: 1e2, step: 0.5 })).toEqual(logRange({ from: 1e-2, to: 1e2, perDecade: 2 }));
    expect(logRange({ from: 3, to: 3, step: 1 })).toEqual([3]);
    // `to` off the grid: the range stops below it.
    expect(logRange({ from: 1, to: 50, perDecade: 1 })).toEqual([1, 10]);
  });

  it("rejects bad ranges", () => {
    expect(vesicleError(() => logRange({ from: 0, to: 1, perDecade: 1 })).message).toMatch(/from must be a positive/);
    expect(vesicleError(() => logRange({ from: 10, to: 1, perDecade: 1 })).message).toMatch(/must not exceed/);
    expect(vesicleError(() => logRange({ from: 1, to: 10, step: 0 })).message).toMatch(/step/);
    expect(vesicleError(() => logRange({ from: 1, to: Infinity, perDecade: 1 })).message).toMatch(/to must be a positive finite/);
  });
});

describe("member ids", () => {
  it("are readable and stable", () => {
    expect(formatC(0.01)).toBe("1e-02");
    expect(formatC(0.0177827941003892)).toBe("1.78e-02");
    expect(formatC(1)).toBe("1e+00");
    expect(formatC(10000)).toBe("1e+04");
    expect(formatC(2.5e-7)).toBe("2.5e-07");
    expect(memberId("calcium-efflux", 0.01, "heterogeneous", 0)).toBe("calcium-efflux_c1e-02_heterogeneous_s0");
  });
});

describe("expandGrid", () => {
  it("defaults to 4 mechanisms × 25 c × 2 noise modes × seed 0 = 200 distinct members", () => {
    const members = expandGrid({}, BASE, MECHANISMS);
    expect(members).toHaveLength(200);
    expect(new Set(members.map((m) => m.id)).size).toBe(200);
    expect(members[0].id).toBe("calcium-efflux_c1e-02_heterogeneous_s0");
    expect(members[1].id).toBe("calcium-efflux_c1e-02_homogeneous_s0");
    expect(members[2].id).toBe("calcium-efflux_c1.78e-02_heterogeneous_s0");
    expect(members[199].id).toBe("trafficking_c1e+04_homogeneous_s0");
  });

  it("builds each member's spec from the base with its mechanism, c, noise mode and seed", () => {
    const members = expandGrid({ mechanisms: ["actin"], c: [0.5, 2], noise: ["homogeneous"], seeds: [3, 4] }, BASE, MECHANISMS);
    expect(members.map((m) => m.id)).toEqual([
      "actin_c5e-01_homogeneous_s3",
      "actin_c5e-01_homogeneous_s4",
      "actin_c2e+00_homogeneous_s3",
      "actin_c2e+00_homogeneous_s4",
    ]);
    const m = members[3];
    expect(m).toMatchObject({ mechanism: "actin", rho: 4 / 3, c: 2, noise: "homogeneous", seed: 4 });
    expect(m.spec.objective.reliability).toEqual([{ name: "actin", params: { c: 2 } }]);
    expect(m.spec.objective.magnitude).toEqual([{ name: "l1", params: { lambda: 1e-4 } }]);
    expect(m.spec.network.noise).toBe("homogeneous");
    expect(m.spec.training).toMatchObject({ seed: 4, epochs: 3, trainSubset: 1000 });
    expect(Object.isFrozen(m.spec)).toBe(true);
  });

  it("passes ρ to a generic plugin", () => {
    const [m] = expandGrid({ c: [1], noise: ["heterogeneous"] }, BASE, [{ name: "rho1.5", rho: 1.5, costName: "power-law" }]);
    expect(m.id).toBe("rho1.5_c1e+00_heterogeneous_s0");
    expect(m.spec.objective.reliability).toEqual([{ name: "power-law", params: { c: 1, rho: 1.5 } }]);
  });

  it("accepts a log range for c", () => {
    expect(expandGrid({ c: { from: 1, to: 100, perDecade: 2 }, noise: ["heterogeneous"] }, BASE, MECHANISMS.slice(0, 1))).toHaveLength(5);
  });

  it("rejects an empty grid, bad c, duplicates and unknown mechanisms", () => {
    const bad = (grid: object, mechanisms = MECHANISMS) => vesicleError(() => expandGrid(grid, BASE, mechanisms));
    expect(bad({ c: [] }).message).toMatch(/grid is empty: no c values/);
    expect(bad({ c: [] }).code).toBe("empty-grid");
    expect(bad({}, []).message).toMatch(/grid is empty: no mechanisms/);
    expect(bad({ noise: [] }).message).toMatch(/no noise modes/);
    expect(bad({ seeds: [] }).message).toMatch(/no seeds/);
    expect(bad({ c: [1, 0] }).message).toMatch(/positive finite number, got 0/);
    expect(bad({ c: [-1] }).message).toMatch(/got -1/);
    expect(bad({ c: [NaN] }).message).toMatch(/got NaN/);
    expect(bad({ c: [Infinity] }).message).toMatch(/got Infinity/);
    expect(bad({ c: [1, 2, 1] }).code).toBe("duplicate-member");
    expect(bad({ seeds: [0, 0] }).message).toMatch(/duplicate seed 0/);
    expect(bad({ mechanisms: ["actin", "actin"] }).message).toMatch(/duplicate mechanism "actin"/);
    // Distinct numbers, same id: still duplicate members.
    expect(bad({ c: [1, 1.0001] }).message).toMatch(/too close.*actin|too close/);
    expect(bad({ mechanisms: ["myosin"] }).message).toMatch(/unknown mechanism "myosin"/);
    expect(bad({ seeds: [1.5] }).message).toMatch(/seed/);
    expect(bad({}, [{ name: "a_b", rho: 1 }]).message).toMatch(/mechanism name/);
    expect(bad({}, [{ name: "x", rho: 0 }]).message).toMatch(/ρ must be/);
    expect(vesicleError(() => expandGrid({}, { training: { epochs: 0 } }, MECHANISMS)).message).toMatch(/epochs/);
  });

  it("resolves the grid's defaults explicitly", () => {
    expect(resolveGrid({}, MECHANISMS)).toEqual({
      mechanisms: ["calcium-efflux", "vesicle-membrane", "actin", "trafficking"],
      c: [...DEFAULT_C_VALUES],
      noise: ["heterogeneous", "homogeneous"],
      seeds: [0],
    });
  });
});

describe("QUICK_PRESET", () => {
  it("is 4 mechanisms × 3 c × 2 noise modes on a 5000-image subset", () => {
    const members = expandGrid(QUICK_PRESET.grid, QUICK_PRESET.base, MECHANISMS);
    expect(members).toHaveLength(24);
    expect(new Set(members.map((m) => m.c))).toEqual(new Set([1e-2, 1, 1e2]));
    for (const m of members) expect(m.spec.training.trainSubset).toBe(5000);
  });
});
