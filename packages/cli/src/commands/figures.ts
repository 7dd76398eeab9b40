/**
 * `vesicle figures`: the paper's figures from a sweep's results, as SVG and PNG.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { VesicleError, collectResults, type ResultRow } from "@vesicle/core";
import { figureNames, getFigure, writeFigure, type TradeoffPoint } from "@vesicle/analysis";
import { getFlag, getString, type CommandDef, type ParsedArgs } from "../options.js";

export const figuresCommand: CommandDef = {
  name: "figures",
  summary: "Render figures (fig2, fig3) from a sweep's results to SVG and PNG.",
  positionals: "<figure…>",
  options: [
    { name: "sweep", type: "string", description: "the sweep dir whose results to plot" },
    { name: "out", type: "string", description: "where to write <figure>.svg and <figure>.png", defaultText: "<sweep>/figures" },
    { name: "overwrite", type: "boolean", description: "replace figures that already exist" },
  ],
  run: runFigures,
};

/**
 * The tradeoff points of a results table. Accuracy is with one weight sample, as the paper plots it
 * (the synapses stay noisy at test time); rows missing a metric are left out.
 */
export function tradeoffPoints(rows: readonly ResultRow[]): TradeoffPoint[] {
  return rows.flatMap((r) =>
    r.accuracy_sample === null || r.sigma_rms === null || r.reliability_cost_s1 === null
      ? []
      : [{ mechanism: r.mechanism, rho: r.rho, c: r.c, noise: r.noise, seed: r.seed, accuracy: r.accuracy_sample, sigma: r.sigma_rms, reliabilityCost: r.reliability_cost_s1 }],
  );
}

async function runFigures(args: ParsedArgs): Promise<number> {
  const sweepDir = getString(args, "sweep");
  if (sweepDir === undefined) throw new VesicleError("--sweep DIR is required: the sweep whose results to plot", "bad-option");
  const names = args.positionals.length ? args.positionals : figureNames();
  const figures = names.map((n) => getFigure(n)); // unknown names fail before any work
  const { rows, corrupt } = collectResults(sweepDir);
  if (corrupt.length) process.stderr.write(`warning: ${corrupt.length} member(s) unreadable and left out: ${corrupt.map((c) => c.member.id).join(", ")}\n`);
  const points = tradeoffPoints(rows);
  if (points.length === 0) throw new VesicleError(`${sweepDir} has no completed members yet; nothing to plot`, "no-results");
  const outDir = getString(args, "out") ?? join(sweepDir, "figures");
  const overwrite = getFlag(args, "overwrite");
  const existing = figures.flatMap((f) => [`${f.name}.svg`, `${f.name}.png`]).filter((file) => existsSync(join(outDir, file)));
  if (existing.length && !overwrite)
    throw new VesicleError(`${existing.map((f) => join(outDir, f)).join(", ")} already exist${existing.length === 1 ? "s" : ""}; pass --overwrite to replace, or --out DIR`, "exists");
  for (const f of figures) {
    const written = writeFigure(f.name, f.render(points), outDir, { overwrite });
    process.stdout.write(`${f.name}: ${written.svg}, ${written.png}\n`);
  }
  return 0;
}
