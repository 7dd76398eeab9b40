import { describe, expect, it } from "vitest";
import { VesicleError } from "@vesicle/core";
import { syntheticSweep } from "../../test-fixtures/synthetic.js";
import {
  FIG2_SPEC,
  FIG3_SPEC,
  NOISE_COLORS,
  PAPER_MECHANISMS,
  fig2,
  fig3,
  figureNames,
  figures,
  getFigure,
  mechanismColumns,
  meanOverSeeds,
  svgToPng,
  type TradeoffPoint,
} from "../index.js";

const points = syntheticSweep({ seed: 7, seeds: 2 });

/** The text content of every <text> element (tspans on separate lines joined by a space). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>(.*?)<\/text>/g)].map((m) =>
    m[1].replace(/<\/tspan><tspan [^>]*\bdy="[^"]*"[^>]*>/g, " ").replace(/<[^>]+>/g, ""),
  );
}

describe("fig2 / fig3 snapshots", () => {
  it("fig2 matches its SVG snapshot", async () => {
    await expect(fig2(points)).toMatchFileSnapshot("__snapshots__/fig2.svg");
  });

  it("fig3 matches its SVG snapshot", async () => {
    await expect(fig3(points)).toMatchFileSnapshot("__snapshots__/fig3.svg");
  });

  it("is deterministic", () => {
    expect(fig2(points)).toBe(fig2(syntheticSweep({ seed: 7, seeds: 2 })));
    expect(fig3(points)).toBe(fig3([...points].reverse()));
  });
});

describe.each([
  ["fig2", fig2, FIG2_SPEC.title, 2],
  ["fig3", fig3, FIG3_SPEC.title, 3],
] as const)("%s structure", (_name, render, title, rows) => {
  const svg = render(points);
  const t = texts(svg);

  it("is a standalone SVG with namespaces and a white background", () => {
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/^<svg [^>]*xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/);
    expect(svg).toMatch(/^<svg [^>]*width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('fill="white"');
    expect(svg).not.toContain("<style");
    expect(svg).not.toMatch(/<(figure|div|h2|span)\b/);
  });

  it("has the title and the legend inside the SVG", () => {
    expect(t).toContain(title);
    expect(t).toContain("Heterogeneous noise (σ per synapse)");
    expect(t).toContain("Homogeneous noise (one shared σ)");
    expect(t.some((s) => s.includes("mean over seeds"))).toBe(true);
  });

  it("has one column header per mechanism, ordered by ρ", () => {
    const headers = ["Calcium efflux (ρ = 1/2)", "Vesicle membrane (ρ = 2/3)", "Actin (ρ = 4/3)", "Trafficking (ρ = 2)"];
    const at = headers.map((h) => t.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("labels rows and log ticks as powers of ten", () => {
    expect(t.filter((s) => /^[abc]$/.test(s))).toEqual(["a", "b", "c"].slice(0, rows));
    expect(t).toContain("10⁻²");
    expect(t).toContain("10⁻¹");
    expect(t).toContain("Test accuracy (%)");
    expect(t.some((s) => s.startsWith("RMS PSP s.d. σ"))).toBe(true);
  });

  it("draws heterogeneous lines green and homogeneous lines grey", () => {
    expect(svg).toContain(`stroke="${NOISE_COLORS.heterogeneous}"`);
    expect(svg).toContain(`stroke="${NOISE_COLORS.homogeneous}"`);
  });

  it("rasterises to a PNG of the requested width", () => {
    const png = svgToPng(svg, { width: 800 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(800);
  });
});

describe("fig2 specifics", () => {
  it("spans the c sweep on a log x axis (10⁻⁴ … 10¹)", () => {
    const t = texts(fig2(points));
    for (const label of ["10⁻⁴", "10⁰", "10¹"]) expect(t).toContain(label);
    expect(t).toContain("Cost multiplier c (dimensionless)");
  });

  it("fig3 labels the reliability cost axis", () => {
    expect(texts(fig3(points))).toContain("Reliability cost, s = 1 (a.u.)");
  });
});

describe("missing and odd data", () => {
  it("an empty table is a clear VesicleError", () => {
    expect(() => fig2([])).toThrow(VesicleError);
    expect(() => fig2([])).toThrow(/fig2: no data/);
    expect(() => fig3([])).toThrow(/fig3: no data/);
  });

  it("a mechanism without rows is an empty panel, and the header stays", () => {
    const svg = fig3(points.filter((p) => p.mechanism !== "actin"));
    const t = texts(svg);
    expect(t).toContain("Actin (ρ = 4/3)");
    expect(t.filter((s) => s === "no data")).toHaveLength(3);
  });

  it("one noise setting only: legend shows only that setting", () => {
    const t = texts(fig2(points.filter((p) => p.noise === "heterogeneous")));
    expect(t).toContain("Heterogeneous noise (σ per synapse)");
    expect(t).not.toContain("Homogeneous noise (one shared σ)");
  });

  it("a single seed draws no seed dots and no seed note", () => {
    const t = texts(fig2(syntheticSweep({ seeds: 1 })));
    expect(t.some((s) => s.includes("mean over seeds"))).toBe(false);
  });

  it("c = 0 cannot sit on a log axis: omitted and said so", () => {
    const extra: TradeoffPoint = { ...points[0], c: 0, seed: 99 };
    const t = texts(fig2([...points, extra]));
    expect(t.some((s) => s.startsWith("1 run with a zero or infinite value on a log axis (c, σ)"))).toBe(true);
  });

  it("σ = 0 (infinite reliability cost) is accepted: in Fig. 2 row a, left out of log panels", () => {
    const extra: TradeoffPoint = { ...points[0], sigma: 0, reliabilityCost: Infinity, seed: 99 };
    expect(texts(fig2([...points, extra])).some((s) => s.startsWith("1 run with a zero or infinite value"))).toBe(true);
    expect(texts(fig3([...points, extra])).some((s) => s.startsWith("1 run with a zero or infinite value"))).toBe(true);
    expect(() => fig3([...points, { ...extra, reliabilityCost: -Infinity }])).toThrow(/reliabilityCost/);
  });

  it("an unknown mechanism gets its own column, placed by ρ", () => {
    const extra = syntheticSweep({ seeds: 1, mechanisms: [{ name: "my-cost", rho: 1 }] });
    const t = texts(fig2([...points, ...extra]));
    const order = ["Vesicle membrane (ρ = 2/3)", "my-cost (ρ = 1)", "Actin (ρ = 4/3)"].map((h) => t.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("rejects malformed rows, naming the row and field", () => {
    const bad = (patch: Partial<Record<keyof TradeoffPoint, unknown>>) => [{ ...points[0] }, { ...points[1], ...patch }] as TradeoffPoint[];
    expect(() => fig2(bad({ accuracy: 1.5 }))).toThrow(/row 1: accuracy must be in \[0, 1\]/);
    expect(() => fig2(bad({ sigma: Number.NaN }))).toThrow(/row 1: sigma/);
    expect(() => fig2(bad({ noise: "isotropic" }))).toThrow(/row 1: noise/);
    expect(() => fig2(bad({ mechanism: "" }))).toThrow(/row 1: mechanism/);
    expect(() => fig2(bad({ rho: 3 }))).toThrow(/ρ = 3, but an earlier row has ρ = 0.5/);
  });
});

describe("table helpers", () => {
  it("averages seeds per (noise, c), sorted by c", () => {
    const rows = syntheticSweep({ seeds: 3, cs: [1, 0.1], mechanisms: [{ name: "actin", rho: 4 / 3 }] });
    const means = meanOverSeeds(rows);
    expect(means.heterogeneous.map((m) => m.c)).toEqual([0.1, 1]);
    const cell = means.homogeneous[1];
    expect(cell.n).toBe(3);
    const src = rows.filter((p) => p.noise === "homogeneous" && p.c === 1);
    expect(cell.accuracy).toBeCloseTo(src.reduce((s, p) => s + p.accuracy, 0) / 3, 12);
    expect(cell.sigma).toBeCloseTo(src.reduce((s, p) => s + p.sigma, 0) / 3, 12);
  });

  it("matches mechanism names loosely and keeps the paper's four columns", () => {
    const rows = syntheticSweep({ seeds: 1, mechanisms: [{ name: "Calcium efflux", rho: 0.5 }] });
    const cols = mechanismColumns(rows);
    expect(cols.map((c) => c.info.label)).toEqual(PAPER_MECHANISMS.map((m) => m.label));
    expect(cols[0].points).toHaveLength(rows.length);
  });
});

describe("registry", () => {
  it("lists and renders figures by name", () => {
    expect(figureNames()).toEqual(["fig2", "fig3"]);
    for (const name of figureNames()) {
      expect(figures[name].summary.length).toBeGreaterThan(10);
      expect(getFigure(name).render(points)).toBe(figures[name].render(points));
    }
    expect(() => getFigure("fig9")).toThrow(/unknown figure "fig9"; known: fig2, fig3/);
  });

  it("wraps a long title and breaks headers onto two lines when narrow", () => {
    const title = "A very long title that cannot possibly fit on one line of a figure only four hundred pixels wide";
    const svg = figures.fig2.render(points, { title, width: 400 });
    expect((svg.match(/<tspan x="8" dy=/g) ?? []).length).toBeGreaterThan(1);
    const t = texts(svg);
    expect(t).toContain(title);
    expect(t).toContain("Calcium efflux (ρ = 1/2)");
    expect(t).toContain("c (dimensionless)");
  });

  it("passes options through: title and width", () => {
    const svg = figures.fig2.render(points, { title: "Custom title", width: 720 });
    expect(texts(svg)).toContain("Custom title");
    expect(svg).toMatch(/^<svg [^>]*width="720"/);
    expect(() => figures.fig2.render(points, { width: 10 })).toThrow(/width must be/);
  });
});
