/** Figures by name, for the CLI (`vesicle figure fig2 ...`) and library users. */
import { VesicleError } from "@vesicle/core";
import { fig2 } from "./fig2.js";
import { fig3 } from "./fig3.js";
import type { TradeoffFigureOptions } from "./grid.js";
import type { TradeoffPoint } from "./tradeoff.js";

/** A figure the CLI can list and render. */
export interface FigureDefinition {
  readonly name: string;
  /** One line for `--help` / listing. */
  readonly summary: string;
  /** Renders the figure as a standalone SVG string. */
  render(points: readonly TradeoffPoint[], options?: TradeoffFigureOptions): string;
}

export const figures = Object.freeze({
  fig2: Object.freeze({
    name: "fig2",
    summary: "Fig. 2: test accuracy (a) and mean synaptic σ (b) against the reliability-cost multiplier c, per mechanism",
    render: fig2,
  }),
  fig3: Object.freeze({
    name: "fig3",
    summary: "Fig. 3: accuracy vs σ (a), reliability cost vs σ (b) and accuracy vs reliability cost (c), per mechanism",
    render: fig3,
  }),
}) satisfies Readonly<Record<string, FigureDefinition>>;

export type FigureName = keyof typeof figures;

/** The registered figure names, in order. */
export function figureNames(): FigureName[] {
  return Object.keys(figures) as FigureName[];
}

/** Looks a figure up by name; an unknown name is a VesicleError listing the known ones. */
export function getFigure(name: string): FigureDefinition {
  if (!Object.hasOwn(figures, name))
    throw new VesicleError(`unknown figure "${name}"; known: ${figureNames().join(", ")}`, "unknown-figure");
  return figures[name as FigureName];
}

export { fig2, FIG2_SPEC } from "./fig2.js";
export { fig3, FIG3_SPEC } from "./fig3.js";
export { LABELS, SHORT_LABELS } from "./labels.js";
export { renderTradeoffGrid, type TradeoffFigureOptions, type GridSpec, type RowSpec, type AxisSpec, type TradeoffField } from "./grid.js";
export {
  NOISE_COLORS,
  NOISE_LABELS,
  NOISE_SETTINGS,
  PAPER_MECHANISMS,
  formatRho,
  mechanismColumns,
  mechanismKey,
  meanOverSeeds,
  validateTradeoffPoints,
  type MechanismColumn,
  type MechanismInfo,
  type NoiseSetting,
  type TradeoffMean,
  type TradeoffPoint,
} from "./tradeoff.js";
export { extendLogDomain, formatPow10, logTicks, paddedExtent, superscript, type LogTicks } from "./ticks.js";
export {
  FONT_FAMILY,
  FONT_STACK,
  createDocument,
  fontFiles,
  plotElement,
  plotToSvg,
  type SvgNode,
  svgSize,
  svgToPng,
  writeFigure,
  type PngOptions,
  type WriteFigureOptions,
  type WrittenFigure,
} from "./render.js";
