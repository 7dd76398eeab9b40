/**
 * Server-side rendering: Observable Plot runs against a linkedom document, SVG is rasterised by resvg
 * with the DejaVu Sans fonts shipped in `dejavu-fonts-ttf` (system fonts are never loaded), so a
 * figure renders the same on every machine.
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { VesicleError } from "@vesicle/core";

export const SVG_NS = "http://www.w3.org/2000/svg";
export const XLINK_NS = "http://www.w3.org/1999/xlink";
/** The font family every figure uses; the PNG renderer loads exactly this font. */
export const FONT_FAMILY = "DejaVu Sans";
/** What an SVG viewer without DejaVu Sans falls back to. */
export const FONT_STACK = `'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif`;

const require = createRequire(import.meta.url);

/** Absolute paths of the DejaVu Sans TTFs (regular, bold, oblique) from the `dejavu-fonts-ttf` package. */
export function fontFiles(): string[] {
  return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
}

/** A fresh DOM document for Plot (`Plot.plot({ ..., document })`). */
export function createDocument(): NonNullable<Plot.PlotOptions["document"]> {
  const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
  return document as unknown as NonNullable<Plot.PlotOptions["document"]>;
}

/** An element as the subset of the DOM this module touches. */
export interface SvgNode {
  readonly tagName: string;
  readonly outerHTML: string;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
}

/**
 * Runs `Plot.plot` on a linkedom document and returns the root `<svg>` element, with namespaces
 * set and Plot's HTML-only `<style>` and class removed. Throws if Plot wraps the chart in a
 * `<figure>` (a title, caption or legend option): draw those as SVG marks instead.
 */
export function plotElement(options: Plot.PlotOptions): SvgNode {
  const o = options as Record<string, unknown>;
  const html = ["title", "subtitle", "caption"].filter((k) => o[k] != null);
  for (const scale of ["color", "opacity", "r", "symbol"])
    if ((o[scale] as { legend?: unknown } | undefined)?.legend) html.push(`${scale}.legend`);
  if (html.length > 0)
    throw new VesicleError(`plotElement: ${html.join(", ")} would make Plot return HTML; figures must be pure SVG (draw them as SVG marks)`, "bad-figure");
  const el = Plot.plot({ ...options, document: createDocument() }) as unknown as SvgNode;
  if (el.tagName.toLowerCase() !== "svg")
    throw new VesicleError("plotElement: Plot returned HTML (a title, caption or legend option?); figures must be pure SVG", "bad-figure");
  for (const style of Array.from(el.querySelectorAll("style"))) style.remove();
  el.removeAttribute("class");
  el.setAttribute("xmlns", SVG_NS);
  el.setAttribute("xmlns:xlink", XLINK_NS);
  el.setAttribute("font-family", FONT_STACK);
  return el;
}

/** `Plot.plot` rendered to a standalone SVG string (with `xmlns`). */
export function plotToSvg(options: Plot.PlotOptions): string {
  return plotElement(options).outerHTML;
}

export interface PngOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. Default: twice the SVG width. */
  width?: number;
  /** Background colour; default white. */
  background?: string;
}

/** The width and height attributes of an SVG root, in user units. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const num = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)"`).exec(root ?? "")?.[1]);
  const width = num("width");
  const height = num("height");
  if (!root || !(width > 0) || !(height > 0)) throw new VesicleError("svgSize: not an SVG with numeric width and height", "bad-figure");
  return { width, height };
}

/** Rasterises an SVG string to PNG bytes with resvg and the bundled DejaVu Sans. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const width = options.width ?? 2 * svgSize(svg).width;
  if (!Number.isInteger(width) || width < 1 || width > 16384)
    throw new VesicleError(`svgToPng: width must be an integer in [1, 16384] pixels, got ${width}`, "bad-option");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    background: options.background ?? "white",
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

export interface WriteFigureOptions extends PngOptions {
  /** Replace existing `name.svg` / `name.png`; default false (refuse). */
  overwrite?: boolean;
}

export interface WrittenFigure {
  svg: string;
  png: string;
}

/** Writes `data` to a temp file beside `path`, then moves it into place (no-clobber unless `overwrite`). */
function placeAtomically(path: string, data: string | Uint8Array, overwrite: boolean): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, "wx");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
  } finally {
    closeSync(fd);
  }
  try {
    if (overwrite) renameSync(tmp, path);
    else {
      // link() fails with EEXIST instead of replacing: an atomic "create if absent".
      try {
        linkSync(tmp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw new VesicleError(`refusing to overwrite ${path} (pass overwrite: true)`, "exists");
        if (existsSync(path)) throw new VesicleError(`refusing to overwrite ${path} (pass overwrite: true)`, "exists");
        renameSync(tmp, path); // a file system without hard links
      }
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes `outDir/name.svg` and `outDir/name.png` (each atomically: temp file, then rename). Refuses,
 * before writing anything, when either exists, unless `overwrite`. Returns the two paths.
 */
export function writeFigure(name: string, svg: string, outDir: string, options: WriteFigureOptions = {}): WrittenFigure {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new VesicleError(`writeFigure: bad figure name "${name}" (letters, digits, ".", "_", "-")`, "bad-option");
  const dir = resolve(outDir);
  const paths: WrittenFigure = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    const existing = [paths.svg, paths.png].filter((p) => existsSync(p));
    if (existing.length > 0) throw new VesicleError(`refusing to overwrite ${existing.join(" and ")} (pass overwrite: true)`, "exists");
  }
  const png = svgToPng(svg, options); // render first: a bad SVG writes nothing
  mkdirSync(dir, { recursive: true });
  placeAtomically(paths.svg, svg, overwrite);
  try {
    placeAtomically(paths.png, png, overwrite);
  } catch (e) {
    if (!overwrite) rmSync(paths.svg, { force: true }); // we created it just now
    throw e;
  }
  return paths;
}
