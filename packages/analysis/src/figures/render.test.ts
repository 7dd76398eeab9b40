import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Plot from "@observablehq/plot";
import { fontFiles, plotToSvg, svgSize, svgToPng, writeFigure } from "./render.js";

const svg = plotToSvg({
  width: 200,
  height: 100,
  x: { type: "log" },
  marks: [Plot.line([{ x: 1, y: 1 }, { x: 100, y: 2 }], { x: "x", y: "y" }), Plot.text(["Å text"], { frameAnchor: "middle" })],
});

describe("plotToSvg", () => {
  it("renders Plot server-side to a standalone SVG", () => {
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('font-family="');
    expect(svg).not.toContain("<style");
    expect(svgSize(svg)).toEqual({ width: 200, height: 100 });
  });

  it("refuses Plot output that is HTML (e.g. a legend)", () => {
    expect(() => plotToSvg({ color: { legend: true }, marks: [Plot.dot([1, 2], { x: (d) => d, fill: (d) => d })] })).toThrow(/pure SVG/);
  });
});

describe("svgToPng", () => {
  it("loads DejaVu Sans from the dejavu-fonts-ttf package", () => {
    const files = fontFiles();
    expect(files[0]).toMatch(/dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans\.ttf$/);
    for (const f of files) expect(existsSync(f)).toBe(true);
  });

  it("writes a PNG of the requested width (height by aspect ratio)", () => {
    const png = svgToPng(svg, { width: 640 });
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.readUInt32BE(16)).toBe(640);
    expect(png.readUInt32BE(20)).toBe(320);
    expect(svgToPng(svg).readUInt32BE(16)).toBe(400); // default: 2× the SVG width
    expect(() => svgToPng(svg, { width: 0 })).toThrow(/width/);
  });
});

describe("writeFigure", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vesicle-fig-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes name.svg and name.png, leaving no temp files", () => {
    const out = writeFigure("demo", svg, join(dir, "nested"), { width: 300 });
    expect(out).toEqual({ svg: join(dir, "nested", "demo.svg"), png: join(dir, "nested", "demo.png") });
    expect(readFileSync(out.svg, "utf8")).toBe(svg);
    expect(readFileSync(out.png).readUInt32BE(16)).toBe(300);
    expect(readdirSync(join(dir, "nested")).sort()).toEqual(["demo.png", "demo.svg"]);
  });

  it("refuses to overwrite unless asked, and touches nothing when refusing", () => {
    writeFileSync(join(dir, "demo.png"), "mine");
    expect(() => writeFigure("demo", svg, dir)).toThrow(/refusing to overwrite .*demo\.png/);
    expect(readdirSync(dir)).toEqual(["demo.png"]);
    expect(readFileSync(join(dir, "demo.png"), "utf8")).toBe("mine");
    writeFigure("demo", svg, dir, { overwrite: true });
    expect(readFileSync(join(dir, "demo.png")).subarray(1, 4).toString()).toBe("PNG");
    expect(readdirSync(dir).sort()).toEqual(["demo.png", "demo.svg"]);
  });

  it("rejects names that are paths", () => {
    expect(() => writeFigure("../x", svg, dir)).toThrow(/bad figure name/);
  });
});
