/**
 * The layout shared by Figs. 2 and 3: rows of panels (a, b, c), one column per mechanism, each panel
 * an Observable Plot chart; title, legend and column headers are SVG drawn around them, all in one
 * standalone `<svg>`.
 */
import * as Plot from "@observablehq/plot";
import { VesicleError } from "@vesicle/core";
import { FONT_STACK, SVG_NS, XLINK_NS, plotElement } from "./render.js";
import { extendLogDomain, formatPow10, logTicks, paddedExtent } from "./ticks.js";
import {
  NOISE_COLORS,
  NOISE_LABELS,
  NOISE_SETTINGS,
  formatRho,
  mechanismColumns,
  meanOverSeeds,
  validateTradeoffPoints,
  type MechanismColumn,
  type MechanismInfo,
  type NoiseSetting,
  type TradeoffMean,
  type TradeoffPoint,
} from "./tradeoff.js";

/** Options every tradeoff figure takes. */
export interface TradeoffFigureOptions {
  /** Title drawn inside the SVG; default the figure's own. */
  title?: string;
  /** SVG width in user units (px); default 960. */
  width?: number;
  /** Height of one panel including its axes; default 215. */
  panelHeight?: number;
  /** Columns to draw even without rows, in ρ order; default {@link PAPER_MECHANISMS}. */
  mechanisms?: readonly MechanismInfo[];
}

export type TradeoffField = "c" | "sigma" | "accuracy" | "reliabilityCost";

export interface AxisSpec {
  field: TradeoffField;
  label: string;
  /** Used instead of `label` when that does not fit the panel. */
  shortLabel?: string;
  log: boolean;
  /** Same domain in every panel of the figure, or per column. */
  share: "all" | "column";
  /** Show the value ×100 (accuracy as %). */
  percent?: boolean;
}

export interface RowSpec {
  x: AxisSpec;
  y: AxisSpec;
}

export interface GridSpec {
  /** Used in error messages, e.g. "fig2". */
  figure: string;
  title: string;
  rows: RowSpec[];
}

const TEXT = "#1a1a1a";
const MUTED = "#555555";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rough text width for DejaVu Sans (wide glyphs: ~0.6 em); used only for spacing the legend. */
function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * 0.6;
}

function value(axis: AxisSpec, d: { [K in TradeoffField]: number }): number {
  const v = d[axis.field];
  return axis.percent ? v * 100 : v;
}

function shown(axis: AxisSpec, d: { [K in TradeoffField]: number }): boolean {
  const v = d[axis.field];
  return Number.isFinite(v) && (!axis.log || v > 0);
}

function domainFor(axis: AxisSpec, cols: readonly MechanismColumn[], col: number): [number, number] | undefined {
  const source = axis.share === "all" ? cols : [cols[col]];
  const values = source.flatMap((c) => c.points.filter((p) => shown(axis, p)).map((p) => value(axis, p)));
  const ext = paddedExtent(values, axis.log);
  if (!ext) return undefined;
  if (axis.percent) ext[1] = Math.min(ext[1], 100);
  return axis.log ? extendLogDomain(ext) : ext;
}

function axisMarks(dim: "x" | "y", axis: AxisSpec, domain: [number, number], label: string | null): Plot.Markish[] {
  const make = (ticks: number[] | undefined, options: Plot.AxisXOptions & Plot.AxisYOptions) =>
    dim === "x" ? Plot.axisX(ticks, options) : Plot.axisY(ticks, options);
  const common = { label, labelAnchor: "center" as const, labelArrow: "none" as const, fontSize: 11 };
  if (!axis.log) return [make(undefined, { ...common, ticks: 5, tickSize: 4 })];
  const { major, minor } = logTicks(domain[0], domain[1]);
  // Labels go through `text`, not `tickFormat`: Plot hands a log scale's tickFormat to d3, which
  // blanks labels it thinks too dense (e.g. 5×10⁵ between 10⁵ and 10⁶).
  const marks: Plot.Markish[] = [make(major, { ...common, text: (d: number) => formatPow10(d), tickSize: 4.5 })];
  if (minor.length > 0) marks.push(make(minor, { text: null, tickSize: 2.5, label: null }));
  return marks;
}

interface PanelGeometry {
  width: number;
  height: number;
  marginLeft: number;
  marginRight: number;
  marginTop: number;
  marginBottom: number;
}

