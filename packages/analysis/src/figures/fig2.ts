/**
 * Fig. 2 of Malkin et al. (eLife 2024): as the reliability-cost multiplier c grows, test accuracy
 * falls (row a) and the mean synaptic noise σ rises (row b); one column per mechanism (ρ).
 */
import { renderTradeoffGrid, type GridSpec, type TradeoffFigureOptions } from "./grid.js";
import { LABELS, SHORT_LABELS } from "./labels.js";
import type { TradeoffPoint } from "./tradeoff.js";

export const FIG2_SPEC: GridSpec = {
  figure: "fig2",
  title: "Fig. 2 — Accuracy and synaptic noise as the reliability–performance tradeoff c changes",
  rows: [
    { x: { field: "c", label: LABELS.c, shortLabel: SHORT_LABELS.c, log: true, share: "all" }, y: { field: "accuracy", label: LABELS.accuracy, shortLabel: SHORT_LABELS.accuracy, log: false, share: "all", percent: true } },
    { x: { field: "c", label: LABELS.c, shortLabel: SHORT_LABELS.c, log: true, share: "all" }, y: { field: "sigma", label: LABELS.sigma, shortLabel: SHORT_LABELS.sigma, log: true, share: "all" } },
  ],
};

/** Fig. 2 as a standalone SVG string. Throws a VesicleError on an empty or malformed table. */
export function fig2(points: readonly TradeoffPoint[], options: TradeoffFigureOptions = {}): string {
  return renderTradeoffGrid(points, FIG2_SPEC, options);
}
