/**
 * Fig. 3 of Malkin et al. (eLife 2024): the Fig. 2 networks replotted against their noise level σ:
 * accuracy vs σ (row a), reliability cost vs σ (row b, slope -ρ on log-log axes), and accuracy vs
 * reliability cost (row c); one column per mechanism (ρ).
 */
import { renderTradeoffGrid, type GridSpec, type TradeoffFigureOptions } from "./grid.js";
import { LABELS, SHORT_LABELS } from "./labels.js";
import type { TradeoffPoint } from "./tradeoff.js";

export const FIG3_SPEC: GridSpec = {
  figure: "fig3",
  title: "Fig. 3 — The performance–reliability cost tradeoff",
  rows: [
    { x: { field: "sigma", label: LABELS.sigma, shortLabel: SHORT_LABELS.sigma, log: true, share: "all" }, y: { field: "accuracy", label: LABELS.accuracy, shortLabel: SHORT_LABELS.accuracy, log: false, share: "all", percent: true } },
    { x: { field: "sigma", label: LABELS.sigma, shortLabel: SHORT_LABELS.sigma, log: true, share: "all" }, y: { field: "reliabilityCost", label: LABELS.reliabilityCost, shortLabel: SHORT_LABELS.reliabilityCost, log: true, share: "column" } },
    { x: { field: "reliabilityCost", label: LABELS.reliabilityCost, shortLabel: SHORT_LABELS.reliabilityCost, log: true, share: "column" }, y: { field: "accuracy", label: LABELS.accuracy, shortLabel: SHORT_LABELS.accuracy, log: false, share: "all", percent: true } },
  ],
};

/** Fig. 3 as a standalone SVG string. Throws a VesicleError on an empty or malformed table. */
export function fig3(points: readonly TradeoffPoint[], options: TradeoffFigureOptions = {}): string {
  return renderTradeoffGrid(points, FIG3_SPEC, options);
}