function dataMarks(row: RowSpec, col: MechanismColumn, multiSeed: boolean): Plot.Markish[] {
  const marks: Plot.Markish[] = [];
  const x = (d: TradeoffMean | TradeoffPoint) => value(row.x, d);
  const y = (d: TradeoffMean | TradeoffPoint) => value(row.y, d);
  const keep = (d: TradeoffPoint) => shown(row.x, d) && shown(row.y, d);
  // Average only the runs this panel can show, so a left-out run (σ = 0 on a log axis) does not
  // pull the mean either.
  const cells = meanOverSeeds(col.points.filter(keep));
  for (const noise of NOISE_SETTINGS) {
    const means = cells[noise];
    if (means.length === 0) continue;
    const color = NOISE_COLORS[noise];
    if (multiSeed) {
      const seeds = means.flatMap((m) => m.points);
      marks.push(Plot.dot(seeds, { x, y, r: 1.6, fill: color, fillOpacity: 0.35, stroke: "none" }));
    }
    // Rows are ordered by c, so in Fig. 3 the line traces the sweep rather than the x order.
    marks.push(Plot.line(means, { x, y, stroke: color, strokeWidth: 1.6, curve: "linear" }));
    marks.push(Plot.dot(means, { x, y, r: 2.6, fill: color, stroke: "white", strokeWidth: 0.6 }));
  }
  return marks;
}

function panel(
  row: RowSpec,
  cols: readonly MechanismColumn[],
  c: number,
  geometry: PanelGeometry,
  multiSeed: boolean,
): { svg: string; empty: boolean } {
  const col = cols[c];
  const xDomain = domainFor(row.x, cols, c);
  const yDomain = domainFor(row.y, cols, c);
  const hasData = col.points.some((p) => shown(row.x, p) && shown(row.y, p));
  if (!hasData || !xDomain || !yDomain) {
    const el = plotElement({
      ...geometry,
      x: { domain: [0, 1], axis: null },
      y: { domain: [0, 1], axis: null },
      marks: [
        Plot.frame({ stroke: "#bbbbbb", strokeDasharray: "3,3" }),
        Plot.text(["no data"], { frameAnchor: "middle", fill: MUTED, fontSize: 11 }),
      ],
    });
    return { svg: el.outerHTML, empty: true };
  }
  const el = plotElement({
    ...geometry,
    x: { type: row.x.log ? "log" : "linear", domain: xDomain, axis: null },
    y: { type: row.y.log ? "log" : "linear", domain: yDomain, axis: null },
    marks: [
      Plot.frame({ anchor: "left", stroke: TEXT }),
      Plot.frame({ anchor: "bottom", stroke: TEXT }),
      ...axisMarks("x", row.x, xDomain, fit(row.x, geometry.width - 8)),
      ...axisMarks("y", row.y, yDomain, c === 0 ? fit(row.y, geometry.height - geometry.marginBottom + 4) : null),
      ...dataMarks(row, col, multiSeed),
    ],
  });
  return { svg: el.outerHTML, empty: false };
}

/** The axis label, or its short form when the long one would not fit in `room` px. */
function fit(axis: AxisSpec, room: number): string {
  return textWidth(axis.label, 11) * 0.92 <= room || !axis.shortLabel ? axis.label : axis.shortLabel;
}

/** Greedy word wrap by estimated width. */
function wrap(text: string, room: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > room) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Places a standalone panel `<svg>` at (x, y) inside the figure. */
function nest(svg: string, x: number, y: number): string {
  return svg
    .replace(/^<svg\b/, `<svg x="${x}" y="${y}" overflow="visible"`)
    .replace(/^(<svg\b[^>]*?) xmlns="[^"]*"/, "$1")
    .replace(/^(<svg\b[^>]*?) xmlns:xlink="[^"]*"/, "$1");
}

/** Renders a grid figure (rows × mechanisms) as a standalone SVG string. */
export function renderTradeoffGrid(points: readonly TradeoffPoint[], spec: GridSpec, options: TradeoffFigureOptions = {}): string {
  validateTradeoffPoints(points, spec.figure);
  const width = options.width ?? 960;
  if (!Number.isInteger(width) || width < 200 || width > 10000)
    throw new VesicleError(`${spec.figure}: width must be an integer in [200, 10000], got ${width}`, "bad-option");
  const panelHeight = options.panelHeight ?? 215;
  if (!Number.isFinite(panelHeight) || panelHeight < 100)
    throw new VesicleError(`${spec.figure}: panelHeight must be at least 100, got ${panelHeight}`, "bad-option");
  const cols = mechanismColumns(points, options.mechanisms);
  const multiSeed = cols.some((c) => NOISE_SETTINGS.some((n) => c.means[n].some((m) => m.n > 1)));
  const present = NOISE_SETTINGS.filter((n) => points.some((p) => p.noise === n)).reverse(); // heterogeneous first

  const pad = 8;
  const letterW = 14;
  const colW = Math.floor((width - 2 * pad - letterW) / cols.length);
  const geometry: PanelGeometry = { width: colW, height: panelHeight, marginLeft: 58, marginRight: 14, marginTop: 8, marginBottom: 40 };

  const parts: string[] = [];
  let y = 26;
  const title = options.title ?? spec.title;
  if (title) {
    // Bold DejaVu is ~8% wider than regular.
    const lines = wrap(title, (width - 2 * pad) / 1.08, 15);
    const tspans = lines.map((l, i) => `<tspan x="${pad}" dy="${i === 0 ? 0 : 19}">${esc(l)}</tspan>`).join("");
    parts.push(`<text x="${pad}" y="${y}" font-size="15" font-weight="bold" fill="${TEXT}">${tspans}</text>`);
    y += 24 + 19 * (lines.length - 1);
  } else y = 18;

  // Legend: a line with a dot for each noise setting, then a note on seeds; items wrap to a new
  // line rather than run off the right edge.
  const items: { width: number; draw: (x: number, y: number) => string }[] = present.map((noise) => {
    const color = NOISE_COLORS[noise];
    return {
      width: 28 + textWidth(NOISE_LABELS[noise], 11.5),
      draw: (x, y) =>
        `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="1.6"/>` +
        `<circle cx="${x + 11}" cy="${y - 4}" r="2.6" fill="${color}" stroke="white" stroke-width="0.6"/>` +
        `<text x="${x + 28}" y="${y}" font-size="11.5" fill="${TEXT}">${esc(NOISE_LABELS[noise])}</text>`,
    };
  });
  if (multiSeed) {
    const note = "lines: mean over seeds; faint dots: single seeds";
    items.push({ width: textWidth(note, 11), draw: (x, y) => `<text x="${x}" y="${y}" font-size="11" fill="${MUTED}">${esc(note)}</text>` });
  }
  const legend: string[] = [];
  let lx = pad + letterW;
  for (const item of items) {
    if (lx > pad + letterW && lx + item.width > width - pad) {
      lx = pad + letterW;
      y += 18;
    }
    legend.push(item.draw(Math.round(lx), y));
    lx += item.width + 22;
  }
  parts.push(`<g aria-label="legend">${legend.join("")}</g>`);
  y += 26;

  // Column headers: mechanism and ρ, centred on each panel's plotting area; on two lines when narrow.
  const twoLines = cols.some((col) => textWidth(`${col.info.label} (ρ = ${formatRho(col.info.rho)})`, 12.5) * 1.04 > colW - 6);
  const headers = cols.map((col, i) => {
    const cx = (pad + letterW + i * colW + geometry.marginLeft + (colW - geometry.marginLeft - geometry.marginRight) / 2).toFixed(1);
    const rho = `ρ = ${formatRho(col.info.rho)}`;
    return twoLines
      ? `<text x="${cx}" y="${y}" text-anchor="middle" font-size="12.5" fill="${TEXT}">` +
          `<tspan font-weight="bold">${esc(col.info.label)}</tspan><tspan x="${cx}" dy="15">(${rho})</tspan></text>`
      : `<text x="${cx}" y="${y}" text-anchor="middle" font-size="12.5" fill="${TEXT}">` +
          `<tspan font-weight="bold">${esc(col.info.label)}</tspan> (${rho})</text>`;
  });
  if (twoLines) y += 15;
  parts.push(`<g aria-label="column headers">${headers.join("")}</g>`);
  y += 8;

  const letters = "abcdefghijklmnopqrstuvwxyz";
  spec.rows.forEach((row, r) => {
    parts.push(`<text x="${pad}" y="${y + 14}" font-size="15" font-weight="bold" fill="${TEXT}" aria-label="row label">${letters[r]}</text>`);
    cols.forEach((_, c) => {
      const { svg } = panel(row, cols, c, geometry, multiSeed);
      parts.push(nest(svg, pad + letterW + c * colW, y));
    });
    y += panelHeight + 6;
  });

  // Points a log axis cannot show (c = 0, σ = 0, infinite cost) are omitted; say so rather than hide it.
  const logFields = new Set(spec.rows.flatMap((row) => [row.x, row.y].filter((a) => a.log).map((a) => a.field)));
  const omitted = points.filter((p) => [...logFields].some((f) => !(p[f] > 0 && Number.isFinite(p[f])))).length;
  if (omitted > 0) {
    const names: Record<TradeoffField, string> = { c: "c", sigma: "σ", accuracy: "accuracy", reliabilityCost: "reliability cost" };
    const fields = [...logFields].map((f) => names[f]).join(", ");
    parts.push(
      `<text x="${pad}" y="${y + 8}" font-size="10.5" fill="${MUTED}">${omitted} run${omitted === 1 ? "" : "s"} with a zero or infinite value on a log axis (${esc(fields)}) not shown.</text>`,
    );
    y += 16;
  }
  const height = Math.ceil(y + 4);
  const totalW = width;
  return (
    `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${totalW}" height="${height}" viewBox="0 0 ${totalW} ${height}" ` +
    `font-family="${esc(FONT_STACK)}" font-size="11" fill="${TEXT}">` +
    `<rect width="${totalW}" height="${height}" fill="white"/>` +
    parts.join("") +
    `</svg>`
  );
}
